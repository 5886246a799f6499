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
}
