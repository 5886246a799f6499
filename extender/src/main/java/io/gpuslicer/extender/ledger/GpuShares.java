package io.gpuslicer.extender.ledger;

import java.util.Arrays;

/**
 * Declared GPU shares per physical GPU of one time-sliced node: the milli-GPU its pods declared on
 * each GPU and how many pods share it. Immutable.
 *
 * <p>Where a pod lands is one rule, {@link #choose}, used both to model pods the ledger learns about
 * from the API server (which does not say which GPU a replica is on) and by a simulator binding a
 * pod: <em>best fit</em> — a share goes to the fullest GPU it still fits on (lowest index first on
 * ties), so partly used GPUs fill up and idle GPUs stay whole for whole-GPU and multi-GPU pods; a
 * pod that needs a whole GPU ({@code 1000} milli) needs a GPU with no sharer. A pod without a
 * declared share counts as {@code 1000 ÷ replicas per GPU}.
 */
public final class GpuShares {
    public static final int FULL = 1000;
    private final int[] load;
    private final int[] sharers;
    /** Free milli per GPU, largest first: computed on first use (fragmentation asks for it on every node). */
    private volatile int[] freeDesc;

    private GpuShares(int[] load, int[] sharers) {
        this.load = load;
        this.sharers = sharers;
    }

    public static GpuShares idle(int gpus) {
        return new GpuShares(new int[Math.max(0, gpus)], new int[Math.max(0, gpus)]);
    }

    /** Replays the node's pods in the order the ledger holds them. */
    public static GpuShares of(NodeInventory inventory, NodeUsage usage) {
        GpuShares s = idle(inventory.physicalGpus());
        if (!inventory.kind().servesShared()) {
            return s;
        }
        for (PodUsage p : usage.pods()) {
            if (p.gpuUnits() <= 0) {
                continue;
            }
            int share = shareOf(p.shareMilli(), inventory);
            int[] gpus = p.gpus() != null ? p.gpus() : s.choose(share, p.gpuUnits(), Integer.MAX_VALUE);
            if (gpus == null) {
                // Over-committed (the API server may hold more than the model admits): count it on the fullest fit anyway.
                gpus = s.leastLoaded(p.gpuUnits());
            }
            s = s.with(gpus, share);
        }
        return s;
    }

    /** The pod's share of each GPU: its declaration, else an even split of a GPU between the node's replicas. */
    public static int shareOf(int declaredMilli, NodeInventory inventory) {
        return declaredMilli > 0 ? Math.min(FULL, declaredMilli) : inventory.defaultShareMilli();
    }

    /**
     * The GPUs a pod of {@code units} GPUs at {@code share} milli each lands on, or null when no
     * {@code units} distinct GPUs have room for the share and a sharer under {@code maxSharers}.
     * Best fit: fullest fitting GPU first, lowest index on ties.
     */
    public int[] choose(int share, int units, int maxSharers) {
        if (units <= 0 || units > load.length) {
            return units <= 0 ? new int[0] : null;
        }
        int[] out = new int[units];
        boolean[] taken = new boolean[load.length];
        for (int u = 0; u < units; u++) {
            int best = -1;
            for (int g = 0; g < load.length; g++) {
                if (taken[g] || load[g] + share > FULL || sharers[g] + 1 > maxSharers) {
                    continue;
                }
                if (best < 0 || load[g] > load[best]) {
                    best = g;
                }
            }
            if (best < 0) {
                return null;
            }
            taken[best] = true;
            out[u] = best;
        }
        Arrays.sort(out);
        return out;
    }

    /** The GPU a single pod of {@code share} lands on ({@link #choose} for one unit, without allocating), or -1. */
    public int bestFit(int share, int maxSharers) {
        int best = -1;
        for (int g = 0; g < load.length; g++) {
            if (load[g] + share <= FULL && sharers[g] + 1 <= maxSharers && (best < 0 || load[g] > load[best])) {
                best = g;
            }
        }
        return best;
    }

    /** Whether {@link #choose} would find GPUs, without allocating (the filter's question, asked for every node). */
    public boolean canFit(int share, int units, int maxSharers) {
        if (units <= 0) {
            return true;
        }
        int fitting = 0;
        for (int g = 0; g < load.length; g++) {
            if (load[g] + share <= FULL && sharers[g] + 1 <= maxSharers && ++fitting >= units) {
                return true;
            }
        }
        return false;
    }

    /** These shares with one more pod of {@code share} milli on each of {@code gpus}. */
    public GpuShares with(int[] gpus, int share) {
        int[] l = load.clone();
        int[] s = sharers.clone();
        for (int g : gpus) {
            if (g >= 0 && g < l.length) {
                l[g] += share;
                s[g]++;
            }
        }
        return new GpuShares(l, s);
    }

    private int[] leastLoaded(int units) {
        Integer[] order = new Integer[load.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(load[a], load[b]));
        int[] out = new int[Math.min(units, order.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = order[i];
        }
        return out;
    }

    public int gpus() {
        return load.length;
    }

    /** Declared milli-GPU on GPU {@code g}. */
    public int load(int g) {
        return load[g];
    }

    /** Milli-GPU still free on GPU {@code g}. */
    public int free(int g) {
        return FULL - load[g];
    }

    public int sharers(int g) {
        return sharers[g];
    }

    /** Free milli-GPU summed over the node's GPUs. */
    public int freeTotal() {
        int f = 0;
        for (int l : load) {
            f += Math.max(0, FULL - l);
        }
        return f;
    }

    /** Milli-GPU in use summed over the node's GPUs. */
    public int loadTotal() {
        int t = 0;
        for (int l : load) {
            t += Math.min(FULL, l);
        }
        return t;
    }

    /** Free milli per GPU, largest first: the state that matters for fitting (GPU order does not). A copy. */
    public int[] freeSortedDescending() {
        return freeDescending().clone();
    }

    /** {@link #freeSortedDescending()} computed once and shared: callers must not modify it. */
    public int[] freeDescending() {
        int[] f = freeDesc;
        if (f == null) {
            f = sortedFree();
            freeDesc = f;
        }
        return f;
    }

    private int[] sortedFree() {
        int[] f = new int[load.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = Math.max(0, FULL - load[i]);
        }
        Arrays.sort(f);
        for (int i = 0, j = f.length - 1; i < j; i++, j--) {
            int t = f[i];
            f[i] = f[j];
            f[j] = t;
        }
        return f;
    }

    @Override
    public String toString() {
        return "GpuShares" + Arrays.toString(load);
    }
}
