package io.gpuslicer.cli.demo;

import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.extender.ledger.PoolStats;
import io.gpuslicer.policy.NvidiaKeys;
import io.gpuslicer.policy.Pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Free and total capacity per pool from a ledger snapshot: the extender's PoolStats plus the totals they leave out. */
final class PoolCapacities {
    private PoolCapacities() {
    }

    static List<PoolCapacity> of(LedgerSnapshot snapshot) {
        Map<String, List<NodeState>> byPool = snapshot.nodesByPool();
        List<PoolCapacity> out = new ArrayList<>();
        for (PoolStats stats : snapshot.poolStats()) {
            Pool pool = snapshot.policy().pools().get(stats.pool());
            String profile = pool.migProfile();
            int total = 0;
            int freeReconfiguring = 0;
            for (NodeState node : byPool.get(pool.name())) {
                if (profile != null) {
                    total += node.inventory().migCapacity(profile);
                    if (reconfiguring(node)) {
                        freeReconfiguring += Math.max(0, node.freeMig(profile));
                    }
                } else if (node.inventory().kind().servesShared()) {
                    total += node.inventory().replicaCapacity();
                }
            }
            int free = profile != null ? stats.freeMigInstances() : stats.freeReplicas();
            out.add(new PoolCapacity(pool.name(), profile, stats.nodes(), free, total, freeReconfiguring));
        }
        return out;
    }

    /** The extender's NotReconfiguring rule: a mig-manager state other than success. */
    private static boolean reconfiguring(NodeState node) {
        String state = node.inventory().migConfigState();
        return state != null && !NvidiaKeys.MIG_CONFIG_STATE_SUCCESS.equals(state);
    }
}
