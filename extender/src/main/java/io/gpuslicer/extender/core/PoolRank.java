package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.NodeState;

/** The workload's preferred pool before each fallback: rank r of n pools scores (n − r) / n. */
public final class PoolRank implements Scorer {
    @Override
    public boolean appliesTo(PodInfo pod) {
        return true;
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
        int n = pod.pools().length;
        return MAX * (n - rank) / n;
    }
}
