package io.gpuslicer.extender.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger's node states by number, written under the ledger's lock beside its map, and published as a
 * {@link NodeTable} with each snapshot: a copy of the states (a reference per node; 20 KiB at 5,000 nodes), and a
 * {@link NodeIndex} of the names, built again only when the set of nodes changed since the last table (an informer's
 * first list adds thousands of nodes one by one: an index per node added would cost the square of the cluster).
 */
final class NodeRows {
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> numbers = new HashMap<>();
    private NodeState[] states = new NodeState[16];
    private NodeIndex index = NodeIndex.EMPTY;
    private boolean renumbered;
    /** A node joined, left or changed pools since the last table: its pools' members are found again. */
    private boolean membership = true;
    /** The last table handed out; null after a write. */
    private NodeTable last;
    /** The table before: its pools' members, if found, go to the next table when membership is unchanged. */
    private NodeTable previous;

    void put(String name, NodeState state) {
        Integer i = numbers.get(name);
        if (i == null) {
            i = names.size();
            names.add(name);
            numbers.put(name, i);
            if (i == states.length) {
                states = Arrays.copyOf(states, states.length * 2);
            }
            renumbered = true;
            membership = true;
        } else if (states[i].pools() != state.pools()) {
            // The ledger interns pool arrays: the same array is the same pools (a pod event keeps the node's array).
            membership = true;
        }
        states[i] = state;
        last = null;
    }

    /** The last node takes the number of the one removed (the only one renumbered). */
    void remove(String name) {
        Integer i = numbers.remove(name);
        if (i == null) {
            return;
        }
        int lastNumber = names.size() - 1;
        if (i != lastNumber) {
            String moved = names.get(lastNumber);
            names.set(i, moved);
            numbers.put(moved, i);
            states[i] = states[lastNumber];
        }
        names.remove(lastNumber);
        states[lastNumber] = null;
        renumbered = true;
        membership = true;
        last = null;
    }

    NodeTable table() {
        if (last == null) {
            if (renumbered) {
                index = NodeIndex.of(names);
                renumbered = false;
            }
            Map<String, int[]> members = membership || previous == null ? null : previous.membersIfFound();
            last = new NodeTable(index, Arrays.copyOf(states, names.size()), members);
            previous = last;
            membership = false;
        }
        return last;
    }
}
