package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.policy.NvidiaKeys;

/** A MIG pod needs free instances of its profile: allocatable minus what non-terminated pods hold. */
public final class MigProfileFree implements Filter {
    @Override
    public Status filter(PodInfo pod, NodeState node) {
        if (!pod.isMig() || fits(pod, node)) {
            return Status.SUCCESS;
        }
        String profile = pod.migProfile();
        String resource = pod.mixedResource() ? NvidiaKeys.migResource(profile) : NvidiaKeys.GPU + " (MIG " + profile + ")";
        return Status.unschedulable(Reason.MIG_PROFILE_FULL, new Detail.InsufficientResource(resource, pod.units(),
                node.usedMig(profile), node.inventory().migCapacity(profile)));
    }

    static boolean fits(PodInfo pod, NodeState node) {
        return node.freeMig(pod.migProfile()) >= pod.units();
    }
}
