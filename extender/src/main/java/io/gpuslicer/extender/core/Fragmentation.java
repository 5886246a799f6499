package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.GpuShares;
import io.gpuslicer.extender.ledger.NodeInventory;
import io.gpuslicer.extender.ledger.NodeState;

import java.util.function.Supplier;

/**
 * Time-sliced pods: the node whose GPU capacity stays most usable for the workload the cluster
 * sees — FGD's idea (Weng et al., "Beware of Fragmentation", USENIX ATC'23): place a task where it
 * increases the node's fragmentation against the workload mix ({@link WorkloadMix#fragmentation})
 * the least. The pod lands on the GPU(s) the ledger's model picks ({@link GpuShares#choose}).
 *
 * <p>The raw score is the fragmentation decrease in milli-GPU; {@link #normalize} makes it relative
 * to the best candidate of the call (kube-scheduler's NormalizeScore): the best node scores
 * {@link #MAX}, and every {@link #MILLI_PER_POINT} milli-GPU more fragmentation costs a point. Without a mix
 * every node scores the same.
 */
public final class Fragmentation implements Scorer {
    /** Resolution of the relative score: 10 points (one step of the extender's 0..10) per 50 milli-GPU. */
    static final int MILLI_PER_POINT = 5;

    private final Supplier<WorkloadMix> mix;

    public Fragmentation(Supplier<WorkloadMix> mix) {
        this.mix = mix;
    }

    /**
     * Time-sliced pods, and pods without a GPU that reach the extender (a {@code managedResources} entry for
     * {@code cpu}): their CPU and memory can strand a node's GPUs too.
     */
    @Override
    public boolean appliesTo(PodInfo pod) {
        return !pod.isMig() && !mix.get().isEmpty() && (!pod.passThrough() || (pod.units() == 0 && pod.shape().gpus() == 0 && pod.shape().cpuMilli() + pod.shape().memoryMib() > 0));
    }

    /** The mix the fragmentation is measured against (re-learned every few seconds): a new mix, new scores. */
    @Override
    public Object memoKey() {
        return mix.get();
    }

    @Override
    public int weight(PodInfo pod) {
        return pod.weights().fragmentation();
    }

    @Override
    public int score(PodInfo pod, NodeState node) {
        WorkloadMix m = mix.get();
        if (m.isEmpty()) {
            return 0;
        }
        // Clamped: an unplaceable node scores far below any real candidate without overflowing the int.
        Question q = new Question(m, node.inventory(), pod.filterClass());
        return node.usage().derived(q, () -> (int) Math.max(-1_000_000_000L, Math.min(1_000_000_000L, Math.round(-increase(m, pod, node)))));
    }

    /**
     * What the score of a node's usage depends on besides the usage, all compared by identity: the mix, the
     * inventory, and the pod's interned {@link FilterClass} (its shape, units and sharer cap among the rest).
     */
    private record Question(WorkloadMix mix, NodeInventory inventory, FilterClass pod) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Question q && q.mix == mix && q.inventory == inventory && q.pod == pod;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(mix) * 31 + System.identityHashCode(pod);
        }
    }

    /** Fragmentation added by placing the pod on the node (negative: the pod fills slivers). */
    public static double increase(WorkloadMix m, PodInfo pod, NodeState node) {
        NodeInventory inv = node.inventory();
        GpuShares shares = node.usage().shares(inv);
        int share = GpuShares.shareOf(pod.shape().shareMilli(), inv);
        int cap = pod.shape().shareMilli() > 0 ? pod.contention().maxSharersPerGpu() : Integer.MAX_VALUE;
        int[] freeOfChosen;
        if (pod.units() == 1) {
            // The common case, without allocating the GPU list: one GPU by the ledger's best-fit rule.
            int g = shares.bestFit(share, cap);
            if (g < 0) {
                return UNPLACEABLE;
            }
            freeOfChosen = new int[]{shares.free(g)};
        } else {
            int[] gpus = shares.choose(share, pod.units(), cap);
            if (gpus == null) {
                return UNPLACEABLE;
            }
            freeOfChosen = new int[gpus.length];
            for (int i = 0; i < gpus.length; i++) {
                freeOfChosen[i] = shares.free(gpus[i]);
            }
        }
        FragState before = FragState.of(inv, node.usage().cpuMilli(), node.usage().memoryMib(), shares);
        FragState after = before.after(pod.shape().cpuMilli(), pod.shape().memoryMib(), freeOfChosen, share);
        return m.fragmentation(after) - m.fragmentation(before);
    }

    /** What a node that cannot take the pod costs (the filters keep such nodes away; this only orders them last). */
    private static final double UNPLACEABLE = 1e12;

    @Override
    public void normalize(PodInfo pod, int[] scores) {
        int best = Integer.MIN_VALUE;
        for (int s : scores) {
            best = Math.max(best, s);
        }
        for (int i = 0; i < scores.length; i++) {
            long behind = (long) best - scores[i];
            scores[i] = (int) Math.max(0, MAX - behind / MILLI_PER_POINT);
        }
    }
}
