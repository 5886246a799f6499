package io.gpuslicer.extender.ledger;

import java.util.Arrays;
import java.util.List;

/**
 * The GPU pods on one node and what they hold. Immutable: a change makes a new one (copy-on-write
 * per node), so a snapshot of the ledger stays consistent while informer events arrive.
 * <p>
 * Three kinds of pods, kept apart because kube-scheduler treats them apart:
 * <ul>
 *   <li><b>bound</b> — the informer shows {@code spec.nodeName}: counted, and the only possible
 *       preemption victims (kube-scheduler looks victims up among the node's pods);</li>
 *   <li><b>reserved</b> — the extender's bind verb accepted the pod and the Binding is in flight
 *       (kube-scheduler's "assumed" pod): counted, never a victim;</li>
 *   <li><b>nominated</b> — {@code status.nominatedNodeName} after a preemption: counted only for
 *       a pod of lower or equal priority and never for itself ({@link #asSeenBy}).</li>
 * </ul>
 */
public final class NodeUsage {
    private static final PodUsage[] NONE = new PodUsage[0];
    public static final NodeUsage EMPTY = new NodeUsage(NONE, 0, NONE);

    /** Counted pods: {@code [0, bound)} bound, the rest reserved (or, in a view, nominated ones that count). */
    private final PodUsage[] pods;
    private final int bound;
    private final PodUsage[] nominated;
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

