package io.gpuslicer.e2e.extender;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.gpuslicer.policy.Classification;
import io.gpuslicer.policy.Decision;
import io.gpuslicer.policy.GpuRequest;
import io.gpuslicer.policy.MigProfiles;
import io.gpuslicer.policy.NvidiaKeys;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.WorkloadClassifier;

import java.util.HashMap;
import java.util.Map;

/** Nodes as GFD and the device plugin label them, and pods as the webhook leaves them (decision annotation included). */
final class ClusterBuilder {
    private final Policy policy;

    ClusterBuilder(Policy policy) {
        this.policy = policy;
    }

    /** A time-sliced node of {@code pool}: {@code gpus} GPUs with {@code replicas} replicas each. */
    Node sharedNode(String name, String pool, int gpus, int replicas) {
        Map<String, String> labels = new HashMap<>(policy.pools().get(pool).nodeSelector());
        labels.put(NvidiaKeys.GPU_PRODUCT, "NVIDIA-A100-SXM4-80GB-SHARED");
        labels.put(NvidiaKeys.GPU_COUNT, String.valueOf(gpus));
        labels.put(NvidiaKeys.GPU_REPLICAS, String.valueOf(replicas));
        labels.put(NvidiaKeys.SHARING_STRATEGY, "time-slicing");
        return node(name, labels, NvidiaKeys.GPU, gpus * replicas);
    }

    /** A MIG-single node of {@code pool}, its {@code gpus} GPUs fully partitioned into the pool's profile. */
    Node migNode(String name, String pool, int gpus) {
        String profile = policy.pools().get(pool).migProfile();
        Map<String, String> labels = new HashMap<>(policy.pools().get(pool).nodeSelector());
        labels.put(NvidiaKeys.GPU_PRODUCT, "NVIDIA-A100-SXM4-80GB-MIG-" + profile);
        labels.put(NvidiaKeys.GPU_COUNT, String.valueOf(gpus));
        labels.put(NvidiaKeys.MIG_STRATEGY, "single");
        labels.put(NvidiaKeys.MIG_CONFIG_STATE, "success");
        return node(name, labels, NvidiaKeys.GPU, gpus * MigProfiles.maxPerGpu(profile));
    }

    private static Node node(String name, Map<String, String> labels, String resource, int units) {
        Map<String, Quantity> alloc = Map.of(resource, new Quantity(String.valueOf(units)), "cpu", new Quantity("64"));
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewStatus().withAllocatable(alloc).withCapacity(alloc).endStatus().build();
    }

    /** A pod of {@code workloadType} asking for one {@code nvidia.com/gpu}, mutated as the webhook would. */
    Pod pod(String name, String workloadType, Map<String, String> extraLabels) {
        Map<String, String> labels = new HashMap<>(extraLabels);
        labels.put(policy.workloadTypeLabel(), workloadType);
        Map<String, Quantity> gpu = Map.of(NvidiaKeys.GPU, new Quantity("1"));
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("team").withUid("uid-" + name).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("x").withNewResources().withLimits(gpu).withRequests(gpu)
                .endResources().endContainer().endSpec().withNewStatus().withPhase("Pending").endStatus().build();
        Classification c = WorkloadClassifier.classify(policy, labels, Map.of(), GpuRequest.of(pod.getSpec()));
        Classification.Placement placement = (Classification.Placement) c;
        int priority = policy.priorityClass(placement.workloadType().priorityClass()).map(p -> p.value()).orElse(0);
        return new PodBuilder(pod).editMetadata()
                .addToAnnotations(policy.vocabulary().decisionAnnotation(), Decision.of(placement, policy.version()).toJson()).endMetadata()
                .editSpec().withPriority(priority).withPriorityClassName(placement.workloadType().priorityClass()).endSpec().build();
    }
}
