package io.gpuslicer.webhook;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.gpuslicer.policy.Classification;
import io.gpuslicer.policy.Decision;
import io.gpuslicer.policy.GpuRequest;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.Pool;
import io.gpuslicer.policy.WorkloadClassifier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The webhook's decision, free of I/O: a pod, its namespace's labels, the policy and the priority
 * classes in, the placed pod and its decision record out (DESIGN.md, Webhook behaviour 1-7).
 * Only GPU pods are touched. The input pod is never modified. Running the mutator over its own
 * output changes nothing, so the API server's reinvocation is harmless.
 * <p>
 * Thread-safe; holds only a cache of the Kubernetes objects derived from the last policy seen.
 */
public final class PodMutator {
    static final String DEFAULT_SCHEDULER = "default-scheduler";

    private volatile PlacementPlan plan;

    public Mutation mutate(Pod pod, Map<String, String> namespaceLabels, Policy policy, PriorityClasses priorityClasses) {
        GpuRequest request = GpuRequest.of(pod.getSpec());
        if (!request.isGpuPod()) {
            return new Mutation.Skipped();
        }
        Map<String, String> podLabels = pod.getMetadata() == null ? Map.of() : pod.getMetadata().getLabels();
        Classification classification = WorkloadClassifier.classify(policy, podLabels, namespaceLabels, request);
        if (classification instanceof Classification.Denial denial) {
            return new Mutation.Denied(denial.message());
        }
        Classification.Placement placement = (Classification.Placement) classification;
        Optional<String> badShare = GpuShareCheck.refusal(pod, policy, placement);
        if (badShare.isPresent()) {
            return new Mutation.Denied(badShare.get());
        }
        String preBound = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (preBound != null && !preBound.isEmpty()) {
            return preBound(pod, placement, policy, priorityClasses, preBound);
        }
        if (policy.nodeSelectorConflict() == Policy.SelectorConflict.DENY) {
            Optional<String> conflict = NodePlacement.rulesOutEveryPool(pod.getSpec(), placement.pools());
            if (conflict.isPresent()) {
                return new Mutation.Denied("the pod's nodeSelector " + conflict.get() + " rules out every pool of workload type "
                        + placement.workloadType().name() + " (" + placement.pools().stream().map(Pool::name).collect(Collectors.joining(", "))
                        + "); remove it, or choose another workload type");
            }
        }
        List<String> warnings = new ArrayList<>(placement.warnings());
        Pod out = new PodBuilder(pod).build();
        PodSpec spec = out.getSpec();

        List<Pool> written = NodePlacement.apply(spec, placement.pools(), planFor(policy), warnings);
        Tolerations.add(spec, written, planFor(policy));
        PriorityAssignment.apply(spec, placement.workloadType().priorityClass(), priorityClasses, warnings);
        assignScheduler(spec, policy.schedulerName(), warnings);

        Decision decision = Decision.of(placement, policy.version());
        annotate(out, policy.vocabulary().decisionAnnotation(), decision.toJson());
        return new Mutation.Placed(out, decision, warnings);
    }

    /**
     * A pod created with {@code spec.nodeName} bypasses every scheduler: the kubelet of that node admits
     * it or not, and rejects it if a node selector or required affinity we added does not match its
     * node. So placement (node selector, affinity, tolerations, scheduler) is left exactly as written.
     * Priority is still set (it orders evictions and preemption victims; the Priority admission plugin
     * checks the three fields together either way) and the decision annotation still written (the
     * extender's ledger reads the workload type from it when choosing victims).
     */
    private Mutation preBound(Pod pod, Classification.Placement placement, Policy policy, PriorityClasses priorityClasses,
                              String node) {
        List<String> warnings = new ArrayList<>(placement.warnings());
        Pod out = new PodBuilder(pod).build();
        PriorityAssignment.apply(out.getSpec(), placement.workloadType().priorityClass(), priorityClasses, warnings);
        warnings.add("spec.nodeName " + node + " is set: pool placement left to the pod (the kubelet of " + node
                + " decides whether it can run it)");
        Decision decision = Decision.of(placement, policy.version());
        annotate(out, policy.vocabulary().decisionAnnotation(), decision.toJson());
        return new Mutation.Placed(out, decision, warnings);
    }

    /** Only a pod left to the default scheduler is handed to ours; a pod naming another scheduler keeps it. */
    private static void assignScheduler(PodSpec spec, String schedulerName, List<String> warnings) {
        if (schedulerName == null) {
            return;
        }
        String current = spec.getSchedulerName();
        if (current == null || current.isEmpty() || DEFAULT_SCHEDULER.equals(current)) {
            spec.setSchedulerName(schedulerName);
        } else if (!current.equals(schedulerName)) {
            warnings.add("schedulerName " + current + " kept; the policy's scheduler is " + schedulerName);
        }
    }

    private static void annotate(Pod pod, String key, String value) {
        if (pod.getMetadata() == null) {
            pod.setMetadata(new ObjectMeta());
        }
        Map<String, String> annotations = pod.getMetadata().getAnnotations() == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(pod.getMetadata().getAnnotations());
        annotations.put(key, value);
        pod.getMetadata().setAnnotations(annotations);
    }

    /** The derived objects of {@code policy}, rebuilt when its version changes (a reload). */
    private PlacementPlan planFor(Policy policy) {
        PlacementPlan current = plan;
        if (current == null || !current.policyVersion().equals(policy.version())) {
            current = new PlacementPlan(policy);
            plan = current;
        }
        return current;
    }
}
