package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.NodeUsage;
import io.gpuslicer.extender.ledger.PodUsage;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The workload mix a live extender measures fragmentation against: the shapes of the time-sliced pods
 * its ledger holds (CPU, memory, GPUs, declared share), the most frequent making up 90% of them — the
 * cluster's own recent workload stands for the workload to come, as FGD's target workload does. Learned
 * again from the current snapshot at most once per {@code refresh} (a mix changes slowly; recomputing it per
 * request would cost more than the decision). Pods without a GPU and MIG pods are not part of it.
 */
public final class LedgerWorkloadMix implements Supplier<WorkloadMix> {
    static final double COVERAGE = 0.90;
    /**
     * Fragmentations the learned mix remembers, about 15 MiB: it is kept while the workload holds steady (see
     * {@link #get}), so unlike a replay's it would otherwise fill up to {@link WorkloadMix#MEMO_LIMIT} over hours.
     */
    static final int MEMO_LIMIT = 100_000;

    private final Supplier<LedgerSnapshot> snapshots;
    private final Clock clock;
    private final long refreshMillis;
    private volatile Learned learned = new Learned(-1, Long.MIN_VALUE, WorkloadMix.EMPTY);

    private record Learned(long version, long atMillis, WorkloadMix mix) {
    }

    public LedgerWorkloadMix(Supplier<LedgerSnapshot> snapshots, Clock clock, long refreshMillis) {
        this.snapshots = snapshots;
        this.clock = clock;
        this.refreshMillis = refreshMillis;
    }

    @Override
    public WorkloadMix get() {
        Learned current = learned;
        long now = clock.millis();
        if (current.atMillis() != Long.MIN_VALUE && now - current.atMillis() < refreshMillis) {
            return current.mix();
        }
        LedgerSnapshot snap = snapshots.get();
        if (snap.version() == current.version()) {
            learned = new Learned(current.version(), now, current.mix());
            return current.mix();
        }
        WorkloadMix mix = of(snap);
        // The same shapes and weights keep the instance: scores remembered on node states and the fragmentation memo
        // are keyed by it, and a cluster whose mix holds steady would otherwise recompute them all, in whichever
        // prioritize call comes first, after every refresh.
        if (mix.sameAs(current.mix())) {
            mix = current.mix();
        }
        learned = new Learned(snap.version(), now, mix);
        return mix;
    }

    /** Nodes visited when learning: a sample of a large cluster is as good and keeps the request that relearns fast. */
    static final int SAMPLE_NODES = 1_000;

    /** The mix of the time-sliced pods in {@code snap} (of an evenly spread sample of its nodes in a large cluster). */
    public static WorkloadMix of(LedgerSnapshot snap) {
        Map<PodShape, Long> counts = new LinkedHashMap<>();
        int stride = Math.max(1, snap.usage().size() / SAMPLE_NODES);
        int i = 0;
        for (NodeUsage usage : snap.usage().values()) {
            if (i++ % stride != 0) {
                continue;
            }
            for (PodUsage p : usage.pods()) {
                if (p.gpuUnits() > 0 && !p.isMigPod()) {
                    counts.merge(new PodShape(p.cpuMilli(), p.memoryMib(), p.gpuUnits(), p.shareMilli(), null), 1L, Long::sum);
                }
            }
        }
        return WorkloadMix.of(counts, COVERAGE).withMemoLimit(MEMO_LIMIT);
    }
}
