package io.gpuslicer.extender.requeue;

import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.extender.ledger.PodUsage;
import io.gpuslicer.policy.Pool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which pending pods to nudge when capacity frees on a node: pods whose workload type may use one of
 * the node's pools (for a MIG pod, its one pool: the freed profile), highest priority first, at most
 * {@code max}. Pure: the ledger's view in, pod keys out.
 */
public final class NudgeTargets {
    private NudgeTargets() {
    }

    public static List<PodUsage> of(NodeState node, List<PodUsage> pending, int max) {
        List<PodUsage> out = new ArrayList<>();
        for (PodUsage p : pending) {
            if (p.decision() != null && mayUse(p, node.pools())) {
                out.add(p);
            }
        }
        out.sort(Comparator.comparingInt(PodUsage::priority).reversed().thenComparing(PodUsage::key));
        return out.size() > max ? out.subList(0, max) : out;
    }

    private static boolean mayUse(PodUsage pod, Pool[] pools) {
        for (Pool pool : pools) {
            if (pod.rankOn(pool.name()) >= 0) {
                return true;
            }
        }
        return false;
    }
}
