package io.gpuslicer.simulator;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.gpuslicer.policy.Decision;
import io.gpuslicer.policy.NvidiaKeys;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.Pool;
import io.gpuslicer.policy.WorkloadType;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trace rows as the Kubernetes objects the live extender sees: a node as GPU feature discovery and a
 * time-slicing device plugin label it, a task as a pod the webhook admitted (decision annotation,
 * declared GPU share, a node affinity for allowed GPU models). The simulator and the tests that compare it
 * with the live extender build their state from the same objects.
 */
public final class ClusterObjects {
    /** Replicas per GPU the simulated device plugin advertises: openb shares go down to 0.05 GPU. */
    public static final int REPLICAS_PER_GPU = 20;
    public static final String NAMESPACE = "openb";

    private final Policy policy;
    private final Map<String, String> poolLabels;
    private final String decision;

    /** Nodes are labelled into the first pool of the policy's default workload type (else its first workload type). */
    public ClusterObjects(Policy policy) {
        this.policy = policy;
        WorkloadType type = policy.defaultWorkloadType() != null ? policy.workloadTypes().get(policy.defaultWorkloadType())
                : policy.workloadTypes().values().iterator().next();
        Pool pool = type.pools().get(0);
        this.poolLabels = pool.nodeSelector();
        this.decision = new Decision(type.name(), pool.mode().wireName(), type.pools().stream().map(Pool::name).toList(),
                null, policy.version()).toJson();
    }

    public Node node(OpenbTrace.TraceNode n) {
        Map<String, String> labels = new LinkedHashMap<>(poolLabels);
        labels.put("kubernetes.io/hostname", n.name());
        if (n.model() != null) {
            labels.put(NvidiaKeys.GPU_PRODUCT, n.model());
        }
        labels.put(NvidiaKeys.GPU_COUNT, String.valueOf(n.gpus()));
        labels.put(NvidiaKeys.GPU_REPLICAS, String.valueOf(REPLICAS_PER_GPU));
        labels.put(NvidiaKeys.SHARING_STRATEGY, "time-slicing");
        Map<String, Quantity> alloc = new HashMap<>();
        alloc.put("cpu", new Quantity(n.cpuMilli() + "m"));
        alloc.put("memory", new Quantity(n.memoryMib() + "Mi"));
        if (n.gpus() > 0) {
            alloc.put(NvidiaKeys.GPU, new Quantity(String.valueOf(n.gpus() * REPLICAS_PER_GPU)));
        }
        return new NodeBuilder().withNewMetadata().withName(n.name()).withLabels(labels).withResourceVersion("1").endMetadata()
                .withNewStatus().withAllocatable(alloc).withCapacity(alloc).endStatus().build();
    }

    /** The task as an admitted pod; {@code uid} must be unique in the replay (a task may arrive more than once). */
    public Pod pod(OpenbTrace.TraceTask t, String uid) {
        Map<String, Quantity> requests = new HashMap<>();
        requests.put("cpu", new Quantity(t.cpuMilli() + "m"));
        requests.put("memory", new Quantity(t.memoryMib() + "Mi"));
        Map<String, String> labels = new HashMap<>();
        Map<String, String> annotations = new HashMap<>();
        if (t.gpus() > 0) {
            requests.put(NvidiaKeys.GPU, new Quantity(String.valueOf(t.gpus())));
            labels.put(policy.vocabulary().gpuShareKey(), t.gpuMilli() + "m");
            annotations.put(policy.vocabulary().decisionAnnotation(), decision);
        }
        PodBuilder b = new PodBuilder().withNewMetadata().withName(uid).withNamespace(NAMESPACE).withUid(uid)
                .withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec().addNewContainer().withName("task").withNewResources().withRequests(requests).endResources()
                .endContainer().endSpec();
        if (t.gpuSpec() != null) {
            List<String> models = Arrays.asList(t.gpuSpec().split("\\|"));
            b.editSpec().withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .addNewNodeSelectorTerm().withMatchExpressions(new NodeSelectorRequirementBuilder()
                            .withKey(NvidiaKeys.GPU_PRODUCT).withOperator("In").withValues(models).build())
                    .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity()
                    .endAffinity().endSpec();
        }
        return b.build();
    }
}
