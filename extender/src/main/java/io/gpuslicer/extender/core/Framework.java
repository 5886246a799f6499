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

    public static final Framework DEFAULT = new Framework(
            List.of(new PoolAllowed(), new NotReconfiguring(), new GpuKindMatches(), new MigProfileFree(), new TimeSliceCapacity()),
            List.of(new PoolRank(), new Contention(), new MigBestFit()));

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

    /** Weighted mean of the applicable scorers, scaled to 0..10 and rounded. */
    public int score(PodInfo pod, NodeState node) {
        long weighted = 0;
        long weights = 0;
        for (Scorer s : scorers) {
            if (!s.appliesTo(pod)) {
                continue;
            }
            int w = Math.max(0, s.weight(pod));
            if (w == 0) {
                continue;
            }
            weighted += (long) w * s.score(pod, node);
            weights += w;
        }
        if (weights == 0) {
            return 0;
        }
        // Integer rounding of weighted / (weights × MAX) × 10.
        long scale = weights * Scorer.MAX;
        return (int) ((weighted * MAX_EXTENDER_PRIORITY * 2 + scale) / (scale * 2));
    }
}
