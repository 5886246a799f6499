package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.GpuShares;
import io.gpuslicer.extender.ledger.NodeInventory;
import io.gpuslicer.extender.ledger.NodeState;

import java.util.Arrays;

/**
 * Everything fragmentation depends on about a node: free CPU and memory, GPU model, the share one
 * replica stands for, and the free milli-GPU of each GPU in decreasing order (which GPU is which
 * does not matter). Equal states have equal fragmentation, so it is the memo key.
 *
 * @see WorkloadMix#fragmentation
 */
public final class FragState {
    /** Unknown CPU or memory (a node object without allocatable figures): never the reason a shape does not fit. */
    static final long UNKNOWN = Long.MAX_VALUE;

    private final long cpuFree;
    private final long memFree;
    private final String product;
    private final int defaultShare;
    private final int[] freeDesc;
    private final int freeTotal;
    private final int hash;

    FragState(long cpuFree, long memFree, String product, int defaultShare, int[] freeDesc) {
        this.cpuFree = cpuFree;
        this.memFree = memFree;
        this.product = product;
        this.defaultShare = defaultShare;
        this.freeDesc = freeDesc;
        int t = 0;
        for (int f : freeDesc) {
            t += f;
        }
        this.freeTotal = t;
        int h = Long.hashCode(cpuFree);
        h = 31 * h + Long.hashCode(memFree);
        h = 31 * h + (product == null ? 0 : product.hashCode());
        h = 31 * h + defaultShare;
        h = 31 * h + Arrays.hashCode(freeDesc);
        this.hash = h;
    }

    public static FragState of(NodeState node) {
        NodeInventory inv = node.inventory();
        return of(inv, node.usage().cpuMilli(), node.usage().memoryMib(), node.usage().shares(inv));
    }

    public static FragState of(NodeInventory inv, long cpuUsed, long memUsed, GpuShares shares) {
        long cpu = inv.cpuMilli() > 0 ? inv.cpuMilli() - cpuUsed : UNKNOWN;
        long mem = inv.memoryMib() > 0 ? inv.memoryMib() - memUsed : UNKNOWN;
        return new FragState(cpu, mem, inv.product(), inv.defaultShareMilli(), shares.freeDescending());
    }

    /**
     * This state after a task takes {@code share} milli on GPUs whose free milli were {@code freeOfChosen}
     * (and {@code cpu}/{@code memory} more): the same free multiset with those GPUs reduced, still sorted.
     */
    FragState after(long cpu, long memory, int[] freeOfChosen, int share) {
        int[] f = freeDesc.clone();
        for (int chosen : freeOfChosen) {
            for (int i = 0; i < f.length; i++) {
                if (f[i] == chosen) {
                    f[i] = chosen - share;
                    // Keep the array sorted largest first: the reduced value moves right.
                    for (int j = i; j + 1 < f.length && f[j] < f[j + 1]; j++) {
                        int t = f[j];
                        f[j] = f[j + 1];
                        f[j + 1] = t;
                    }
                    break;
                }
            }
        }
        return new FragState(cpuFree == UNKNOWN ? UNKNOWN : cpuFree - cpu, memFree == UNKNOWN ? UNKNOWN : memFree - memory,
                product, defaultShare, f);
    }

    /** This state after a task of {@code shape} takes {@code share} milli on each of {@code gpus} (indices into the node's GPUs as {@code shares} numbers them). */
    public static FragState after(NodeInventory inv, long cpuUsed, long memUsed, GpuShares shares, PodShape shape,
                                  int[] gpus, int share) {
        return of(inv, cpuUsed + shape.cpuMilli(), memUsed + shape.memoryMib(), gpus.length == 0 ? shares : shares.with(gpus, share));
    }

    public int freeTotal() {
        return freeTotal;
    }

    /** Free milli-GPU that a task of {@code shape} could not use on this node. */
    double unusableBy(PodShape shape) {
        if (shape.gpus() == 0 || shape.gpus() > freeDesc.length || !shape.allows(product)
                || shape.cpuMilli() > cpuFree || shape.memoryMib() > memFree) {
            return freeTotal;
        }
        int share = shape.shareMilli() > 0 ? shape.shareMilli() : defaultShare;
        // freeDesc is sorted: the GPUs that fit the share come first.
        int fitting = 0;
        while (fitting < freeDesc.length && freeDesc[fitting] >= share) {
            fitting++;
        }
        if (fitting < shape.gpus()) {
            return freeTotal;
        }
        int slivers = 0;
        for (int i = fitting; i < freeDesc.length; i++) {
            slivers += freeDesc[i];
        }
        return slivers;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FragState s && s.hash == hash && s.cpuFree == cpuFree && s.memFree == memFree
                && s.defaultShare == defaultShare && java.util.Objects.equals(s.product, product) && Arrays.equals(s.freeDesc, freeDesc);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "FragState{cpu=" + cpuFree + ", mem=" + memFree + ", " + product + ", free=" + Arrays.toString(freeDesc) + "}";
    }
}
