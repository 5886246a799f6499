package io.gpuslicer.simulator;

import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.extender.ledger.NodeState;

import java.util.Random;

/**
 * How one replay ranks the nodes that pass kube-scheduler's checks and the extender's filters (and
 * possibly which GPUs the task takes there). The replay picks the highest score; ties are broken by
 * {@link TieBreak}.
 */
public interface Strategy {
    String name();

    /**
     * @param candidates feasible nodes, at least one
     */
    Scores score(Arrival arrival, PodInfo pod, NodeState[] candidates, Random rnd);

    /**
     * @param scores one per candidate, higher is better
     * @param gpus   per candidate the GPUs the task would take, or null (for all, or for one) for the
     *               ledger's model ({@code GpuShares#choose})
     */
    record Scores(long[] scores, int[][] gpus) {
        public static Scores of(long[] scores) {
            return new Scores(scores, null);
        }

        public int[] gpusOf(int candidate) {
            return gpus == null ? null : gpus[candidate];
        }
    }
}