    private NodeUsage(PodUsage[] pods, int bound, PodUsage[] nominated) {
        this.pods = pods;
        this.bound = bound;
        this.nominated = nominated;
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

    /** Bound pods only. */
    public static NodeUsage of(List<PodUsage> pods) {
        return pods.isEmpty() ? EMPTY : new NodeUsage(pods.toArray(NONE), pods.size(), NONE);
    }

    /** This usage with {@code pod} bound, replacing any entry of the same UID. */
    public NodeUsage with(PodUsage pod) {
        NodeUsage rest = without(pod.uid());
        return new NodeUsage(insert(rest.pods, rest.bound, pod), rest.bound + 1, rest.nominated);
    }

    /** This usage with {@code pod} reserved (binding in flight), replacing any entry of the same UID. */
    public NodeUsage withReserved(PodUsage pod) {
        NodeUsage rest = without(pod.uid());
        return new NodeUsage(insert(rest.pods, rest.pods.length, pod), rest.bound, rest.nominated);
    }

    /** This usage with {@code pod} nominated here, replacing any entry of the same UID. */
    public NodeUsage withNominated(PodUsage pod) {
        NodeUsage rest = without(pod.uid());
        return new NodeUsage(rest.pods, rest.bound, insert(rest.nominated, rest.nominated.length, pod));
    }

    /** This usage without the pod of {@code uid}, whichever kind it is. */
    public NodeUsage without(String uid) {
        int at = indexOf(pods, uid);
        if (at >= 0) {
            PodUsage[] left = remove(pods, at);
            return left.length == 0 && nominated.length == 0 ? EMPTY : new NodeUsage(left, at < bound ? bound - 1 : bound, nominated);
        }
        at = indexOf(nominated, uid);
        if (at >= 0) {
            PodUsage[] left = remove(nominated, at);
            return pods.length == 0 && left.length == 0 ? EMPTY : new NodeUsage(pods, bound, left);
        }
        return this;
    }

    /**
     * The node as kube-scheduler's filters see it for one pod ({@code addGENominatedPods} in
     * pkg/scheduler/framework/runtime/framework.go): pods nominated here count when their priority
     * is at least the pod's and they are not the pod itself; the pod's own reservation never counts
     * against it. Nodes without reservations or nominations are returned as they are (no allocation).
     */
    public NodeUsage asSeenBy(String uid, int priority) {
        if (nominated.length == 0 && bound == pods.length) {
            return this;
        }
        int selfAt = uid == null ? -1 : indexOf(pods, bound, uid);
        int extra = 0;
        for (PodUsage n : nominated) {
            if (counts(n, uid, priority)) {
                extra++;
            }
        }
        if (selfAt < 0 && extra == 0) {
            return this;
        }
        PodUsage[] seen = new PodUsage[pods.length - (selfAt < 0 ? 0 : 1) + extra];
        int k = 0;
        for (int i = 0; i < pods.length; i++) {
            if (i != selfAt) {
                seen[k++] = pods[i];
            }
        }
        for (PodUsage n : nominated) {
            if (counts(n, uid, priority)) {
                seen[k++] = n;
            }
        }
        return new NodeUsage(seen, bound, NONE);
    }

    private static boolean counts(PodUsage nominated, String uid, int priority) {
        return nominated.priority() >= priority && !nominated.uid().equals(uid);
    }

    /** No reservation and no nominated pod: {@link #asSeenBy} is this usage for every pod. */
    public boolean isPlain() {
        return nominated.length == 0 && bound == pods.length;
    }

    /** {@code nvidia.com/gpu} + {@code nvidia.com/gpu.shared} units held by counted pods: replicas, whole GPUs or MIG-single instances. */
    public int gpuUnits() {
        return gpuUnits;
    }

    /** CPU requested by the counted pods, millicores. */
    public long cpuMilli() {
        return cpuMilli;
    }

    /** Memory requested by the counted pods, MiB. */
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

    /** Instances of a mixed-strategy profile held by counted pods. */
    public int migUnits(String profile) {
        int n = 0;
        for (PodUsage p : pods) {
            n += p.migUnitsOf(profile);
        }
        return n;
    }

    /** Counted pods: bound, reserved, and (in a view from {@link #asSeenBy}) the nominated pods that count. */
    public List<PodUsage> pods() {
        return List.of(pods);
    }

    /** Pods the informer shows bound here: the only pods kube-scheduler can evict from this node. */
    public List<PodUsage> bound() {
        return List.of(pods).subList(0, bound);
    }

    /** Pods whose binding to this node is in flight. */
    public List<PodUsage> reserved() {
        return bound == pods.length ? List.of() : List.of(Arrays.copyOfRange(pods, bound, pods.length));
    }

    /** Pods nominated to this node (not counted until {@link #asSeenBy}). */
    public List<PodUsage> nominated() {
        return List.of(nominated);
    }

    /** Counted pods. */
    public int podCount() {
        return pods.length;
    }

    /** No pod of any kind. */
    public boolean isEmpty() {
        return pods.length == 0 && nominated.length == 0;
    }

    /** A counted pod (bound or reserved) of this UID, or null. */
    public PodUsage pod(String uid) {
        int at = indexOf(pods, uid);
        return at < 0 ? null : pods[at];
    }

    /** A bound pod of this UID, or null: what kube-scheduler would find on the node. */
    public PodUsage boundPod(String uid) {
        for (int i = 0; i < bound; i++) {
            if (pods[i].uid().equals(uid)) {
                return pods[i];
            }
        }
        return null;
    }

    private static int indexOf(PodUsage[] in, String uid) {
        return indexOf(in, 0, uid);
    }

    private static int indexOf(PodUsage[] in, int from, String uid) {
        for (int i = from; i < in.length; i++) {
            if (in[i].uid().equals(uid)) {
                return i;
            }
        }
        return -1;
    }

    private static PodUsage[] insert(PodUsage[] in, int at, PodUsage pod) {
        PodUsage[] out = new PodUsage[in.length + 1];
        System.arraycopy(in, 0, out, 0, at);
        out[at] = pod;
        System.arraycopy(in, at, out, at + 1, in.length - at);
        return out;
    }

    private static PodUsage[] remove(PodUsage[] in, int at) {
        if (in.length == 1) {
            return NONE;
        }
        PodUsage[] out = new PodUsage[in.length - 1];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(in, at + 1, out, at, in.length - at - 1);
        return out;
    }
}
