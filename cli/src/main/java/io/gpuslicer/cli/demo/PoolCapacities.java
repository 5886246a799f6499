package io.gpuslicer.cli.demo;

import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.observe.PoolLoad;
import io.gpuslicer.extender.observe.PoolLoads;

import java.util.ArrayList;
import java.util.List;

/** Free and total capacity per pool from a ledger snapshot: the extender's {@link PoolLoads}, as the demo prints them. */
final class PoolCapacities {
    private PoolCapacities() {
    }

    static List<PoolCapacity> of(LedgerSnapshot snapshot) {
        List<PoolCapacity> out = new ArrayList<>();
        for (PoolLoad load : PoolLoads.of(snapshot)) {
            out.add(new PoolCapacity(load.pool(), load.migProfile(), load.nodes(), load.free(), load.total(), load.freeReconfiguring()));
        }
        return out;
    }
}
