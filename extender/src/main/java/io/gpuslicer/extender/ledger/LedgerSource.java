package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.bind.Binder;
import io.gpuslicer.extender.bind.LedgerBinder;

/** Where the extender's GPU ledger comes from: informers on a live cluster, or a snapshot file. */
public interface LedgerSource extends AutoCloseable {
    /** The current consistent view; cheap when nothing changed. */
    LedgerSnapshot snapshot();

    /** Null when the ledger reflects the cluster; otherwise why it does not yet (e.g. informers not synced). */
    String notReadyReason();

    /** The store the source writes into: policy reloads are applied to it. */
    LedgerStore store();

    /** The pod as last seen (enough for the decision core: spec resources, priority, decision), or null. */
    default Pod pod(String namespace, String name) {
        return null;
    }

    /** How a reserved pod is committed: the API server's Binding, or the ledger itself. */
    default Binder binder() {
        return new LedgerBinder(store());
    }

    @Override
    default void close() {
    }
}
