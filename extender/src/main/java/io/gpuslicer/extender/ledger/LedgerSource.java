package io.gpuslicer.extender.ledger;

/** Where the extender's GPU ledger comes from: informers on a live cluster, or a snapshot file. */
public interface LedgerSource extends AutoCloseable {
    /** The current consistent view; cheap when nothing changed. */
    LedgerSnapshot snapshot();

    /** Null when the ledger reflects the cluster; otherwise why it does not yet (e.g. informers not synced). */
    String notReadyReason();

    /** The store the source writes into: policy reloads are applied to it. */
    LedgerStore store();

    @Override
    default void close() {
    }
}
