package io.gpuslicer.extender.observe;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.extender.ledger.LedgerSnapshot;

/**
 * Told once per GPU pod that got a node. Called from the pod informer when it sees the binding; a bind
 * verb can call it too, with the snapshot it decided on.
 */
@FunctionalInterface
public interface PlacementListener {
    PlacementListener NOOP = (pod, node, snapshotBefore) -> {
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
}
