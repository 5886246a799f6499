package io.gpuslicer.extender.core;

/**
 * The outcome of a filter for one node, in the manner of kube-scheduler's framework Status.
 * Success is one shared constant: the success path allocates nothing.
 *
 * @param reason null on success
 * @param detail null on success
 */
public record Status(Code code, Reason reason, Detail detail) {
    public static final Status SUCCESS = new Status(Code.SUCCESS, null, null);

    public enum Code {
        SUCCESS,
        /** The node may fit later (or after preemption): {@code FailedNodes}. */
        UNSCHEDULABLE,
        /** The node can never fit this pod: {@code FailedAndUnresolvableNodes}, preemption skips it. */
        UNSCHEDULABLE_AND_UNRESOLVABLE
    }

    public static Status unschedulable(Reason reason, Detail detail) {
        return new Status(Code.UNSCHEDULABLE, reason, detail);
    }

    public static Status unresolvable(Reason reason, Detail detail) {
        return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, reason, detail);
    }

    public boolean isSuccess() {
        return code == Code.SUCCESS;
    }

    /** The text sent to the scheduler (shown in the pod's FailedScheduling event). */
    public String message() {
        if (reason == null) {
            return "";
        }
        return detail == null ? "gpu-slicer: " + reason.text() : "gpu-slicer: " + reason.text() + " (" + detail.describe() + ")";
    }
}
