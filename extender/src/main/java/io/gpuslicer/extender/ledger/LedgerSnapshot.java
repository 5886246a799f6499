package io.gpuslicer.extender.ledger;

import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.Pool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One consistent, immutable view of the GPU ledger and the policy it was computed with. A request
 * takes one snapshot and decides on it alone; writers publish new snapshots.
 *
 * @param nodes      node name -> state, for nodes the ledger has a Node object for
 * @param usage      node name -> GPU pods there, also for nodes without a Node object yet (full-node requests)
 * @param version    increases with every published change
 * @param table      the same node states by number ({@link NodeTable}): what a request's per-name lookups read
 */
public record LedgerSnapshot(Policy policy, Map<String, NodeState> nodes, Map<String, NodeUsage> usage, long version,
                             NodeTable table) {
    public LedgerSnapshot {
        // The ledger's own snapshots are read-only already: no second wrapper on the per-node lookup.
        nodes = nodes instanceof SnapshotMap.Frozen ? nodes : Collections.unmodifiableMap(nodes);
        usage = usage instanceof SnapshotMap.Frozen ? usage : Collections.unmodifiableMap(usage);
        table = table == null ? NodeTable.of(nodes) : table;
    }

    /** A snapshot of these maps, its nodes numbered when a request first asks ({@link NodeTable}). */
    public LedgerSnapshot(Policy policy, Map<String, NodeState> nodes, Map<String, NodeUsage> usage, long version) {
        this(policy, nodes, usage, version, null);
    }

    /** Equal when policy, maps and version are: the table is derived from the nodes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof LedgerSnapshot s && java.util.Objects.equals(policy, s.policy) && nodes.equals(s.nodes)
                && usage.equals(s.usage) && version == s.version;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(policy, nodes, usage, version);
    }

    public static LedgerSnapshot empty(Policy policy) {
        return new LedgerSnapshot(policy, Map.of(), Map.of(), 0);
    }

    public NodeState node(String name) {
        return nodes.get(name);
    }

    public NodeUsage usageOf(String node) {
        NodeUsage u = usage.get(node);
        return u == null ? NodeUsage.EMPTY : u;
    }

    /** Nodes of each pool, in policy order (the per-pool lists are derived from the per-node membership). */
    public Map<String, List<NodeState>> nodesByPool() {
        Map<String, List<NodeState>> out = new LinkedHashMap<>();
        for (String pool : policy.pools().keySet()) {
            out.put(pool, new ArrayList<>());
        }
        for (NodeState n : nodes.values()) {
            for (Pool p : n.pools()) {
                out.get(p.name()).add(n);
            }
        }
        return out;
    }

    /** Free MIG instances and replicas per pool. */
    public List<PoolStats> poolStats() {
        List<PoolStats> out = new ArrayList<>();
        for (Map.Entry<String, List<NodeState>> e : nodesByPool().entrySet()) {
            Pool pool = policy.pools().get(e.getKey());
            int mig = 0;
            int replicas = 0;
            for (NodeState n : e.getValue()) {
                if (pool.migProfile() != null) {
                    mig += Math.max(0, n.freeMig(pool.migProfile()));
                } else if (n.inventory().kind().servesShared()) {
                    replicas += Math.max(0, n.freeReplicas());
                }
            }
            out.add(new PoolStats(pool.name(), e.getValue().size(), mig, replicas));
        }
        return out;
    }
}
