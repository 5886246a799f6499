package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.policy.Pool;

import java.util.ArrayList;
import java.util.List;

/**
 * The node belongs to one of the pools the pod's workload type may use. A node never changes pools
 * by itself: unresolvable. Most nodes of a large cluster fail here for any one pod, and nodes of one
 * pool share their pool set, so the refusal is built once per pool set and request.
 */
public final class PoolAllowed implements Filter {
    @Override
    public Status filter(PodInfo pod, NodeState node) {
        if (pod.rankOn(node.pools()) >= 0) {
            return Status.SUCCESS;
        }
        Status known = pod.memo().get(node.pools());
        if (known == null) {
            known = Status.unresolvable(Reason.POOL_NOT_ALLOWED, new Detail.PoolMismatch(names(node.pools()), pod.poolList()));
            pod.memo().put(node.pools(), known);
        }
        return known;
    }

    private static List<String> names(Pool[] pools) {
        List<String> out = new ArrayList<>(pools.length);
        for (Pool p : pools) {
            out.add(p.name());
        }
        return out;
    }
}
