package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.GpuOccupancy;
import io.gpuslicer.extender.ledger.NodeState;

/**
 * A time-sliced pod needs free replicas, and the pods sharing each GPU after it lands
 * (⌈replicas in use ÷ physical GPUs⌉, as the device plugin spreads replicas) must stay within the
 * policy's {@code maxSharersPerGpu}, which may be set below the device plugin's replicas.
 */
public final class TimeSliceCapacity implements Filter {
    @Override
    public Status filter(PodInfo pod, NodeState node) {
        if (pod.isMig()) {
            return Status.SUCCESS;
        }
        int used = node.usage().gpuUnits();
        int capacity = node.inventory().replicaCapacity();
        if (capacity - used < pod.units()) {
            return Status.unschedulable(Reason.REPLICAS_FULL,
                    new Detail.InsufficientResource("time-slice replicas", pod.units(), used, capacity));
        }
        int sharers = GpuOccupancy.sharersPerGpu(used, pod.units(), node.inventory().physicalGpus());
        int cap = pod.contention().maxSharersPerGpu();
        if (sharers > cap) {
            return Status.unschedulable(Reason.SHARERS_OVER_CAP, new Detail.SharersOverCap(sharers, cap));
        }
        return Status.SUCCESS;
    }
}
