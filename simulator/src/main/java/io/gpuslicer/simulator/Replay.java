package io.gpuslicer.simulator;

import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.extender.ledger.GpuShares;
import io.gpuslicer.extender.ledger.NodeInventory;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.extender.ledger.NodeUsage;
import io.gpuslicer.extender.ledger.PodUsage;
import io.gpuslicer.policy.Policy;

import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * One replay of a drawn workload with one strategy. Per task, as a cluster would: kube-scheduler's own
 * checks (CPU and memory fit — NodeResourcesFit; allowed GPU models — node affinity), then for a GPU pod
 * the extender's filters ({@link Framework#filter}, the live extender's code), then the strategy's
 * choice, then the bind into the same ledger types the live extender keeps ({@link NodeUsage#with}).
 * A task that fits nowhere is counted unscheduled and the replay goes on. No departures.
 */
public final class Replay {
    private final Policy policy;
    private final Framework framework;
    private final NodeState[] initial;
    private final long clusterMilli;

    public Replay(Policy policy, Framework framework, NodeState[] initial) {
        this.policy = policy;
        this.framework = framework;
        this.initial = initial.clone();
        long milli = 0;
        for (NodeState n : initial) {
            milli += (long) gpusOf(n.inventory()) * GpuShares.FULL;
        }
        this.clusterMilli = milli;
    }

    /** GPUs a node contributes to the cluster's capacity (time-sliced or whole GPUs). */
    static int gpusOf(NodeInventory inv) {
        return inv.kind().servesShared() ? inv.physicalGpus() : 0;
    }

    public long clusterMilli() {
        return clusterMilli;
    }

    public int nodeCount() {
        return initial.length;
    }

    /**
     * The outcome of one replay.
     *
     * @param allocatedMilli GPU allocated (milli-GPU, sum of declared shares) after each arrival
     * @param placedOn       node index each arrival was bound to, -1 when unscheduled
     */
    public record Result(String strategy, long[] allocatedMilli, int[] placedOn, int unscheduled, double wallSeconds,
                         NodeState[] finalState) {
    }

    public Result run(Strategy strategy, List<Arrival> arrivals, long seed, TieBreak tieBreak, IntConsumer progress) {
        int[] rank = TieBreak.ranks(initial.length, seed);
        int[] candidateRank = new int[initial.length];
        long start = System.nanoTime();
        NodeState[] nodes = initial.clone();
        long allocated = 0;
        for (NodeState n : nodes) {
            allocated += n.usage().shares(n.inventory()).loadTotal();
        }
        Random rnd = new Random(seed);
        long[] curve = new long[arrivals.size()];
        int[] placedOn = new int[arrivals.size()];
        int unscheduled = 0;
        NodeState[] candidates = new NodeState[nodes.length];
        int[] index = new int[nodes.length];
        for (int k = 0; k < arrivals.size(); k++) {
            Arrival a = arrivals.get(k);
            PodInfo pod = PodInfo.of(a.pod(), policy);
            int n = 0;
            for (int i = 0; i < nodes.length; i++) {
                NodeState node = nodes[i];
                if (kubeFits(a, node) && (!a.wantsGpu() || framework.filter(pod, node).isSuccess())) {
                    candidates[n] = node;
                    candidateRank[n] = rank[i];
                    index[n++] = i;
                }
            }
            placedOn[k] = -1;
            if (n == 0) {
                unscheduled++;
            } else {
                NodeState[] feasible = java.util.Arrays.copyOf(candidates, n);
                Strategy.Scores scores = strategy.score(a, pod, feasible, rnd);
                int c = tieBreak.pick(scores.scores(), n, candidateRank, rnd);
                int at = index[c];
                allocated += bind(nodes, at, a, pod, scores.gpusOf(c));
                placedOn[k] = at;
            }
            curve[k] = allocated;
            if (progress != null) {
                progress.accept(k + 1);
            }
        }
        return new Result(strategy.name(), curve, placedOn, unscheduled, (System.nanoTime() - start) / 1e9, nodes);
    }

    /** kube-scheduler's part: NodeResourcesFit on CPU and memory, node affinity on the GPU model. */
    static boolean kubeFits(Arrival a, NodeState node) {
        NodeInventory inv = node.inventory();
        if (inv.cpuMilli() > 0 && node.usage().cpuMilli() + a.shape().cpuMilli() > inv.cpuMilli()) {
            return false;
        }
        if (inv.memoryMib() > 0 && node.usage().memoryMib() + a.shape().memoryMib() > inv.memoryMib()) {
            return false;
        }
        return a.shape().allows(inv.product());
    }

    /** Binds the arrival on node {@code at}; returns the milli-GPU it takes. */
    private long bind(NodeState[] nodes, int at, Arrival a, PodInfo pod, int[] chosen) {
        NodeState node = nodes[at];
        PodUsage usage = a.usage();
        long taken = 0;
        if (a.wantsGpu()) {
            GpuShares shares = node.usage().shares(node.inventory());
            int share = GpuShares.shareOf(usage.shareMilli(), node.inventory());
            int[] gpus = chosen != null ? chosen
                    : shares.choose(share, usage.gpuUnits(), usage.shareMilli() > 0 ? pod.contention().maxSharersPerGpu() : Integer.MAX_VALUE);
            if (gpus == null) {
                throw new IllegalStateException("a node that passed the filters has no GPU for " + usage.key());
            }
            usage = usage.onGpus(gpus);
            taken = (long) share * gpus.length;
        }
        nodes[at] = new NodeState(node.inventory(), node.usage().with(usage), node.pools());
        return taken;
    }
}
