package io.gpuslicer.extender.core;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.policy.Contention;
import io.gpuslicer.policy.Decision;
import io.gpuslicer.policy.GpuRequest;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.Pool;
import io.gpuslicer.policy.ScoringWeights;
import io.gpuslicer.policy.SharingMode;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything the filters and scorers need about the pod, derived once per request (kube-scheduler's
 * PreFilter / CycleState), together with the policy values of that request's snapshot.
 *
 * @param passThrough   true for pods that are not ours (no GPU request, no decision annotation):
 *                      every node passes, scores are neutral
 * @param passReason    why the pod passes through, for logs; null otherwise
 * @param pools         pools the pod may use, preferred first (from the decision annotation)
 * @param migProfile    the pinned MIG profile; null for time-sliced pods
 * @param mixedResource true when the pod asks for {@code nvidia.com/mig-<profile>} (MIG mixed strategy)
 * @param units         replicas (time-sliced) or MIG instances wanted
 * @param memo          memo of refusals that depend only on node attributes many nodes share (kube-scheduler's
 *                      CycleState), e.g. by a node's pool set: keys compare by identity (arrays). Concurrent, as
 *                      one PodInfo may serve the calls of one pod on several threads ({@link RecentPodInfos})
 * @param shape         CPU, memory, GPUs, declared GPU share and allowed GPU models (fragmentation, shares)
 * @param filterClass   what the filters read of all this, interned: the key of verdicts nodes remember; derived
 *                      from the other components (a value passed in is ignored)
 */
public record PodInfo(boolean passThrough, String passReason, String uid, String key, int priority,
                      String workloadType, SharingMode mode, String[] pools, String migProfile,
                      boolean mixedResource, int units, Contention contention, ScoringWeights weights,
                      Map<Object, Status> memo, PodShape shape, FilterClass filterClass) {

    public PodInfo {
        memo = memo == null ? new ConcurrentHashMap<>() : memo;
        shape = shape == null ? PodShape.NONE : shape;
        filterClass = FilterClass.of(passThrough, mode, pools, migProfile, mixedResource, units, contention, shape);
    }

    public PodInfo(boolean passThrough, String passReason, String uid, String key, int priority,
                   String workloadType, SharingMode mode, String[] pools, String migProfile,
                   boolean mixedResource, int units, Contention contention, ScoringWeights weights,
                   Map<Object, Status> memo, PodShape shape) {
        this(passThrough, passReason, uid, key, priority, workloadType, mode, pools, migProfile, mixedResource, units,
                contention, weights, memo, shape, null);
    }

    /** A pod without a known shape (no declared share, CPU or memory). */
    public PodInfo(boolean passThrough, String passReason, String uid, String key, int priority,
                   String workloadType, SharingMode mode, String[] pools, String migProfile,
                   boolean mixedResource, int units, Contention contention, ScoringWeights weights,
                   Map<Object, Status> memo) {
        this(passThrough, passReason, uid, key, priority, workloadType, mode, pools, migProfile, mixedResource, units,
                contention, weights, memo, PodShape.NONE);
    }

    public static PodInfo passThrough(Pod pod, String why) {
        return new PodInfo(true, why, uid(pod), key(pod), priority(pod), null, null, new String[0], null, false, 0,
                Contention.DEFAULT, ScoringWeights.DEFAULT, null);
    }

    public static PodInfo of(Pod pod, Policy policy) {
        if (pod == null) {
            return passThrough(null, "no pod");
        }
        GpuRequest request = GpuRequest.of(pod.getSpec());
        if (!request.isGpuPod()) {
            // Passes every filter; only the fragmentation scorer ranks it (GPU capacity its CPU and memory would strand).
            return new PodInfo(true, "no GPU request", uid(pod), key(pod), priority(pod), null, null, new String[0], null,
                    false, 0, policy.contention(), policy.scoring(), null, PodShape.of(pod, policy.vocabulary().gpuShareKey()));
        }
        Map<String, String> annotations = pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations();
        String json = annotations == null ? null : annotations.get(policy.vocabulary().decisionAnnotation());
        Decision decision = Decision.parse(json).orElse(null);
        if (decision == null) {
            return passThrough(pod, json == null ? "no decision annotation" : "unreadable decision annotation");
        }
        SharingMode mode = decision.sharingMode().orElse(null);
        if (mode == null) {
            return passThrough(pod, "decision names unknown sharing mode " + decision.mode());
        }
        String[] pools = decision.pools().toArray(new String[0]);
        for (int i = 0; i < pools.length; i++) {
            // The policy's own String: rankOn compares it with the nodes' pool names thousands of times per call,
            // and String.equals answers the same object at once.
            Pool known = policy.pools().get(pools[i]);
            if (known != null) {
                pools[i] = known.name();
            }
        }
        String profile = null;
        boolean mixed = false;
        long units;
        if (mode == SharingMode.MIG) {
            profile = decision.migProfile() != null ? decision.migProfile() : profileOfPool(policy, pools[0]);
            if (profile == null) {
                return passThrough(pod, "MIG decision without a profile");
            }
            Long mixedUnits = request.migDevices().get(profile);
            mixed = mixedUnits != null;
            units = mixed ? mixedUnits : request.gpus();
        } else {
            units = request.gpus();
        }
        if (units <= 0) {
            return passThrough(pod, "no GPU units of the decided kind requested");
        }
        return new PodInfo(false, null, uid(pod), key(pod), priority(pod), decision.workloadType(), mode, pools,
                profile, mixed, (int) Math.min(Integer.MAX_VALUE, units), policy.contention(), policy.scoring(), null,
                mode == SharingMode.MIG ? PodShape.NONE : PodShape.of(pod, policy.vocabulary().gpuShareKey()));
    }

    private static String profileOfPool(Policy policy, String pool) {
        Pool p = policy.pools().get(pool);
        return p == null ? null : p.migProfile();
    }

    public boolean isMig() {
        return mode == SharingMode.MIG;
    }

    /** Rank of the best of the node's pools for this pod (0 = preferred), or -1 when none is allowed. */
    public int rankOn(Pool[] nodePools) {
        int best = -1;
        for (Pool p : nodePools) {
            String name = p.name();
            for (int r = 0; r < pools.length; r++) {
                if (pools[r].equals(name)) {
                    if (best < 0 || r < best) {
                        best = r;
                    }
                    break;
                }
            }
        }
        return best;
    }

    public List<String> poolList() {
        return List.of(pools);
    }

    private static String uid(Pod pod) {
        return pod == null || pod.getMetadata() == null ? null : pod.getMetadata().getUid();
    }

    private static String key(Pod pod) {
        return pod == null || pod.getMetadata() == null ? null : pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    private static int priority(Pod pod) {
        return pod == null || pod.getSpec() == null || pod.getSpec().getPriority() == null ? 0 : pod.getSpec().getPriority();
    }
}
