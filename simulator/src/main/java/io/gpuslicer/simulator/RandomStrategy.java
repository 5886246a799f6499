package io.gpuslicer.simulator;

import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.extender.ledger.NodeState;

import java.util.Random;

/** The Random baseline: any feasible node, uniformly; a shared task goes to the GPU it fits tightest. */
public final class RandomStrategy implements Strategy {
    @Override
    public String name() {
        return "random";
    }

    @Override
    public Scores score(Arrival arrival, PodInfo pod, NodeState[] candidates, Random rnd) {
        long[] scores = new long[candidates.length];
        scores[rnd.nextInt(candidates.length)] = 1;
        return Scores.of(scores);
    }
}
