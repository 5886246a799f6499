package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.policy.Pool;

import java.util.ArrayList;
import java.util.List;

/** The node belongs to one of the pools the pod's workload type may use. A node never changes pools by itself: unresolvable. */
public final class PoolAllowed implements Filter {
    @Override
    public Status filter(PodInfo pod, NodeState node) {
        if (pod.rankOn(node.pools()) >= 0) {
            return Status.SUCCESS;
        }
        return Status.unresolvable(Reason.POOL_NOT_ALLOWED, new Detail.PoolMismatch(names(node.pools()), pod.poolList()));
    }

    private static List<String> names(Pool[] pools) {
        List<String> out = new ArrayList<>(pools.length);
        for (Pool p : pools) {
            out.add(p.name());
        }
        return out;
    }
}
