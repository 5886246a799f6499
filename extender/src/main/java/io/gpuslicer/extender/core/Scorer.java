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
}
