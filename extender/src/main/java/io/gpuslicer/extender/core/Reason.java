package io.gpuslicer.extender.core;

/** Why a node was refused: constant texts (also the {@code reason} label of the filtered-nodes metric). */
public enum Reason {
    UNKNOWN_NODE("node unknown to the gpu-slicer ledger"),
    POOL_NOT_ALLOWED("node is not in a pool the workload type may use"),
    NO_GPU("node has no GPU"),
    WRONG_GPU_KIND("node's GPUs are not of the kind the pod needs"),
    MIG_RECONFIGURING("node's MIG layout is being reconfigured"),
    MIG_PROFILE_FULL("no free MIG instance of the pod's profile"),
    REPLICAS_FULL("no free time-slice replica"),
    SHARERS_OVER_CAP("time-slice sharers per GPU would exceed the policy's cap"),
    MIG_CONFIG_FAILED("node's MIG layout change failed"),
    EXCEEDS_NODE_CAPACITY("the pod asks for more than the node has in total"),
    GPU_SHARE_FULL("declared GPU shares would pass one GPU");

    private final String text;

    Reason(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** Lower-case, underscore: stable metric label value. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
