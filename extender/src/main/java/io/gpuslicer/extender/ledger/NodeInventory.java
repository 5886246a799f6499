package io.gpuslicer.extender.ledger;

import java.util.List;
import java.util.Map;

/**
 * What a node offers, read from its Node object once per change: labels (for pool membership),
 * taints, and the GPU inventory. Immutable.
 *
 * @param product         {@code nvidia.com/gpu.product}, or null
 * @param physicalGpus    physical GPUs on the node (at least 1 when {@code kind} is not NONE)
 * @param replicaCapacity allocatable {@code nvidia.com/gpu} + {@code nvidia.com/gpu.shared} (replicas, whole GPUs or MIG-single instances)
 * @param replicasPerGpu  time-slice replicas of one GPU (1 for whole GPUs)
 * @param migCapacity     MIG profile -> allocatable instances on the node (MIG kinds only)
 * @param migConfigState  {@code nvidia.com/mig.config.state}, or null when mig-manager does not manage the node
 * @param resourceVersion the Node object's resourceVersion, or null: a full-Node request carrying the
 *                        same version is answered from this inventory without re-reading the Node
 * @param cpuMilli        allocatable CPU in millicores, 0 when unknown (what kube-scheduler's
 *                        NodeResourcesFit checks; the fragmentation scorer reads it)
 * @param memoryMib       allocatable memory in MiB, 0 when unknown
 */
public record NodeInventory(String name, Map<String, String> labels, List<NodeTaint> taints, String product,
                            GpuKind kind, int physicalGpus, int replicaCapacity, int replicasPerGpu,
                            Map<String, Integer> migCapacity, String migConfigState, String resourceVersion,
                            long cpuMilli, long memoryMib) {
    public NodeInventory {
        labels = Map.copyOf(labels);
        taints = List.copyOf(taints);
        migCapacity = Map.copyOf(migCapacity);
    }

    /** An inventory without CPU and memory figures (unknown: 0). */
    public NodeInventory(String name, Map<String, String> labels, List<NodeTaint> taints, String product,
                         GpuKind kind, int physicalGpus, int replicaCapacity, int replicasPerGpu,
                         Map<String, Integer> migCapacity, String migConfigState, String resourceVersion) {
        this(name, labels, taints, product, kind, physicalGpus, replicaCapacity, replicasPerGpu, migCapacity,
                migConfigState, resourceVersion, 0, 0);
    }

    /** Milli-GPU one replica stands for when a pod declares no share: a whole GPU split evenly between replicas. */
    public int defaultShareMilli() {
        return 1000 / Math.max(1, replicasPerGpu);
    }

    public int migCapacity(String profile) {
        Integer n = migCapacity.get(profile);
        return n == null ? 0 : n;
    }

    /** Instances of {@code profile} one physical GPU holds on this node, for per-GPU occupancy. */
    public int migInstancesPerGpu(String profile) {
        return Math.max(1, ceilDiv(migCapacity(profile), Math.max(1, physicalGpus)));
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
