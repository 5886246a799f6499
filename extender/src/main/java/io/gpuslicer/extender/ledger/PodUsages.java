package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.policy.Decision;
import io.gpuslicer.policy.GpuRequest;
import io.gpuslicer.policy.GpuShare;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns Pod objects into {@link PodUsage}. Decisions are interned: thousands of pods share a
 * handful of distinct decision annotations, and the ledger keeps one object per distinct one.
 */
public final class PodUsages {
    private static final int MAX_INTERNED = 10_000;
    private final String decisionAnnotation;
    private final String gpuShareKey;
    private final Map<String, Decision> interned = new ConcurrentHashMap<>();

    public PodUsages(String decisionAnnotation) {
        this(decisionAnnotation, null);
    }

    /** @param gpuShareKey label/annotation declaring the pod's GPU share; null: shares are not read */
    public PodUsages(String decisionAnnotation, String gpuShareKey) {
        this.decisionAnnotation = decisionAnnotation;
        this.gpuShareKey = gpuShareKey;
    }

    /** The node a pod occupies: bound, else nominated by preemption; null when neither. */
    public static String nodeOf(Pod pod) {
        String bound = boundNode(pod);
        return bound != null ? bound : nominatedNode(pod);
    }

    /** {@code spec.nodeName}, or null while the pod is not bound. */
    public static String boundNode(Pod pod) {
        String n = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        return n == null || n.isEmpty() ? null : n;
    }

    /** {@code status.nominatedNodeName} (set by preemption), or null. */
    public static String nominatedNode(Pod pod) {
        String n = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
        return n == null || n.isEmpty() ? null : n;
    }

    /** Terminated pods (Succeeded, Failed) have released their devices. */
    public static boolean isTerminated(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** The pod's GPU usage, or null when it holds no GPU resource (or has terminated). */
    public PodUsage of(Pod pod) {
        if (isTerminated(pod)) {
            return null;
        }
        GpuRequest request = GpuRequest.of(pod.getSpec());
        if (!request.isGpuPod()) {
            return null;
        }
        // Every mixed profile the pod holds is counted; the first one is kept apart (the common case, no map).
        String migProfile = null;
        int migUnits = 0;
        Map<String, Integer> otherMig = null;
        for (Map.Entry<String, Long> e : request.migDevices().entrySet()) {
            int units = (int) Math.min(Integer.MAX_VALUE, e.getValue());
            if (migProfile == null) {
                migProfile = e.getKey().intern();
                migUnits = units;
            } else {
                if (otherMig == null) {
                    otherMig = new java.util.TreeMap<>();
                }
                otherMig.put(e.getKey().intern(), units);
            }
        }
        var meta = pod.getMetadata();
        Integer priority = pod.getSpec().getPriority();
        // An invalid declaration counts as none: the webhook refuses it at admission, so only pods created around it carry one.
        int share = gpuShareKey == null ? 0 : GpuShare.of(meta.getLabels(), meta.getAnnotations(), gpuShareKey).milli();
        long[] cpuMem = Resources.podRequest(pod.getSpec());
        return new PodUsage(meta.getUid(), meta.getNamespace() + "/" + meta.getName(),
                priority == null ? 0 : priority, (int) request.gpus(), migProfile, migUnits,
                decision(meta.getAnnotations()), share, cpuMem[0], cpuMem[1], null, otherMig);
    }

    private Decision decision(Map<String, String> annotations) {
        String json = annotations == null ? null : annotations.get(decisionAnnotation);
        if (json == null) {
            return null;
        }
        Decision known = interned.get(json);
        if (known != null) {
            return known;
        }
        Decision parsed = Decision.parse(json).orElse(null);
        if (parsed != null && interned.size() < MAX_INTERNED) {
            interned.put(json, parsed);
        }
        return parsed;
    }
}
