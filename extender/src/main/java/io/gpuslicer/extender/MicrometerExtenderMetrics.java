package io.gpuslicer.extender;

import io.gpuslicer.extender.core.ExtenderMetrics;
import io.gpuslicer.extender.core.Reason;
import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.PoolStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus names: {@code gpuslicer_extender_calls_seconds{verb,outcome}} (histogram),
 * {@code gpuslicer_extender_nodes_filtered_total{reason}}, {@code gpuslicer_extender_fallback_placements_total{workload_type}},
 * {@code gpuslicer_extender_pool_free{pool,unit="mig_instances|replicas"}}.
 */
public final class MicrometerExtenderMetrics implements ExtenderMetrics {
    private final MeterRegistry registry;
    private final Map<Reason, Counter> filtered = new EnumMap<>(Reason.class);
    private final MultiGauge poolFree;
    /**
     * Meters by series, registered once: a builder goes through the registry's id lookup (tags sorted, an id
     * allocated) on every use, three times per scheduled pod for the calls alone.
     */
    private final Map<String, Timer> calls = new ConcurrentHashMap<>();
    private final Map<String, Counter> fallbacks = new ConcurrentHashMap<>();

    public MicrometerExtenderMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Reason r : Reason.values()) {
            filtered.put(r, Counter.builder("gpuslicer.extender.nodes.filtered").tag("reason", r.label())
                    .description("Nodes refused by the extender's filters, by reason").register(registry));
        }
        poolFree = MultiGauge.builder("gpuslicer.extender.pool.free")
                .description("Free MIG instances (MIG pools) or time-slice replicas (shared pools) per pool").register(registry);
    }

    @Override
    public void call(String verb, String outcome, long nanos) {
        calls.computeIfAbsent(verb + '\0' + outcome, series -> Timer.builder("gpuslicer.extender.calls").tag("verb", verb)
                .tag("outcome", outcome).description("Extender calls by verb and outcome").publishPercentileHistogram()
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void filteredOut(Reason reason, int nodes) {
        filtered.get(reason).increment(nodes);
    }

    @Override
    public void fallbackPlacement(String workloadType) {
        fallbacks.computeIfAbsent(String.valueOf(workloadType), type -> Counter.builder("gpuslicer.extender.fallback.placements")
                .tag("workload_type", workloadType).description("Pods whose best-scored node is on a fallback pool")
                .register(registry)).increment();
    }

    /** Re-reads the per-pool gauges from a snapshot (on each scrape: pools come and go with the policy). */
    public void refreshPools(LedgerSnapshot snapshot) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (PoolStats s : snapshot.poolStats()) {
            boolean mig = snapshot.policy().pools().get(s.pool()).migProfile() != null;
            rows.add(MultiGauge.Row.of(Tags.of("pool", s.pool(), "unit", mig ? "mig_instances" : "replicas"),
                    mig ? s.freeMigInstances() : s.freeReplicas()));
        }
        poolFree.register(rows, true);
    }
}
