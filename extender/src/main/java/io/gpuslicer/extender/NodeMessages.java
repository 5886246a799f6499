package io.gpuslicer.extender;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Node name → refusal text of one filter call, in the order the nodes were sent: the map kube-scheduler's
 * {@code FailedNodes} and {@code FailedAndUnresolvableNodes} are written from. Thousands of entries are added
 * once and read once, in order, by the response writer, so they are kept in two arrays instead of a hash table
 * (which cost more than the filters). Read-only to others; {@link #get} scans, which only tests do. A request
 * never names a node twice (the HTTP layer refuses duplicates, {@link RequestCheck}), so keys are distinct.
 */
final class NodeMessages extends AbstractMap<String, String> {
    private String[] nodes;
    private String[] messages;
    private int size;

    NodeMessages(int expected) {
        nodes = new String[Math.max(4, expected)];
        messages = new String[nodes.length];
    }

    void add(String node, String message) {
        if (size == nodes.length) {
            nodes = Arrays.copyOf(nodes, size * 2);
            messages = Arrays.copyOf(messages, size * 2);
        }
        nodes[size] = node;
        messages[size++] = message;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String get(Object key) {
        for (int i = 0; i < size; i++) {
            if (nodes[i].equals(key)) {
                return messages[i];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(nodes[i], messages[i]);
                    }
                };
            }
        };
    }
}
