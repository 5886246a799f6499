package io.gpuslicer.extender.core;

/** What the extender reports; the Micrometer implementation lives at the edge. */
public interface ExtenderMetrics {
    ExtenderMetrics NOOP = new ExtenderMetrics() {
    };

    /** One call of a verb (filter, prioritize, preempt), with its outcome (ok, not_ready, bad_request) and duration. */
    default void call(String verb, String outcome, long nanos) {
    }

    /** {@code nodes} nodes refused for {@code reason} in one call (counted per call, not per node, to keep the loop lean). */
    default void filteredOut(Reason reason, int nodes) {
    }

    /** Filter left the pod only nodes of its fallback pools: wherever it lands, it falls back. */
    default void fallbackPlacement(String workloadType) {
    }
}
