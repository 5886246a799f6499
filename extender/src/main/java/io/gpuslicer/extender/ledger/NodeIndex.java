package io.gpuslicer.extender.ledger;

import java.util.Collection;

/**
 * The ledger's node names numbered 0..size−1, found by name in a few compact arrays: an open-addressed table of
 * (hash, number) and the names' characters end to end. A filter or prioritize call looks up some 230 names of 500
 * (kube-scheduler's sampling); on a loaded extender the ledger's map entries, key Strings and their bytes are out of
 * the core's caches by the next call, three memory reads per name, where these arrays (about 16 bytes a node) stay in.
 * Immutable; the ledger numbers its nodes again when its set of nodes changes (rare), never per pod ({@link NodeRows}).
 */
public final class NodeIndex {
    public static final NodeIndex EMPTY = new NodeIndex(new String[0]);

    private final String[] names;
    /** The names' characters end to end; name i is chars[starts[i], starts[i + 1]). */
    private final char[] chars;
    private final int[] starts;
    /** hash in the high 32 bits, number + 1 in the low; 0 is an empty slot. At most a quarter full. */
    private final long[] slots;

    private NodeIndex(String[] names) {
        this.names = names;
        this.starts = new int[names.length + 1];
        int total = 0;
        for (int i = 0; i < names.length; i++) {
            starts[i] = total;
            total += names[i].length();
        }
        starts[names.length] = total;
        this.chars = new char[total];
        for (int i = 0; i < names.length; i++) {
            names[i].getChars(0, names[i].length(), chars, starts[i]);
        }
        this.slots = new long[Integer.highestOneBit(Math.max(2, names.length) * 4 - 1) << 1];
        int mask = slots.length - 1;
        for (int i = 0; i < names.length; i++) {
            int h = names[i].hashCode();
            int at = spread(h) & mask;
            while (slots[at] != 0) {
                at = (at + 1) & mask;
            }
            slots[at] = ((long) h << 32) | (i + 1L);
        }
    }

    /** The names numbered in the order given; duplicates are the caller's error. */
    public static NodeIndex of(Collection<String> names) {
        return names.isEmpty() ? EMPTY : new NodeIndex(names.toArray(new String[0]));
    }

    /** The number of {@code name}, or −1 when the index has no such node. */
    public int of(String name) {
        int h = name.hashCode();
        int mask = slots.length - 1;
        for (int at = spread(h) & mask; ; at = (at + 1) & mask) {
            long slot = slots[at];
            if (slot == 0) {
                return -1;
            }
            if ((int) (slot >>> 32) == h) {
                int i = (int) slot - 1;
                if (sameName(i, name)) {
                    return i;
                }
            }
        }
    }

    private boolean sameName(int i, String name) {
        int from = starts[i];
        int length = starts[i + 1] - from;
        if (length != name.length()) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (chars[from + k] != name.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    public String name(int i) {
        return names[i];
    }

    public int size() {
        return names.length;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
