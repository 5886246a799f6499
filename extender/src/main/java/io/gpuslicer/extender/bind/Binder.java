package io.gpuslicer.extender.bind;

import java.util.concurrent.CompletableFuture;

/**
 * Commits a pod to a node once the extender has reserved it there: the API server's Binding on a live
 * cluster ({@link ApiBinder}), the ledger itself for a snapshot (demo, simulator: {@link LedgerBinder}).
 */
@FunctionalInterface
public interface Binder {
    /** Blocks until the pod is bound. @throws BindFailure when the pod could not be bound (the reservation is then forgotten) */
    void bind(Binding binding);

    /**
     * The same without blocking the caller (the extender's event loop): completes when the pod is bound, or
     * exceptionally as {@link #bind} throws. Binders that do no I/O bind at once.
     */
    default CompletableFuture<Void> bindAsync(Binding binding) {
        try {
            bind(binding);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
