package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.NodeState;

/**
 * The workload's preferred pool before each fallback. The preferred pool scores {@link #MAX};
 * fallbacks share the range up to {@link #FALLBACK_MAX} by rank ({@code FALLBACK_MAX × (n − r) ÷ (n − 1)}).
 * The gap is deliberate: with the default weights a preferred node that still has room, however
 * contended, outranks an empty fallback node after the 0..10 rounding, so pods fall back only when
 * the preferred pool is full, and contention decides within a pool.
 */
public final class PoolRank implements Scorer {
    static final int FALLBACK_MAX = 40;

    @Override
    public boolean appliesTo(PodInfo pod) {
        return !pod.passThrough();
    }

    /** Reads the pod's class (pools, profile, units, shape, contention) and the node state only. */
    @Override
    public Object memoKey() {
        return STATE_ONLY;
    }

    @Override
    public int weight(PodInfo pod) {
        return pod.weights().poolRank();
    }

    @Override
    public int score(PodInfo pod, NodeState node) {
        int rank = pod.rankOn(node.pools());
        if (rank < 0) {
            return 0;
        }
        if (rank == 0) {
            return MAX;
        }
        int n = pod.pools().length;
        return FALLBACK_MAX * (n - rank) / (n - 1);
    }
}
