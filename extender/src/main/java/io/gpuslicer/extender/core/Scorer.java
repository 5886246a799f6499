package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.NodeState;

/** One scheduling preference. Scores are 0..{@link #MAX}; the framework weights and normalises them. */
public interface Scorer {
    int MAX = 100;

    /** Whether this scorer has an opinion on the pod (e.g. MIG best fit does not for time-sliced pods). */
    boolean appliesTo(PodInfo pod);

    /** The policy's weight for this scorer. */
    int weight(PodInfo pod);

    int score(PodInfo pod, NodeState node);

    /**
     * kube-scheduler's NormalizeScore: rescales this scorer's raw scores of all candidate nodes of one
     * call to 0..{@link #MAX} in place. Scorers whose scores are absolute leave them as they are.
     */
    default void normalize(PodInfo pod, int[] scores) {
    }

    /** {@link #memoKey}: the score depends on nothing but the pod's {@link FilterClass} and the node state. */
    Object STATE_ONLY = new Object();
    /** {@link #memoKey}: never remember this scorer's scores (it reads more of the pod, or of the world). */
    Object UNCACHED = new Object();

    /**
     * What {@link #score} depends on besides the pod's {@link FilterClass} and the node state, compared by identity
     * ({@link #STATE_ONLY} for nothing), so that a node state remembers the score for the next pod of the class
     * ({@link Framework#scoreAll}); {@link #UNCACHED}, the default, when scores must always be computed.
     */
    default Object memoKey() {
        return UNCACHED;
    }
}
