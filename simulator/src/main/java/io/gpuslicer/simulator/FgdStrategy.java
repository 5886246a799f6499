package io.gpuslicer.simulator;

import io.gpuslicer.extender.core.FragState;
import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.extender.core.WorkloadMix;
import io.gpuslicer.extender.ledger.GpuShares;
import io.gpuslicer.extender.ledger.NodeInventory;
import io.gpuslicer.extender.ledger.NodeState;

import java.util.Random;

/**
 * FGD as the paper describes it (Weng et al., ATC'23) and its authors' simulator scores it: for every
 * feasible node, and for a shared task every GPU it fits on, the fragmentation the placement removes
 * against the target workload ({@link WorkloadMix#fragmentation}, the decision core's measure),
 * {@code ⌊100 · sigmoid(Δ / 1000)⌋}; the node with the highest score wins and the task
 * takes the GPU that scored best there (lowest index on ties). Whole- and multi-GPU tasks take idle GPUs.
 */
public final class FgdStrategy implements Strategy {
    private final WorkloadMix mix;

    public FgdStrategy(WorkloadMix mix) {
        this.mix = mix;
    }

    @Override
    public String name() {
        return "fgd";
    }

    @Override
    public Scores score(Arrival arrival, PodInfo pod, NodeState[] candidates, Random rnd) {
        long[] scores = new long[candidates.length];
        int[] gpuOf = new int[candidates.length];
        int cap = pod.contention().maxSharersPerGpu();
        for (int i = 0; i < candidates.length; i++) {
            NodeState n = candidates[i];
            NodeInventory inv = n.inventory();
            GpuShares shares = n.usage().shares(inv);
            long cpu = n.usage().cpuMilli();
            long mem = n.usage().memoryMib();
            double before = mix.fragmentation(FragState.of(inv, cpu, mem, shares));
            gpuOf[i] = -1;
            if (!arrival.wantsGpu()) {
                scores[i] = score(before, mix.fragmentation(FragState.after(inv, cpu, mem, shares, arrival.shape(), new int[0], 0)));
                continue;
            }
            int share = GpuShares.shareOf(arrival.shape().shareMilli(), inv);
            if (arrival.task().gpus() == 1 && share < GpuShares.FULL) {
                long best = Long.MIN_VALUE;
                int[] seen = new int[shares.gpus()];
                int seenCount = 0;
                for (int g = 0; g < shares.gpus(); g++) {
                    if (shares.free(g) < share || shares.sharers(g) + 1 > cap || contains(seen, seenCount, shares.free(g))) {
                        continue; // an equally free GPU leaves the node in the same state: the first one keeps it
                    }
                    seen[seenCount++] = shares.free(g);
                    long s = score(before, mix.fragmentation(FragState.after(inv, cpu, mem, shares, arrival.shape(), new int[]{g}, share)));
                    if (s > best) {
                        best = s;
                        gpuOf[i] = g;
                    }
                }
                scores[i] = best;
            } else {
                int[] gpus = shares.choose(share, arrival.task().gpus(), cap);
                scores[i] = gpus == null ? Long.MIN_VALUE
                        : score(before, mix.fragmentation(FragState.after(inv, cpu, mem, shares, arrival.shape(), gpus, share)));
            }
        }
        int[][] gpus = new int[candidates.length][];
        for (int i = 0; i < gpus.length; i++) {
            gpus[i] = gpuOf[i] < 0 ? null : new int[]{gpuOf[i]};
        }
        return new Scores(scores, gpus);
    }

    private static boolean contains(int[] values, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (values[i] == v) {
                return true;
            }
        }
        return false;
    }

    private static long score(double before, double after) {
        return (long) (100.0 / (1.0 + Math.exp(-(before - after) / 1000.0)));
    }
}
