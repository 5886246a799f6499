package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.GpuOccupancy;
import io.gpuslicer.extender.ledger.GpuShares;
import io.gpuslicer.extender.ledger.NodeState;

/**
 * A time-sliced pod needs free replicas, and its share of a GPU must fit:
 * <ul>
 *   <li>replicas: allocatable minus held;</li>
 *   <li>a pod without a declared share: the pods sharing each GPU after it lands
 *       (⌈replicas in use ÷ physical GPUs⌉, as the device plugin spreads replicas) must stay within the
 *       policy's {@code maxSharersPerGpu}, which may be set below the device plugin's replicas;</li>
 *   <li>declared shares ({@code gpuslicer.io/gpu-share}) per physical GPU ({@link GpuShares}) must not pass
 *       one GPU, on as many GPUs as the pod asks for, each with fewer than {@code maxSharersPerGpu} pods;
 *       a whole-GPU share needs a GPU with no sharer. A pod without a declaration counts as
 *       1 ÷ replicas per GPU here.</li>
 * </ul>
 * A pod that would break a limit even on the empty node (more replicas than the node has, or
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
        boolean declared = pod.shape().shareMilli() > 0;
        if (!declared) {
            int sharers = GpuOccupancy.sharersPerGpu(used, pod.units(), node.inventory().physicalGpus());
            if (sharers > cap) {
                return Status.unschedulable(Reason.SHARERS_OVER_CAP, new Detail.SharersOverCap(sharers, cap));
            }
        }
        GpuShares shares = node.usage().shares(node.inventory());
        int share = GpuShares.shareOf(pod.shape().shareMilli(), node.inventory());
        // A declared share is held on as many distinct GPUs as the pod asks for. Replicas without a declaration are
        // what the device plugin hands out, possibly several of one GPU: the replica count and the sharer cap above
        // bound them, and the share model only asks that some GPU still has room for one replica.
        if (!shares.canFit(share, declared ? pod.units() : 1, declared ? cap : Integer.MAX_VALUE)) {
            int mostFree = shares.gpus() == 0 ? 0 : shares.freeSortedDescending()[0];
            return Status.unschedulable(Reason.GPU_SHARE_FULL, new Detail.ShareOverflow(share, pod.units(), mostFree));
        }
        return Status.SUCCESS;
    }
}
