package io.gpuslicer.policy;

/**
 * gpu-slicer's own label and annotation keys. The prefix is configurable (policy field
 * {@code keyPrefix}) so that two installations, or a fork, never fight over the same keys.
 */
public record Vocabulary(String prefix) {
    public static final String DEFAULT_PREFIX = "gpuslicer.io";
    public static final Vocabulary DEFAULT = new Vocabulary(DEFAULT_PREFIX);
    /** Value of the namespace opt-in label. */
    public static final String INJECT_ENABLED = "enabled";

    /** Namespace label that opts a namespace in; the webhook configuration's namespaceSelector matches it. */
    public String injectLabel() {
        return prefix + "/inject";
    }

    /** Default key of the workload-type label (pod, or namespace for the namespace default). */
    public String workloadTypeLabel() {
        return prefix + "/workload-type";
    }

    /** Pod label naming the MIG profile a MIG workload wants. */
    public String migProfileLabel() {
        return prefix + "/mig-profile";
    }

    /**
     * Pod label or annotation declaring how much of one GPU a time-sliced pod keeps busy
     * ({@code 0.25} or {@code 250m}); see {@link GpuShare}.
     */
    public String gpuShareKey() {
        return prefix + "/gpu-share";
    }

    /** Pod annotation the webhook writes and the extender reads. */
    public String decisionAnnotation() {
        return prefix + "/decision";
    }

    /**
     * Pod annotation naming the pool the extender's bind verb placed the pod in, written with its Binding (the API
     * server copies a Binding's annotations onto the pod): where the pod went, for as long as the pod lives.
     */
    public String poolAnnotation() {
        return prefix + "/pool";
    }
}
