package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.policy.Pool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every node of a snapshot run through the framework's filters for one pod, grouped by the pool the
 * node serves the pod from and the filter's verdict — the answer to "why is my pod pending" in a few
 * lines instead of one per node. The verdicts are {@link Framework#filter}'s own: no second
 * implementation of any decision.
 */
public final class NodeGroups {
    private NodeGroups() {
    }

    /**
     * Nodes that got the same verdict in the same pool.
     *
     * @param pool   the pod's best-ranked pool among the node's pools; else the node's first pool; null for none
     * @param rank   the pool's rank for the pod (0 = preferred), -1 when the pod may not use it
     * @param status the verdict of the group's first node (SUCCESS: the pod fits there)
     * @param nodes  node names, sorted
     */
    public record Group(String pool, int rank, Status status, List<String> nodes) {
        public boolean fits() {
            return status.isSuccess();
        }
    }

    /** Groups ordered: pools the pod may use by rank, then other pools, then nodes in no pool; fitting groups first within a pool. */
    public static List<Group> of(Framework framework, PodInfo pod, LedgerSnapshot snapshot) {
        Map<String, Group> groups = new LinkedHashMap<>();
        for (NodeState node : new TreeMap<>(snapshot.nodes()).values()) {
            Status status = framework.filter(pod, node);
            int rank = pod.rankOn(node.pools());
            String pool = rank >= 0 ? pod.pools()[rank] : node.pools().length > 0 ? node.pools()[0].name() : null;
            String key = pool + '\u0000' + (status.isSuccess() ? "" : status.reason().name());
            Group g = groups.get(key);
            if (g == null) {
                g = new Group(pool, rank, status, new ArrayList<>());
                groups.put(key, g);
            }
            g.nodes().add(node.name());
        }
        List<Group> out = new ArrayList<>();
        for (Group g : groups.values()) {
            out.add(new Group(g.pool(), g.rank(), g.status(), List.copyOf(g.nodes())));
        }
        out.sort(Comparator.comparingInt((Group g) -> g.rank() < 0 ? Integer.MAX_VALUE : g.rank())
                .thenComparing(g -> g.pool() == null ? 1 : 0)
                .thenComparing(g -> g.pool() == null ? "" : poolOrder(snapshot, g.pool()))
                .thenComparing(g -> g.fits() ? 0 : 1)
                .thenComparing(g -> g.status().isSuccess() ? "" : g.status().reason().name()));
        return out;
    }

    /** Pools in policy order (as zero-padded index), so "other pools" read as the admin wrote them. */
    private static String poolOrder(LedgerSnapshot snapshot, String pool) {
        int i = 0;
        for (Pool p : snapshot.policy().pools().values()) {
            if (p.name().equals(pool)) {
                return String.format("%05d", i);
            }
            i++;
        }
        return "99999" + pool;
    }
}
