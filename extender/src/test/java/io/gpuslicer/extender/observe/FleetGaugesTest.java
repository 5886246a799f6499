package io.gpuslicer.extender.observe;

import io.gpuslicer.extender.ledger.LedgerStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Pool gauges read from the ledger: used, capacity, GPUs by sharers, nodes reconfiguring. */
class FleetGaugesTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FleetGauges gauges = new FleetGauges(registry);

    @Test
    void usedCapacityAndTheSharersDistributionFollowTheLedger() {
        LedgerStore store = new LedgerStore(POLICY);
        store.upsertNode(sharedNodeObject("research-1", "a100-research", 3));
        store.upsertNode(sharedNodeObject("research-2", "a100-research", 3));
        store.upsertNode(withLabel(mixedMigNodeObject("mig-1", "3g.40gb"), "nvidia.com/mig.config.state", "pending"));
        sharers("research-1", "research", 3).forEach(store::upsertPod);
        gauges.refresh(store.snapshot());

        assertThat(gauge("gpuslicer.extender.pool.used", "a100-research", "replicas")).isEqualTo(3);
        assertThat(gauge("gpuslicer.extender.pool.capacity", "a100-research", "replicas")).isEqualTo(12);
        assertThat(gauge("gpuslicer.extender.pool.capacity", "mig-3g40gb", "mig_instances")).isEqualTo(4);
        // research-1: 3 replicas over 2 GPUs → one GPU with 2 pods, one with 1; research-2: 2 idle GPUs.
        assertThat(gpusShared("a100-research", "0")).isEqualTo(2);
        assertThat(gpusShared("a100-research", "1")).isEqualTo(1);
        assertThat(gpusShared("a100-research", "2")).isEqualTo(1);
        assertThat(gpusShared("a100-research", "8+")).isZero();
        assertThat(registry.get("gpuslicer.extender.pool.nodes.reconfiguring").tag("pool", "mig-3g40gb").gauge().value()).isEqualTo(1);

        sharers("research-2", "research", 6).forEach(store::upsertPod);
        gauges.refresh(store.snapshot());
        assertThat(gpusShared("a100-research", "3")).isEqualTo(2);
        assertThat(gauge("gpuslicer.extender.pool.used", "a100-research", "replicas")).isEqualTo(9);
    }

    private double gauge(String name, String pool, String unit) {
        return registry.get(name).tag("pool", pool).tag("unit", unit).gauge().value();
    }

    private double gpusShared(String pool, String sharers) {
        return registry.get("gpuslicer.extender.pool.gpus").tag("pool", pool).tag("sharers", sharers).gauge().value();
    }
}
