package io.gpuslicer.extender.bind;

/**
 * Commits a pod to a node once the extender has reserved it there: the API server's Binding on a live
 * cluster ({@link ApiBinder}), the ledger itself for a snapshot (demo, simulator: {@link LedgerBinder}).
 * Called from a worker thread; may block.
 */
@FunctionalInterface
public interface Binder {
    /** @throws BindFailure when the pod could not be bound (the reservation is then forgotten) */
    void bind(Binding binding);
}
