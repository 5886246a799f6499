package io.gpuslicer.extender.ledger;

/**
 * Per-physical-GPU occupancy, modelled from node totals the way NVIDIA's device plugin hands
 * devices out. The API server only knows node totals; these models are what the decision core
 * (and a trace-replay simulator driving the same core) reasons with.
 * <ul>
 *   <li>Time-slice replicas: the device plugin advertises replicas of every GPU and its
 *       allocator prefers the least-used GPU, so {@code u} replicas over {@code g} GPUs sit
 *       {@code ⌈u/g⌉} deep on the busiest GPU.</li>
 *   <li>MIG instances: a GPU's instances are fixed by its layout; used instances are counted
 *       GPU by GPU, so the rest of the node's GPUs stay whole for later pods.</li>
 * </ul>
 */
public final class GpuOccupancy {
    private GpuOccupancy() {
    }

    /** Pods sharing the busiest GPU once {@code adding} more replicas are placed: ⌈(used + adding) ÷ GPUs⌉. */
    public static int sharersPerGpu(int usedReplicas, int adding, int physicalGpus) {
        int gpus = Math.max(1, physicalGpus);
        return NodeInventory.ceilDiv(Math.max(0, usedReplicas + adding), gpus);
    }

    /** Replicas in use on each GPU: spread evenly, the first GPUs one deeper. */
    public static int[] replicasPerGpu(int usedReplicas, int physicalGpus) {
        int gpus = Math.max(1, physicalGpus);
        int[] out = new int[gpus];
        for (int i = 0; i < gpus; i++) {
            out[i] = usedReplicas / gpus + (i < usedReplicas % gpus ? 1 : 0);
        }
        return out;
    }

    /** MIG instances in use on each GPU, filled GPU by GPU. */
    public static int[] migInstancesPerGpu(int usedInstances, int instancesPerGpu, int physicalGpus) {
        int gpus = Math.max(1, physicalGpus);
        int per = Math.max(1, instancesPerGpu);
        int[] out = new int[gpus];
        int left = usedInstances;
        for (int i = 0; i < gpus && left > 0; i++) {
            out[i] = Math.min(per, left);
            left -= out[i];
        }
        return out;
    }

    /** GPUs with no MIG instance in use (they could still be re-partitioned). */
    public static int wholeFreeGpus(int usedInstances, int instancesPerGpu, int physicalGpus) {
        int per = Math.max(1, instancesPerGpu);
        int touched = NodeInventory.ceilDiv(Math.max(0, usedInstances), per);
        return Math.max(0, physicalGpus - touched);
    }
}
