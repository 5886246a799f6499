package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.NodeState;

/**
 * MIG pods: the node left with the fewest free instances of the profile first (the fullest node,
 * by share of its instances in use after placement), so partly used GPUs fill up and whole
 * GPUs — and whole nodes, which mig-parted can re-partition — stay free.
 */
public final class MigBestFit implements Scorer {
    @Override
    public boolean appliesTo(PodInfo pod) {
        return pod.isMig() && !pod.passThrough();
    }

    /** Reads the pod's class (pools, profile, units, shape, contention) and the node state only. */
    @Override
    public Object memoKey() {
        return STATE_ONLY;
    }

    @Override
    public int weight(PodInfo pod) {
        return pod.weights().migBestFit();
    }

    @Override
    public int score(PodInfo pod, NodeState node) {
        int capacity = node.inventory().migCapacity(pod.migProfile());
        if (capacity <= 0) {
            return 0;
        }
        int usedAfter = Math.min(capacity, node.usedMig(pod.migProfile()) + pod.units());
        return MAX * usedAfter / capacity;
    }
}
