package io.gpuslicer.webhook;

/** A request that is not an AdmissionReview this webhook can answer: the HTTP layer answers it with a 4xx. */
public final class BadAdmissionRequest extends Exception {
    private final int status;

    public BadAdmissionRequest(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
