package io.gpuslicer.simulator;

import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.extender.ledger.NodeInventory;
import io.gpuslicer.extender.ledger.NodeState;

import java.util.Random;

/**
 * The BestFit baseline of the FGD paper: the node left with the least free CPU and GPU,
 * {@code 100 × (1 − ½·(free CPU − request)/128 cores − ½·(free GPU − request)/8 GPUs)} truncated to an
 * integer, min–max normalised over the feasible nodes; a shared task goes to the GPU
 * it fits tightest (the ledger's model rule).
 */
public final class BestFitStrategy implements Strategy {
    static final double MAX_CPU_MILLI = 128_000;
    static final double MAX_GPU_MILLI = 8_000;

    @Override
    public String name() {
        return "bestfit";
    }

    @Override
    public Scores score(Arrival arrival, PodInfo pod, NodeState[] candidates, Random rnd) {
        long[] scores = new long[candidates.length];
        long hi = Long.MIN_VALUE;
        long lo = Long.MAX_VALUE;
        for (int i = 0; i < candidates.length; i++) {
            NodeState n = candidates[i];
            NodeInventory inv = n.inventory();
            double cpuLeft = inv.cpuMilli() - n.usage().cpuMilli() - arrival.shape().cpuMilli();
            double gpuLeft = n.usage().shares(inv).freeTotal() - arrival.task().demandMilli();
            double waste = cpuLeft / MAX_CPU_MILLI * 0.5 + gpuLeft / MAX_GPU_MILLI * 0.5;
            scores[i] = (long) ((1.0 - waste) * 100);
            hi = Math.max(hi, scores[i]);
            lo = Math.min(lo, scores[i]);
        }
        for (int i = 0; i < candidates.length; i++) {
            scores[i] = hi == lo ? 0 : (scores[i] - lo) * 100 / (hi - lo);
        }
        return Scores.of(scores);
    }
}
