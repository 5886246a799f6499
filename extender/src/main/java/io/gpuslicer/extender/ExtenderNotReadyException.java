package io.gpuslicer.extender;

/** The ledger does not reflect the cluster yet; the caller should answer so the scheduler retries. */
public final class ExtenderNotReadyException extends RuntimeException {
    public ExtenderNotReadyException(String reason) {
        super("gpu-slicer extender not ready: " + reason, null, false, false);
    }
}
