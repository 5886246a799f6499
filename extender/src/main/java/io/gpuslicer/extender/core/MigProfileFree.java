package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.policy.NvidiaKeys;

/**
 * A MIG pod needs free instances of its profile: allocatable minus what non-terminated pods hold.
 * A request larger than every instance of the profile on the node can never fit: unresolvable, so
 * preemption does not try the node.
 */
public final class MigProfileFree implements Filter {
    @Override
    public Status filter(PodInfo pod, NodeState node) {
        if (!pod.isMig() || fits(pod, node)) {
            return Status.SUCCESS;
        }
        String profile = pod.migProfile();
        String resource = pod.mixedResource() ? NvidiaKeys.migResource(profile) : NvidiaKeys.GPU + " (MIG " + profile + ")";
        int capacity = node.inventory().migCapacity(profile);
        if (pod.units() > capacity) {
            return Status.unresolvable(Reason.EXCEEDS_NODE_CAPACITY, new Detail.InsufficientResource(resource, pod.units(),
                    node.usedMig(profile), capacity));
        }
        return Status.unschedulable(Reason.MIG_PROFILE_FULL, new Detail.InsufficientResource(resource, pod.units(),
                node.usedMig(profile), node.inventory().migCapacity(profile)));
    }

    static boolean fits(PodInfo pod, NodeState node) {
        return node.freeMig(pod.migProfile()) >= pod.units();
    }
}
