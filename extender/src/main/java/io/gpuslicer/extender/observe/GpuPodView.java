package io.gpuslicer.extender.observe;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.extender.ledger.PodUsages;
import io.gpuslicer.policy.Policy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
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
        Instant utcSeconds = utcSeconds(timestamp);
        if (utcSeconds != null) {
            return utcSeconds;
        }
        try {
            return Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * {@code 2026-11-21T22:56:39Z}, the form the API server writes metadata timestamps in (RFC 3339, UTC, seconds),
     * read without a DateTimeFormatter (which costs microseconds per pod event); null for any other form.
     */
    private static Instant utcSeconds(String t) {
        if (t.length() != 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':' || t.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        return Instant.ofEpochSecond(LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second);
    }

    /** The decimal number in {@code s[from, to)}, or -1 when a character is not a digit. */
    private static int digits(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isEmpty();
    }
}
