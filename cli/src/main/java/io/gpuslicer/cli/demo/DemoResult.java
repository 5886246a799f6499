package io.gpuslicer.cli.demo;

import java.util.List;

/**
 * The demo's outcome: one row per scripted pod, in script order, and the capacity left per pool.
 *
 * @param nodes how many nodes the cluster snapshot has
 */
public record DemoResult(List<DemoRow> rows, List<PoolCapacity> pools, int nodes) {
    public DemoResult {
        rows = List.copyOf(rows);
        pools = List.copyOf(pools);
    }

    public DemoRow row(String pod) {
        return rows.stream().filter(r -> r.pod().equals(pod)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pod " + pod + " in the demo"));
    }

    public PoolCapacity pool(String name) {
        return pools.stream().filter(p -> p.pool().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pool " + name));
    }

    public long count(DemoRow.Result result) {
        return rows.stream().filter(r -> r.result() == result).count();
    }

    public long fellBack() {
        return rows.stream().filter(DemoRow::fellBack).count();
    }
}
