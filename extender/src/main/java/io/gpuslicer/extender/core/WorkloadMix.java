package io.gpuslicer.extender.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workload a cluster expects: task shapes with their frequencies (FGD's "target workload"),
 * the most popular shapes that together make up {@code coverage} of the tasks, re-normalised to sum
 * to 1. Immutable; it memoises node fragmentation by node state, because many nodes of a cluster
 * are in the same state (empty, or full) and fragmentation depends on nothing else.
 */
public final class WorkloadMix {
    public static final WorkloadMix EMPTY = new WorkloadMix(new PodShape[0], new double[0], 0);
    /** FGD's default: the shapes that make up 95% of the tasks. */
    public static final double DEFAULT_COVERAGE = 0.95;
    /** Remembered fragmentations of a mix given once (a trace replay): the states a replay meets. */
    static final int MEMO_LIMIT = 2_000_000;

    private final PodShape[] shapes;
    private final double[] weights;
    private final Map<FragState, Double> memo = new ConcurrentHashMap<>();
    /** Entries the memo may hold before it starts again (about 150 bytes each). */
    private final int memoLimit;

    private WorkloadMix(PodShape[] shapes, double[] weights, int memoLimit) {
        this.shapes = shapes;
        this.weights = weights;
        this.memoLimit = memoLimit;
    }

    /**
     * This mix remembering at most {@code limit} fragmentations: a long-running extender keeps a mix as long as the
     * cluster's workload holds steady, and every placement it weighs meets new states.
     */
    public WorkloadMix withMemoLimit(int limit) {
        return shapes.length == 0 ? this : new WorkloadMix(shapes, weights, limit);
    }

    /** Fragmentations remembered now (for tests). */
    int memoSize() {
        return memo.size();
    }

    /** From counted shapes: most frequent first (ties in a stable order), until {@code coverage} of the count. */
    public static WorkloadMix of(Map<PodShape, ? extends Number> counts, double coverage) {
        List<Map.Entry<PodShape, ? extends Number>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Comparator.<Map.Entry<PodShape, ? extends Number>>comparingDouble(e -> -e.getValue().doubleValue())
                .thenComparing(e -> e.getKey().toString()));
        double total = 0;
        for (var e : entries) {
            total += e.getValue().doubleValue();
        }
        if (total <= 0) {
            return EMPTY;
        }
        Map<PodShape, Double> kept = new LinkedHashMap<>();
        double cumulative = 0;
        for (var e : entries) {
            if (cumulative >= coverage * total) {
                break;
            }
            kept.put(e.getKey(), e.getValue().doubleValue());
            cumulative += e.getValue().doubleValue();
        }
        PodShape[] s = kept.keySet().toArray(new PodShape[0]);
        double[] w = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            w[i] = kept.get(s[i]) / cumulative;
        }
        return new WorkloadMix(s, w, MEMO_LIMIT);
    }

    public static WorkloadMix ofShapes(List<PodShape> tasks, double coverage) {
        Map<PodShape, Long> counts = new LinkedHashMap<>();
        for (PodShape t : tasks) {
            counts.merge(t, 1L, Long::sum);
        }
        return of(counts, coverage);
    }

    /** The same shapes with the same weights, in the same order: fragmentation measured against either is the same. */
    public boolean sameAs(WorkloadMix other) {
        return other == this || (other != null && Arrays.equals(shapes, other.shapes) && Arrays.equals(weights, other.weights));
    }

    public boolean isEmpty() {
        return shapes.length == 0;
    }

    public int size() {
        return shapes.length;
    }

    public PodShape shape(int i) {
        return shapes[i];
    }

    public double weight(int i) {
        return weights[i];
    }

    /**
     * The node's fragmentation against this mix: for each shape, the free GPU capacity (milli-GPU)
     * the shape could not use — all of it when the shape does not fit the node at all (CPU, memory,
     * GPU model, GPU count, or a CPU-only shape), else the slivers of GPUs with less free than the
     * shape's per-GPU demand — weighted by the shape's frequency.
     */
    public double fragmentation(FragState node) {
        if (shapes.length == 0 || node.freeTotal() == 0) {
            return 0;
        }
        Double known = memo.get(node);
        if (known != null) {
            return known;
        }
        double f = 0;
        for (int i = 0; i < shapes.length; i++) {
            f += weights[i] * node.unusableBy(shapes[i]);
        }
        if (memo.size() >= memoLimit) {
            memo.clear();
        }
        memo.put(node, f);
        return f;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("WorkloadMix[");
        for (int i = 0; i < shapes.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shapes[i]).append('=').append(String.format("%.4f", weights[i]));
        }
        return sb.append(']').toString();
    }
}
