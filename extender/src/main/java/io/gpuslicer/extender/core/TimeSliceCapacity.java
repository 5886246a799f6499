package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.GpuOccupancy;
import io.gpuslicer.extender.ledger.NodeState;

/**
 * A time-sliced pod needs free replicas, and the pods sharing each GPU after it lands
 * (⌈replicas in use ÷ physical GPUs⌉, as the device plugin spreads replicas) must stay within the
 * policy's {@code maxSharersPerGpu}, which may be set below the device plugin's replicas.
 * A pod that would break either limit even on the empty node (more replicas than the node has, or
 * ⌈replicas ÷ GPUs⌉ over the cap by itself) can never fit there: unresolvable.
 */
public final class TimeSliceCapacity implements Filter {
    @Override
    public Status filter(PodInfo pod, NodeState node) {
        if (pod.isMig()) {
            return Status.SUCCESS;
        }
        int used = node.usage().gpuUnits();
        int capacity = node.inventory().replicaCapacity();
        int cap = pod.contention().maxSharersPerGpu();
        if (pod.units() > capacity) {
            return Status.unresolvable(Reason.EXCEEDS_NODE_CAPACITY,
                    new Detail.InsufficientResource("time-slice replicas", pod.units(), used, capacity));
        }
        int alone = GpuOccupancy.sharersPerGpu(0, pod.units(), node.inventory().physicalGpus());
        if (alone > cap) {
            return Status.unresolvable(Reason.SHARERS_OVER_CAP, new Detail.SharersOverCap(alone, cap));
        }
        if (capacity - used < pod.units()) {
            return Status.unschedulable(Reason.REPLICAS_FULL,
                    new Detail.InsufficientResource("time-slice replicas", pod.units(), used, capacity));
        }
        int sharers = GpuOccupancy.sharersPerGpu(used, pod.units(), node.inventory().physicalGpus());
        if (sharers > cap) {
            return Status.unschedulable(Reason.SHARERS_OVER_CAP, new Detail.SharersOverCap(sharers, cap));
        }
        return Status.SUCCESS;
    }
}
