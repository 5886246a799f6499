package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.GpuKind;
import io.gpuslicer.extender.ledger.NodeInventory;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.policy.NvidiaKeys;

/**
 * The node offers the kind of GPU the pod asks for: replicas (or whole GPUs) for a time-sliced pod;
 * for a MIG pod, its profile under the strategy its request implies ({@code nvidia.com/mig-<profile>}
 * needs {@code mixed}, {@code nvidia.com/gpu} needs {@code single} with that profile). A mismatch
 * will not go away by waiting: unresolvable.
 */
public final class GpuKindMatches implements Filter {
    @Override
    public Status filter(PodInfo pod, NodeState node) {
        NodeInventory inv = node.inventory();
        GpuKind kind = inv.kind();
        if (kind == GpuKind.NONE) {
            return Status.unresolvable(Reason.NO_GPU, null);
        }
        if (!pod.isMig()) {
            return kind.servesShared() ? Status.SUCCESS : mismatch("time-slice replicas", offered(inv));
        }
        GpuKind needed = pod.mixedResource() ? GpuKind.MIG_MIXED : GpuKind.MIG_SINGLE;
        if (kind == needed && inv.migCapacity(pod.migProfile()) > 0) {
            return Status.SUCCESS;
        }
        return mismatch(pod.mixedResource() ? NvidiaKeys.migResource(pod.migProfile())
                : "MIG " + pod.migProfile() + " (single strategy)", offered(inv));
    }

    private static Status mismatch(String needed, String offered) {
        return Status.unresolvable(Reason.WRONG_GPU_KIND, new Detail.GpuKindMismatch(needed, offered));
    }

    private static String offered(NodeInventory inv) {
        return switch (inv.kind()) {
            case MIG_SINGLE, MIG_MIXED -> "MIG " + String.join(",", new java.util.TreeSet<>(inv.migCapacity().keySet()))
                    + " (" + (inv.kind() == GpuKind.MIG_SINGLE ? "single" : "mixed") + " strategy)";
            case SHARED -> inv.replicasPerGpu() + " time-slice replicas per GPU";
            case WHOLE -> "whole GPUs";
            case NONE -> "no GPU";
        };
    }
}
