package io.gpuslicer.extender.bind;

/** The binding was refused or could not be made; the message goes to the scheduler as the bind Error. */
public final class BindFailure extends RuntimeException {
    public BindFailure(String message) {
        super(message, null, false, false);
    }
}
