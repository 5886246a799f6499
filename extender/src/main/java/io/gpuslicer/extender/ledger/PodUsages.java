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
        if (pod.getSpec() != null && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
            return pod.getSpec().getNodeName();
        }
        if (pod.getStatus() != null && pod.getStatus().getNominatedNodeName() != null
                && !pod.getStatus().getNominatedNodeName().isEmpty()) {
            return pod.getStatus().getNominatedNodeName();
        }
        return null;
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
        String migProfile = null;
        int migUnits = 0;
        for (Map.Entry<String, Long> e : request.migDevices().entrySet()) {
            // A pod holding several mixed profiles is rare; the first one is what the ledger keys on.
            migProfile = e.getKey().intern();
            migUnits = e.getValue().intValue();
            break;
        }
        var meta = pod.getMetadata();
        Integer priority = pod.getSpec().getPriority();
        // An invalid declaration counts as none: the webhook refuses it at admission, so only pods created around it carry one.
        int share = gpuShareKey == null ? 0 : GpuShare.of(meta.getLabels(), meta.getAnnotations(), gpuShareKey).milli();
        long[] cpuMem = Resources.podRequest(pod.getSpec());
        return new PodUsage(meta.getUid(), meta.getNamespace() + "/" + meta.getName(),
                priority == null ? 0 : priority, (int) request.gpus(), migProfile, migUnits,
                decision(meta.getAnnotations()), share, cpuMem[0], cpuMem[1], null);
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
