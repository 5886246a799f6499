package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.NodeState;

import java.util.List;

/**
 * Runs the filters in order (cheap, unresolvable ones first; the first refusal wins) and combines
 * the scorers' weighted scores into the extender's 0..10 range.
 */
public final class Framework {
    /** kube-scheduler's MaxExtenderPriority. */
    public static final int MAX_EXTENDER_PRIORITY = 10;

    public static final Framework DEFAULT = standard(() -> WorkloadMix.EMPTY);

    /** The extender's filters and scorers, with fragmentation measured against {@code mix}. */
    public static Framework standard(java.util.function.Supplier<WorkloadMix> mix) {
        return new Framework(
                List.of(new PoolAllowed(), new NotReconfiguring(), new GpuKindMatches(), new MigProfileFree(), new TimeSliceCapacity()),
                List.of(new PoolRank(), new Contention(), new MigBestFit(), new Fragmentation(mix)));
    }

    private final Filter[] filters;
    private final Scorer[] scorers;

    public Framework(List<Filter> filters, List<Scorer> scorers) {
        this.filters = filters.toArray(new Filter[0]);
        this.scorers = scorers.toArray(new Scorer[0]);
    }

    public Status filter(PodInfo pod, NodeState node) {
        for (Filter f : filters) {
            Status s = f.filter(pod, node);
            if (!s.isSuccess()) {
                return s;
            }
        }
        return Status.SUCCESS;
    }

    /** Whether any scorer with a weight has an opinion on the pod (otherwise every node scores 0). */
    public boolean scores(PodInfo pod) {
        for (Scorer s : scorers) {
            if (s.appliesTo(pod) && s.weight(pod) > 0) {
                return true;
            }
        }
        return false;
    }

    /** Weighted mean of the applicable scorers, scaled to 0..10 and rounded; the node alone is the candidate set. */
    public int score(PodInfo pod, NodeState node) {
        return scoreAll(pod, new NodeState[]{node})[0];
    }

    /**
     * Scores of all candidate nodes of one prioritize call: each scorer scores every node, normalises
     * over the candidates if it is relative ({@link Scorer#normalize}), and the weighted mean is scaled to
     * 0..10 and rounded, as kube-scheduler's framework does (Score, NormalizeScore, weights).
     */
    public int[] scoreAll(PodInfo pod, NodeState[] nodes) {
        long[] weighted = new long[nodes.length];
        long weights = 0;
        int[] raw = new int[nodes.length];
        for (Scorer s : scorers) {
            if (!s.appliesTo(pod)) {
                continue;
            }
            int w = Math.max(0, s.weight(pod));
            if (w == 0) {
                continue;
            }
            for (int i = 0; i < nodes.length; i++) {
                raw[i] = s.score(pod, nodes[i]);
            }
            s.normalize(pod, raw);
            for (int i = 0; i < nodes.length; i++) {
                weighted[i] += (long) w * raw[i];
            }
            weights += w;
        }
        int[] out = new int[nodes.length];
        if (weights == 0) {
            return out;
        }
        // Integer rounding of weighted / (weights × MAX) × 10.
        long scale = weights * Scorer.MAX;
        for (int i = 0; i < nodes.length; i++) {
            out[i] = (int) ((weighted[i] * MAX_EXTENDER_PRIORITY * 2 + scale) / (scale * 2));
        }
        return out;
    }
}
