package io.gpuslicer.webhook;

/** What the admission path reports; the Micrometer implementation lives at the edge. */
public interface WebhookMetrics {
    /** Workload-type tag value for admissions that never reached classification. */
    String NO_WORKLOAD_TYPE = "none";

    WebhookMetrics NOOP = (workloadType, outcome, nanos) -> { };

    enum Outcome {
        /** A GPU pod placed by a non-empty patch. */
        PATCHED,
        /** A GPU pod that already carried its placement (a reinvocation). */
        UNCHANGED,
        /** A GPU pod refused (unknown workload type...). */
        DENIED,
        /** Not ours: no GPU, not a pod, not a CREATE. */
        SKIPPED,
        /** A malformed request or an internal failure. */
        ERROR;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    void admission(String workloadType, Outcome outcome, long durationNanos);
}
