package io.gpuslicer.extender.core;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.policy.Policy;

/**
 * The {@link PodInfo} of the last few Pod objects, by identity of the Pod and of the policy it was derived
 * with. The request decoder hands out the very same Pod when kube-scheduler sends a pod again (prioritize
 * after filter, bind after both), so the pod is derived once per scheduling cycle, not once per call.
 * A PodInfo is immutable apart from its memo, which is safe to share (see {@link PodInfo#memo()}).
 */
public final class RecentPodInfos {
    static final int SIZE = 8;

    private record Entry(Pod pod, Policy policy, PodInfo info) {
    }

    private final Entry[] entries = new Entry[SIZE];
    private int next;

    public PodInfo of(Pod pod, Policy policy) {
        if (pod == null) {
            return PodInfo.of(null, policy);
        }
        synchronized (this) {
            for (Entry e : entries) {
                if (e != null && e.pod == pod && e.policy == policy) {
                    return e.info;
                }
            }
        }
        PodInfo info = PodInfo.of(pod, policy);
        synchronized (this) {
            entries[next] = new Entry(pod, policy, info);
            next = (next + 1) % SIZE;
        }
        return info;
    }
}
