package io.gpuslicer.extender.observe;

import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.List;

/**
 * Gauges read from the ledger on each scrape (pools come and go with the policy):
 * <ul>
 *   <li>{@code gpuslicer_extender_pool_used{pool,unit}} and {@code gpuslicer_extender_pool_capacity{pool,unit}}
 *       (with the existing {@code gpuslicer_extender_pool_free});</li>
 *   <li>{@code gpuslicer_extender_pool_gpus{pool,sharers}}: physical GPUs of a time-sliced pool by the number of
 *       pods sharing them, {@code sharers} = 0 … 7 or {@code 8+};</li>
 *   <li>{@code gpuslicer_extender_pool_nodes_reconfiguring{pool}}: nodes whose MIG layout is being changed.</li>
 * </ul>
 */
public final class FleetGauges {
    static final int SHARERS_CAP = 8;

    private final MultiGauge used;
    private final MultiGauge capacity;
    private final MultiGauge gpus;
    private final MultiGauge reconfiguring;

    public FleetGauges(MeterRegistry registry) {
        used = MultiGauge.builder("gpuslicer.extender.pool.used")
                .description("MIG instances (MIG pools) or time-slice replicas (shared pools) held by pods, per pool").register(registry);
        capacity = MultiGauge.builder("gpuslicer.extender.pool.capacity")
                .description("MIG instances (MIG pools) or time-slice replicas (shared pools) the pool's nodes offer").register(registry);
        gpus = MultiGauge.builder("gpuslicer.extender.pool.gpus")
                .description("Physical GPUs of time-sliced pools by the number of pods sharing each").register(registry);
        reconfiguring = MultiGauge.builder("gpuslicer.extender.pool.nodes.reconfiguring")
                .description("Nodes of the pool whose MIG layout mig-manager is changing (no new pods)").register(registry);
    }

    public void refresh(LedgerSnapshot snapshot) {
        List<MultiGauge.Row<?>> usedRows = new ArrayList<>();
        List<MultiGauge.Row<?>> capacityRows = new ArrayList<>();
        List<MultiGauge.Row<?>> gpuRows = new ArrayList<>();
        List<MultiGauge.Row<?>> reconfiguringRows = new ArrayList<>();
        for (PoolLoad load : PoolLoads.of(snapshot)) {
            Tags tags = Tags.of("pool", load.pool(), "unit", load.unit());
            usedRows.add(MultiGauge.Row.of(tags, load.used()));
            capacityRows.add(MultiGauge.Row.of(tags, load.total()));
            reconfiguringRows.add(MultiGauge.Row.of(Tags.of("pool", load.pool()), load.reconfiguring().size()));
            if (!load.isMig()) {
                int[] bySharers = new int[SHARERS_CAP + 1];
                for (int k = 0; k < load.gpusBySharers().length; k++) {
                    bySharers[Math.min(k, SHARERS_CAP)] += load.gpusBySharers()[k];
                }
                for (int k = 0; k <= SHARERS_CAP; k++) {
                    gpuRows.add(MultiGauge.Row.of(Tags.of("pool", load.pool(), "sharers", k == SHARERS_CAP ? SHARERS_CAP + "+" : String.valueOf(k)),
                            bySharers[k]));
                }
            }
        }
        used.register(usedRows, true);
        capacity.register(capacityRows, true);
        gpus.register(gpuRows, true);
        reconfiguring.register(reconfiguringRows, true);
    }
}
