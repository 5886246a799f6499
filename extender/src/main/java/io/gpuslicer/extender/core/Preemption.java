package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.extender.ledger.NodeUsage;
import io.gpuslicer.extender.ledger.PodUsage;
import io.gpuslicer.policy.Pool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the GPU victims on one candidate node. kube-scheduler proposes victims for the
 * resources it knows; the extender replaces the GPU part of that proposal with its own choice:
 * <ul>
 *   <li>only pods of lower priority than the preemptor;</li>
 *   <li>never a MIG pod for a time-sliced one (MIG isolation is the SLA);</li>
 *   <li>first pods running on "borrowed" capacity — a pool that is a fallback for them — then
 *       the lowest priority, then the largest holders (fewer victims);</li>
 *   <li>only as many as the pod needs. A node where even that does not make the pod fit, or that
 *       can never take it (wrong pool or GPU kind, MIG reconfiguration), is dropped.</li>
 * </ul>
 * Proposed victims that hold no GPU (not in the ledger) are kept as proposed.
 */
public final class Preemption {
    private final Framework framework;

    public Preemption(Framework framework) {
        this.framework = framework;
    }

    /** The victims' UIDs for this node, or empty when the node should not be a preemption candidate. */
    public Optional<List<String>> victims(PodInfo pod, NodeState node, List<String> proposedUids) {
        if (pod.passThrough()) {
            return Optional.of(proposedUids);
        }
        Status withoutVictims = framework.filter(pod, node);
        if (withoutVictims.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE
                || withoutVictims.reason() == Reason.MIG_RECONFIGURING) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        for (String uid : proposedUids) {
            if (node.usage().pod(uid) == null) {
                out.add(uid);
            }
        }
        NodeUsage usage = node.usage();
        if (!withoutVictims.isSuccess()) {
            List<PodUsage> candidates = new ArrayList<>();
            for (PodUsage p : node.usage().pods()) {
                if (eligible(pod, p)) {
                    candidates.add(p);
                }
            }
            candidates.sort(Comparator.<PodUsage>comparingInt(p -> borrowed(p, node.pools()) ? 0 : 1)
                    .thenComparingInt(PodUsage::priority)
                    .thenComparing(Comparator.comparingInt((PodUsage p) -> p.gpuUnits() + p.migUnits()).reversed())
                    .thenComparing(PodUsage::uid));
            boolean fits = false;
            for (PodUsage victim : candidates) {
                usage = usage.without(victim.uid());
                out.add(victim.uid());
                if (framework.filter(pod, new NodeState(node.inventory(), usage, node.pools())).isSuccess()) {
                    fits = true;
                    break;
                }
            }
            if (!fits) {
                return Optional.empty();
            }
        }
        return Optional.of(out);
    }

    static boolean eligible(PodInfo preemptor, PodUsage victim) {
        if (victim.priority() >= preemptor.priority()) {
            return false;
        }
        if (!preemptor.isMig()) {
            return !victim.isMigPod() && victim.gpuUnits() > 0;
        }
        return preemptor.mixedResource() ? preemptor.migProfile().equals(victim.migProfile()) : victim.gpuUnits() > 0;
    }

    /** The victim runs on a pool that is a fallback for it (rank &gt; 0): capacity it borrowed. */
    static boolean borrowed(PodUsage victim, Pool[] nodePools) {
        for (Pool p : nodePools) {
            if (victim.rankOn(p.name()) > 0) {
                return true;
            }
        }
        return false;
    }
}
