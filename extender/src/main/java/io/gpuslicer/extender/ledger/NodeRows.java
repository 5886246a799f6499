package io.gpuslicer.extender.ledger;

import java.util.Arrays;

/**
 * The ledger's node states by {@link NodeIndex} number, written under the ledger's lock beside its map, and
 * published as a {@link NodeTable} with each snapshot: a copy of the states (a reference per node; 20 KiB at 5,000
 * nodes), the index shared until the set of nodes changes.
 */
final class NodeRows {
    private NodeIndex index = NodeIndex.EMPTY;
    private NodeState[] states = new NodeState[16];
    /** The last table handed out; null after a write. */
    private NodeTable last;

    void put(String name, NodeState state) {
        int i = index.of(name);
        if (i < 0) {
            index = index.with(name);
            i = index.size() - 1;
            if (i == states.length) {
                states = Arrays.copyOf(states, states.length * 2);
            }
        }
        states[i] = state;
        last = null;
    }

    void remove(String name) {
        int i = index.of(name);
        if (i < 0) {
            return;
        }
        int lastNumber = index.size() - 1;
        index = index.without(i);
        states[i] = states[lastNumber];
        states[lastNumber] = null;
        last = null;
    }

    NodeTable table() {
        if (last == null) {
            last = new NodeTable(index, Arrays.copyOf(states, index.size()));
        }
        return last;
    }
}
