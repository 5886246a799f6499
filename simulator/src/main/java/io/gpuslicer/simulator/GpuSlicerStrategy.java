package io.gpuslicer.simulator;

import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.extender.ledger.NodeInventory;
import io.gpuslicer.extender.ledger.NodeState;

import java.util.Random;

/**
 * gpu-slicer as deployed: the extender's scorers (the policy's {@code scoring:} weights) rank the
 * feasible nodes of a GPU pod, kube-scheduler takes the highest score (ties at random), and the pod's
 * GPUs are where the ledger's model puts them. Pods without a GPU reach the extender too (the README's
 * {@code managedResources} lists {@code cpu} for clusters that run CPU pods on GPU nodes), where only the
 * fragmentation scorer ranks them; with no scorer that has an opinion, kube-scheduler's own
 * NodeResourcesFit {@code MostAllocated} on CPU and memory decides.
 */
public final class GpuSlicerStrategy implements Strategy {
    private final Framework framework;

    public GpuSlicerStrategy(Framework framework) {
        this.framework = framework;
    }

    @Override
    public String name() {
        return "gpu-slicer";
    }

    @Override
    public Scores score(Arrival arrival, PodInfo pod, NodeState[] candidates, Random rnd) {
        long[] scores = new long[candidates.length];
        if (framework.scores(pod)) {
            int[] s = framework.scoreAll(pod, candidates);
            for (int i = 0; i < s.length; i++) {
                scores[i] = s[i];
            }
        } else {
            for (int i = 0; i < candidates.length; i++) {
                scores[i] = mostAllocated(arrival, candidates[i]);
            }
        }
        return Scores.of(scores);
    }

    /** kube-scheduler's NodeResourcesFit MostAllocated score (noderesources/most_allocated.go) over CPU and memory, 0..100. */
    static long mostAllocated(Arrival a, NodeState node) {
        NodeInventory inv = node.inventory();
        long cpu = inv.cpuMilli() <= 0 ? 0 : 100 * (node.usage().cpuMilli() + a.shape().cpuMilli()) / inv.cpuMilli();
        long mem = inv.memoryMib() <= 0 ? 0 : 100 * (node.usage().memoryMib() + a.shape().memoryMib()) / inv.memoryMib();
        return (cpu + mem) / 2;
    }
}
