package io.gpuslicer.cli.demo;

/**
 * One pod of the scripted batch and what became of it.
 *
 * @param workloadType the webhook's decision, else the pod's label (a denied type), else null
 * @param pool         the pool of the node it landed on (null when not placed or not a GPU pod)
 * @param node         the node it was bound to, null when pending or denied
 * @param fellBack     placed on a pool after the workload type's first one
 * @param message      why it is pending (kube-scheduler's message) or denied (the webhook's); else null
 */
public record DemoRow(String pod, Result result, String workloadType, String pool, String node, boolean fellBack,
                      String message) {
    public enum Result {
        PLACED,
        PENDING,
        DENIED,
        /** Not a GPU pod: the webhook allowed it without a patch, the extender let every node through. */
        UNTOUCHED
    }
}
