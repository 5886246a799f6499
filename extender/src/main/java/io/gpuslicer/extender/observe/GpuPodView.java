package io.gpuslicer.extender.observe;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.extender.ledger.PodUsages;
import io.gpuslicer.policy.Policy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A GPU pod the webhook placed (it carries a decision), as an operator looks at it: its workload type,
 * the pool it wants first, when it was created, and where it is. One reading for the fleet metrics and
 * for {@code gpu-slicer status / explain}.
 *
 * @param info       the decision core's view of the pod (pools in order, MIG profile, units)
 * @param wantedPool the first pool of the decision: the pool it waits for while pending
 * @param created    {@code metadata.creationTimestamp}, or null when absent
 * @param node       {@code spec.nodeName}, or null while pending
 */
public record GpuPodView(PodInfo info, String namespace, String name, String wantedPool, Instant created, String node,
                         String nominatedNode, boolean terminated, boolean preemptedByScheduler) {
    /** kube-scheduler marks a victim with this condition before deleting it (k8s ≥ 1.26, pkg/scheduler/framework/preemption). */
    static final String DISRUPTION_TARGET = "DisruptionTarget";
    static final String PREEMPTION_BY_SCHEDULER = "PreemptionByScheduler";

    /** Empty for pods the extender passes through (no GPU request, no decision). */
    public static Optional<GpuPodView> of(Pod pod, Policy policy) {
        if (pod == null || pod.getMetadata() == null) {
            return Optional.empty();
        }
        PodInfo info = PodInfo.of(pod, policy);
        if (info.passThrough()) {
            return Optional.empty();
        }
        var meta = pod.getMetadata();
        String node = pod.getSpec() == null || isBlank(pod.getSpec().getNodeName()) ? null : pod.getSpec().getNodeName();
        String nominated = pod.getStatus() == null || isBlank(pod.getStatus().getNominatedNodeName()) ? null
                : pod.getStatus().getNominatedNodeName();
        return Optional.of(new GpuPodView(info, meta.getNamespace(), meta.getName(), info.pools()[0],
                instant(meta.getCreationTimestamp()), node, nominated, PodUsages.isTerminated(pod), preempted(pod)));
    }

    public String key() {
        return namespace + "/" + name;
    }

    public String uid() {
        return info.uid();
    }

    public String workloadType() {
        return info.workloadType();
    }

    /** Not bound, not finished: waiting for the scheduler. */
    public boolean pending() {
        return node == null && !terminated;
    }

    private static boolean preempted(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if (DISRUPTION_TARGET.equals(c.getType()) && "True".equals(c.getStatus()) && PREEMPTION_BY_SCHEDULER.equals(c.getReason())) {
                return true;
            }
        }
        return false;
    }

    static Instant instant(String timestamp) {
        if (isBlank(timestamp)) {
            return null;
        }
        try {
            return Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isEmpty();
    }
}
