package io.gpuslicer.extender.bind;

/**
 * Striped per-node locks: binds to one node are serialised (check, then reserve, as one step), binds to
 * different nodes mostly are not. A fixed array, so nothing grows with the cluster.
 */
final class NodeLocks {
    private final Object[] stripes;

    NodeLocks(int stripes) {
        this.stripes = new Object[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new Object();
        }
    }

    Object of(String node) {
        return stripes[Math.floorMod(node.hashCode(), stripes.length)];
    }
}
