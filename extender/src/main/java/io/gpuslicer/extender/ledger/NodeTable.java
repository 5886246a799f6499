package io.gpuslicer.extender.ledger;

import io.gpuslicer.policy.Pool;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A snapshot's node states by {@link NodeIndex} number: what a request reads per node name without the ledger's
 * map ({@link LedgerSnapshot#table}), and each pool's nodes by number ({@link #members}). The ledger keeps one beside
 * its map and publishes a copy of the states with each snapshot; a snapshot made from a map alone (tests, the
 * simulator's, a placement note's) numbers its nodes when first asked.
 */
public final class NodeTable {
    private static final int[] NONE = new int[0];

    private final Map<String, NodeState> nodes;
    private volatile NodeIndex index;
    private volatile NodeState[] states;
    /** Pool name → its nodes' numbers, ascending; null until first asked (or handed over by the ledger). */
    private volatile Map<String, int[]> members;

    /**
     * @param members the pools' node numbers of the table before, when no node has joined, left or changed pools since
     *                (the ledger's pod events keep them); null: found when first asked
     */
    NodeTable(NodeIndex index, NodeState[] states, Map<String, int[]> members) {
        this.nodes = null;
        this.index = index;
        this.states = states;
        this.members = members;
    }

    private NodeTable(Map<String, NodeState> nodes) {
        this.nodes = nodes;
    }

    /** The table of {@code nodes}, numbered when first read. */
    static NodeTable of(Map<String, NodeState> nodes) {
        return new NodeTable(nodes);
    }

    public NodeIndex index() {
        NodeIndex i = index;
        if (i == null) {
            number();
            i = index;
        }
        return i;
    }

    /** The state of node {@code i} of {@link #index()}. */
    public NodeState state(int i) {
        NodeState[] s = states;
        if (s == null) {
            number();
            s = states;
        }
        return s[i];
    }

    /**
     * The numbers of the nodes in {@code pool}, ascending (empty for a pool without nodes): a pool's nodes without
     * walking the cluster. Found once per change of membership, not per snapshot: a placement note explaining a
     * fallback at 5,000 nodes walked every node of the cluster for the few pools it names.
     */
    public int[] members(String pool) {
        Map<String, int[]> m = members;
        if (m == null) {
            m = findMembers();
        }
        return m.getOrDefault(pool, NONE);
    }

    /** The pools' node numbers if anybody has asked for them, for the ledger's next table; else null. */
    Map<String, int[]> membersIfFound() {
        return members;
    }

    private synchronized Map<String, int[]> findMembers() {
        if (members != null) {
            return members;
        }
        int n = index().size();
        Map<String, int[]> found = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            for (Pool p : state(i).pools()) {
                int[] numbers = found.computeIfAbsent(p.name(), k -> new int[4]);
                int c = counts.merge(p.name(), 1, Integer::sum);
                if (c > numbers.length) {
                    found.put(p.name(), numbers = Arrays.copyOf(numbers, numbers.length * 2));
                }
                numbers[c - 1] = i;
            }
        }
        found.replaceAll((pool, numbers) -> Arrays.copyOf(numbers, counts.get(pool)));
        members = Map.copyOf(found);
        return members;
    }

    private synchronized void number() {
        if (index != null) {
            return;
        }
        NodeIndex i = NodeIndex.of(nodes.keySet());
        NodeState[] s = new NodeState[i.size()];
        for (int k = 0; k < s.length; k++) {
            s[k] = nodes.get(i.name(k));
        }
        states = s;
        index = i;
    }
}
