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

    /** What the frameworks of these filters remember on one node state for one pod class. */
    private Memo memoOf(PodInfo pod, NodeState node) {
        FilterClass key = pod.filterClass();
        if (node.recall(key) instanceof Memo m && m.filters == filters) {
            return m;
        }
        Memo m = new Memo(filters);
        node.remember(key, m);
        return m;
    }

    /**
     * The filter verdict and raw scores of one pod class on one node state, in as few objects as a request reads: on
     * a loaded extender every node's are out of the core's caches by the next request, and each object more is a
     * memory read more per node. The verdict is that of the filters (by identity) that computed it; the raw scores are
     * those of one framework's scorers under their memo keys ({@link ScoreKey}), so frameworks sharing filters never
     * read each other's scores. Written by whichever thread computes first; each value is published whole (a Status,
     * an immutable {@link Scores}), so a racing reader sees either nothing or all of it.
     */
    private static final class Memo {
        final Filter[] filters;
        volatile Status status;
        volatile Scores scores;

        Memo(Filter[] filters) {
            this.filters = filters;
        }
    }

    /**
     * Raw scores of scorers {@code j} in {@code mask}, {@link #SCORE_BITS} bits each at bit {@code j × SCORE_BITS} of
     * {@code packed} (one object per node state and pod class, where one per scorer cost a memory read each), computed
     * under {@code key}.
     */
    private record Scores(ScoreKey key, int mask, long packed) {
    }

    /** Scores of 0..{@link Scorer#MAX} fit in a byte; four scorers' in a long, with room to spare. */
    private static final int SCORE_BITS = 16;
    private static final int SCORE_MASK = (1 << SCORE_BITS) - 1;
    /** Scorers past this index are never remembered (the standard framework has four). */
    private static final int PACKED_SCORERS = Long.SIZE / SCORE_BITS;

    /**
     * One framework's scorers' {@link Scorer#memoKey}s at some moment, compared by identity: remembered scores are
     * read back only under the very key they were computed under. A new instance when any scorer's key changes (the
     * fragmentation scorer's workload mix is relearned), so a node state's scores of the old mix are computed again.
     */
    private static final class ScoreKey {
        final Object[] keys;

        ScoreKey(Object[] keys) {
            this.keys = keys;
        }

        boolean current(Scorer[] scorers) {
            for (int j = 0; j < keys.length; j++) {
                if (scorers[j].memoKey() != keys[j]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The key of this framework's scorers now; the same instance as long as none of their memo keys changed. */
    private volatile ScoreKey scoreKey;

    private ScoreKey scoreKey() {
        ScoreKey k = scoreKey;
        if (k != null && k.current(scorers)) {
            return k;
        }
        Object[] keys = new Object[scorers.length];
        for (int j = 0; j < keys.length; j++) {
            keys[j] = scorers[j].memoKey();
        }
        k = new ScoreKey(keys);
        scoreKey = k;
        return k;
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
        return scoreAll(pod, nodes, null, null);
    }

    /**
     * As {@link #scoreAll(PodInfo, NodeState[])}, reading and keeping raw scores in {@code row} (this framework's, for
     * the pod's class) where {@code numbers[i] >= 0}: {@code nodes[i]} is then node {@code numbers[i]} of the row's
     * table, a plain state.
     */
    public int[] scoreAll(PodInfo pod, NodeState[] nodes, ClassRow row, int[] numbers) {
        int n = nodes.length;
        int[] weight = new int[scorers.length];
        long weights = 0;
        // Scorers that score this pod and whose raw scores node states remember.
        int remembered = 0;
        for (int j = 0; j < scorers.length; j++) {
            Scorer s = scorers[j];
            if (!s.appliesTo(pod)) {
                continue;
            }
            weight[j] = Math.max(0, s.weight(pod));
            weights += weight[j];
            if (weight[j] > 0 && j < PACKED_SCORERS && s.memoKey() != Scorer.UNCACHED) {
                remembered |= 1 << j;
            }
        }
        int[] out = new int[n];
        if (weights == 0) {
            return out;
        }
        int[][] raw = new int[scorers.length][];
        for (int j = 0; j < scorers.length; j++) {
            if (weight[j] > 0) {
                raw[j] = new int[n];
            }
        }
        if (remembered != 0) {
            rememberedScores(pod, nodes, remembered, raw, row, numbers);
        }
        long[] weighted = new long[n];
        for (int j = 0; j < scorers.length; j++) {
            if (weight[j] == 0) {
                continue;
            }
            Scorer s = scorers[j];
            if ((remembered & (1 << j)) == 0) {
                for (int i = 0; i < n; i++) {
                    raw[j][i] = s.score(pod, nodes[i]);
                }
            }
            s.normalize(pod, raw[j]);
            for (int i = 0; i < n; i++) {
                weighted[i] += (long) weight[j] * raw[j][i];
            }
        }
        // Integer rounding of weighted / (weights × MAX) × 10.
        long scale = weights * Scorer.MAX;
        for (int i = 0; i < n; i++) {
            out[i] = (int) ((weighted[i] * MAX_EXTENDER_PRIORITY * 2 + scale) / (scale * 2));
        }
        return out;
    }

    /**
     * The raw scores of the scorers in {@code remembered} on every node, read from {@code row} or from what the node
     * states remember under this framework's current {@link ScoreKey}, computed (and remembered in both) where they
     * do not: node by node, so that each node is read once for all scorers.
     */
    private void rememberedScores(PodInfo pod, NodeState[] nodes, int remembered, int[][] raw, ClassRow row, int[] numbers) {
        ScoreKey key = scoreKey();
        if (row != null && row.scoreKey != key) {
            java.util.Arrays.fill(row.scoredOn, null);
            row.scoreKey = key;
        }
        for (int i = 0; i < nodes.length; i++) {
            int number = row == null ? -1 : numbers[i];
            boolean inRow = number >= 0 && row.scoredOn[number] == nodes[i];
            Memo memo = null;
            Scores known = null;
            int mask;
            long packed;
            if (inRow) {
                mask = row.masks[number];
                packed = row.packed[number];
            } else {
                memo = memoOf(pod, nodes[i]);
                known = memo.scores;
                mask = known != null && known.key == key ? known.mask : 0;
                packed = known != null && known.key == key ? known.packed : 0;
            }
            int found = mask;
            for (int j = 0; j < PACKED_SCORERS; j++) {
                int bit = 1 << j;
                if ((remembered & bit) == 0) {
                    continue;
                }
                if ((mask & bit) != 0) {
                    raw[j][i] = (int) (packed >>> (j * SCORE_BITS)) & SCORE_MASK;
                    continue;
                }
                int score = scorers[j].score(pod, nodes[i]);
                raw[j][i] = score;
                if ((score & SCORE_MASK) == score) {
                    packed |= (long) score << (j * SCORE_BITS);
                    mask |= bit;
                }
                // Else negative or above 65,535, far outside what a scorer promises (0..MAX): used, never remembered.
            }
            if (mask != found || (!inRow && (known == null || known.key != key))) {
                if (memo == null) {
                    memo = memoOf(pod, nodes[i]);
                }
                memo.scores = new Scores(key, mask, packed);
            }
            if (number >= 0) {
                row.scoredOn[number] = nodes[i];
                row.packed[number] = packed;
                row.masks[number] = mask;
            }
        }
    }
}
