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

    /**
     * The filters of every standard framework, one array: they are stateless, so standard frameworks that differ only
     * in their scorers' inputs (the workload mix) share the verdicts node states remember ({@link #filter}). The
     * extender decides with one ({@link #standard} over the ledger's mix) and its placement Events explain fallbacks
     * with {@link #DEFAULT}: with an array each, every fallback's explanation replaced the extender's remembered
     * verdicts on every node of the cluster by its own, and the next filter call decided them all afresh.
     */
    private static final Filter[] STANDARD_FILTERS = {
            new PoolAllowed(), new NotReconfiguring(), new GpuKindMatches(), new MigProfileFree(), new TimeSliceCapacity()};

    public static final Framework DEFAULT = standard(() -> WorkloadMix.EMPTY);

    /** The extender's filters and scorers, with fragmentation measured against {@code mix}. */
    public static Framework standard(java.util.function.Supplier<WorkloadMix> mix) {
        return new Framework(STANDARD_FILTERS,
                new Scorer[]{new PoolRank(), new Contention(), new MigBestFit(), new Fragmentation(mix)});
    }

    private final Filter[] filters;
    private final Scorer[] scorers;

    public Framework(List<Filter> filters, List<Scorer> scorers) {
        this(filters.toArray(new Filter[0]), scorers.toArray(new Scorer[0]));
    }

    private Framework(Filter[] filters, Scorer[] scorers) {
        this.filters = filters;
        this.scorers = scorers;
    }

    /**
     * The first refusal, or success. A node state remembers its verdict per pod class ({@link FilterClass}): the
     * filters are pure functions of the pod's class and the state, and a state is replaced, never changed, so the
     * next pod of the class (the next cycle of a stream, the bind verb's re-check) reads it back.
     */
    public Status filter(PodInfo pod, NodeState node) {
        Memo memo = memoOf(pod, node);
        Status known = memo.status;
        if (known != null) {
            return known;
        }
        Status s = Status.SUCCESS;
        for (Filter f : filters) {
            Status r = f.filter(pod, node);
            if (!r.isSuccess()) {
                s = r;
                break;
            }
        }
        memo.status = s;
        return s;
    }

    /** What this framework remembers on one node state for one pod class: shared with frameworks of the same filters. */
    private Memo memoOf(PodInfo pod, NodeState node) {
        FilterClass key = pod.filterClass();
        if (node.recall(key) instanceof Memo m && m.filters == filters && m.raw.length == scorers.length) {
            return m;
        }
        Memo m = new Memo(filters, scorers.length);
        node.remember(key, m);
        return m;
    }

    /**
     * The filter verdict and raw scores of one pod class on one node state. The verdict is that of the filters (by
     * identity) that computed it; each raw score names the scorer that computed it, so frameworks sharing filters
     * never read each other's scores. Written by whichever thread computes first; a value is published whole (a
     * Status, an immutable {@link Raw}), so a racing reader sees either nothing or all of it.
     */
    private static final class Memo {
        final Filter[] filters;
        volatile Status status;
        /** Per scorer: the raw score, the scorer and the {@link Scorer#memoKey} it was computed under, or null. */
        final Raw[] raw;

        Memo(Filter[] filters, int scorers) {
            this.filters = filters;
            this.raw = new Raw[scorers];
        }
    }

    private record Raw(Scorer scorer, Object key, int score) {
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
     * 0..10 and rounded, as kube-scheduler's framework does (Score, NormalizeScore, weights). Raw scores of
     * scorers with a {@link Scorer#memoKey} are remembered per node state and pod class, like filter verdicts.
     */
    public int[] scoreAll(PodInfo pod, NodeState[] nodes) {
        long[] weighted = new long[nodes.length];
        long weights = 0;
        int[] raw = new int[nodes.length];
        Memo[] memos = null;
        for (int j = 0; j < scorers.length; j++) {
            Scorer s = scorers[j];
            if (!s.appliesTo(pod)) {
                continue;
            }
            int w = Math.max(0, s.weight(pod));
            if (w == 0) {
                continue;
            }
            Object key = s.memoKey();
            if (key == Scorer.UNCACHED) {
                for (int i = 0; i < nodes.length; i++) {
                    raw[i] = s.score(pod, nodes[i]);
                }
            } else {
                if (memos == null) {
                    memos = new Memo[nodes.length];
                    for (int i = 0; i < nodes.length; i++) {
                        memos[i] = memoOf(pod, nodes[i]);
                    }
                }
                for (int i = 0; i < nodes.length; i++) {
                    Raw known = memos[i].raw[j];
                    if (known == null || known.scorer != s || known.key != key) {
                        known = new Raw(s, key, s.score(pod, nodes[i]));
                        memos[i].raw[j] = known;
                    }
                    raw[i] = known.score;
                }
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
