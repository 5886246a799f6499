package io.gpuslicer.extender.observe;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.extender.ledger.LedgerSnapshot;

/**
 * Told once per GPU pod that got a node. Called from the pod informer when it sees the binding; a bind
 * verb can call it too, with the snapshot it decided on.
 */
public interface PlacementListener {
    /** Told nothing, and wants nothing: the fleet observer then takes no ledger snapshot for a placement. */
    PlacementListener NOOP = new PlacementListener() {
        @Override
        public void placed(Pod pod, String node, LedgerSnapshot snapshotBefore) {
        }

        @Override
        public boolean wants(PodInfo info, int rank) {
            return false;
        }
    };

    /**
     * @param snapshotBefore the ledger as the decision saw it; it may already count the pod on {@code node}
     *                       (informer order), which listeners must tolerate
     */
    void placed(Pod pod, String node, LedgerSnapshot snapshotBefore);

    /** The same, from a caller that has derived the pod's {@link PodInfo} already (with the snapshot's policy). */
    default void placed(Pod pod, PodInfo info, String node, LedgerSnapshot snapshotBefore) {
        placed(pod, node, snapshotBefore);
    }

    /**
     * Whether {@link #placed} would do anything for a pod of {@code info} that landed on a node at {@code rank} of its
     * pools (0 preferred; -1 outside them, or a node the ledger does not know). Asked first, so that a caller that
     * has no snapshot takes one only for a placement that needs it: on a replica kube-scheduler does not talk to, no
     * request takes one either, and at 5,000 nodes a snapshot per bound pod was a tenth of that replica's CPU.
     */
    default boolean wants(PodInfo info, int rank) {
        return true;
    }
}
