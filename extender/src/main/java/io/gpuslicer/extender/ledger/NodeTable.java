package io.gpuslicer.extender.ledger;

import java.util.Map;

/**
 * A snapshot's node states by {@link NodeIndex} number: what a request reads per node name without the ledger's
 * map ({@link LedgerSnapshot#table}). The ledger keeps one beside its map and publishes a copy of the states with
 * each snapshot; a snapshot made from a map alone (tests, the simulator's, a placement note's) numbers its nodes
 * when first asked.
 */
public final class NodeTable {
    private final Map<String, NodeState> nodes;
    private volatile NodeIndex index;
    private volatile NodeState[] states;

    NodeTable(NodeIndex index, NodeState[] states) {
        this.nodes = null;
        this.index = index;
        this.states = states;
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
