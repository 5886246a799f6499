package io.gpuslicer.extender.ledger;

import java.util.Arrays;
import java.util.List;

/**
 * The GPU pods on one node and what they hold. Immutable: a change makes a new one (copy-on-write
 * per node), so a snapshot of the ledger stays consistent while informer events arrive.
 */
public final class NodeUsage {
    public static final NodeUsage EMPTY = new NodeUsage(new PodUsage[0]);

    private final PodUsage[] pods;
    private final int gpuUnits;
    private final long cpuMilli;
    private final long memoryMib;
    /**
     * Per-GPU shares, modelled on first use for the inventory they were asked for. One immutable pair in
     * one field: EMPTY is shared by every idle node, and threads may model it for different inventories.
     */
    private volatile ModelledShares modelled;

    private record ModelledShares(NodeInventory inventory, GpuShares shares) {
    }

    /** One value the decision core derived from this usage, with the key it was derived for. */
    private volatile Derived derived;

    private record Derived(Object key, Object value) {
    }

    private NodeUsage(PodUsage[] pods) {
        this.pods = pods;
        int units = 0;
        long cpu = 0;
        long mem = 0;
        for (PodUsage p : pods) {
            units += p.gpuUnits();
            cpu += p.cpuMilli();
            mem += p.memoryMib();
        }
        this.gpuUnits = units;
        this.cpuMilli = cpu;
        this.memoryMib = mem;
    }

    public static NodeUsage of(List<PodUsage> pods) {
        return pods.isEmpty() ? EMPTY : new NodeUsage(pods.toArray(new PodUsage[0]));
    }

    /** This usage with {@code pod} added, replacing a pod of the same UID. */
    public NodeUsage with(PodUsage pod) {
        int at = indexOf(pod.uid());
        PodUsage[] next;
        if (at >= 0) {
            next = pods.clone();
            next[at] = pod;
        } else {
            next = Arrays.copyOf(pods, pods.length + 1);
            next[pods.length] = pod;
        }
        return new NodeUsage(next);
    }

    public NodeUsage without(String uid) {
        int at = indexOf(uid);
        if (at < 0) {
            return this;
        }
        if (pods.length == 1) {
            return EMPTY;
        }
        PodUsage[] next = new PodUsage[pods.length - 1];
        System.arraycopy(pods, 0, next, 0, at);
        System.arraycopy(pods, at + 1, next, at, pods.length - at - 1);
        return new NodeUsage(next);
    }

    /** {@code nvidia.com/gpu} + {@code nvidia.com/gpu.shared} units held: replicas, whole GPUs or MIG-single instances. */
    public int gpuUnits() {
        return gpuUnits;
    }

    /** CPU requested by the pods the ledger holds here, millicores. */
    public long cpuMilli() {
        return cpuMilli;
    }

    /** Memory requested by the pods the ledger holds here, MiB. */
    public long memoryMib() {
        return memoryMib;
    }

    /** Declared shares per physical GPU of {@code inventory}'s node, modelled once per usage ({@link GpuShares}). */
    public GpuShares shares(NodeInventory inventory) {
        ModelledShares m = modelled;
        if (m == null || m.inventory() != inventory) {
            m = new ModelledShares(inventory, GpuShares.of(inventory, this));
            modelled = m;
        }
        return m.shares();
    }

    /**
     * A value the decision core derives from this (immutable) usage, kept for the last key asked: the
     * fragmentation scorer asks the same question of a node on every scheduling cycle until a pod lands there.
     */
    @SuppressWarnings("unchecked")
    public <T> T derived(Object key, java.util.function.Supplier<T> compute) {
        Derived d = derived;
        if (d != null && d.key().equals(key)) {
            return (T) d.value();
        }
        T value = compute.get();
        derived = new Derived(key, value);
        return value;
    }

    /** Instances of a mixed-strategy profile held. */
    public int migUnits(String profile) {
        int n = 0;
        for (PodUsage p : pods) {
            if (profile.equals(p.migProfile())) {
                n += p.migUnits();
            }
        }
        return n;
    }

    public List<PodUsage> pods() {
        return List.of(pods);
    }

    public int podCount() {
        return pods.length;
    }

    public PodUsage pod(String uid) {
        int at = indexOf(uid);
        return at < 0 ? null : pods[at];
    }

    private int indexOf(String uid) {
        for (int i = 0; i < pods.length; i++) {
            if (pods[i].uid().equals(uid)) {
                return i;
            }
        }
        return -1;
    }
}
