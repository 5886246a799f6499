package io.gpuslicer.extender.observe;

import io.gpuslicer.extender.core.NotReconfiguring;
import io.gpuslicer.extender.ledger.GpuOccupancy;
import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.policy.Pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Per-pool capacity and use from one ledger snapshot: what the fleet gauges export and {@code gpu-slicer status} prints. */
public final class PoolLoads {
    private PoolLoads() {
    }

    /** One entry per policy pool, in policy order. */
    public static List<PoolLoad> of(LedgerSnapshot snapshot) {
        List<PoolLoad> out = new ArrayList<>();
        for (Map.Entry<String, List<NodeState>> e : snapshot.nodesByPool().entrySet()) {
            out.add(of(snapshot.policy().pools().get(e.getKey()), e.getValue()));
        }
        return out;
    }

    static PoolLoad of(Pool pool, List<NodeState> nodes) {
        String profile = pool.migProfile();
        int used = 0;
        int free = 0;
        int total = 0;
        int freeReconfiguring = 0;
        List<String> reconfiguring = new ArrayList<>();
        int[] bySharers = new int[0];
        for (NodeState node : nodes) {
            boolean settling = reconfiguring(node);
            if (settling) {
                reconfiguring.add(node.name());
            }
            if (profile != null) {
                int cap = node.inventory().migCapacity(profile);
                int nodeFree = Math.max(0, node.freeMig(profile));
                total += cap;
                used += node.usedMig(profile);
                free += nodeFree;
                freeReconfiguring += settling ? nodeFree : 0;
            } else if (node.inventory().kind().servesShared()) {
                total += node.inventory().replicaCapacity();
                used += node.usage().gpuUnits();
                free += Math.max(0, node.freeReplicas());
                for (int sharers : GpuOccupancy.replicasPerGpu(node.usage().gpuUnits(), node.inventory().physicalGpus())) {
                    if (sharers >= bySharers.length) {
                        bySharers = java.util.Arrays.copyOf(bySharers, sharers + 1);
                    }
                    bySharers[sharers]++;
                }
            }
        }
        reconfiguring.sort(null);
        return new PoolLoad(pool.name(), profile, nodes.size(), used, free, total, freeReconfiguring,
                List.copyOf(reconfiguring), bySharers);
    }

    private static boolean reconfiguring(NodeState node) {
        return NotReconfiguring.isReconfiguring(node);
    }
}
