package io.gpuslicer.extender.core;

/** What the extender reports; the Micrometer implementation lives at the edge. */
public interface ExtenderMetrics {
    ExtenderMetrics NOOP = new ExtenderMetrics() {
    };

    /** One call of a verb (filter, prioritize, preempt), with its outcome (ok, not_ready, bad_request) and duration. */
    default void call(String verb, String outcome, long nanos) {
    }

    /** A node refused by a filter. */
    default void filteredOut(Reason reason) {
    }

    /** Prioritize ranked a node first that is on one of the pod's fallback pools. */
    default void fallbackPlacement(String workloadType) {
    }
}
