package io.gpuslicer.extender;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.gpuslicer.extender.ledger.LedgerStore;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.policy.Classification;
import io.gpuslicer.policy.Decision;
import io.gpuslicer.policy.GpuRequest;
import io.gpuslicer.policy.NvidiaKeys;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import io.gpuslicer.policy.Pool;
import io.gpuslicer.policy.WorkloadClassifier;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test builders: Node and Pod objects as GFD, the device plugin and the webhook would leave them,
 * and {@link NodeState}s built from them through the real ledger path.
 */
public final class Fixtures {
    public static final Policy POLICY = PolicyLoader.defaultPolicy();
    /** MIG instances of a profile on the test nodes: two GPUs' worth. */
    public static final int GPUS = 2;

    private Fixtures() {
    }

    // ---- nodes -----------------------------------------------------------------------------

    /** A MIG-single node in the policy pool that offers {@code profile}, {@link #GPUS} GPUs fully partitioned. */
    public static Node migNodeObject(String name, String profile) {
        int instances = GPUS * io.gpuslicer.policy.MigProfiles.maxPerGpu(profile);
        Map<String, String> labels = new HashMap<>(poolLabels(migPoolOf(profile)));
        labels.put(NvidiaKeys.GPU_PRODUCT, "NVIDIA-A100-SXM4-80GB-MIG-" + profile);
        labels.put(NvidiaKeys.GPU_COUNT, String.valueOf(GPUS));
        labels.put(NvidiaKeys.MIG_STRATEGY, "single");
        labels.put(NvidiaKeys.MIG_CONFIG_STATE, "success");
        return node(name, labels, Map.of(NvidiaKeys.GPU, instances));
    }

    /** A MIG-mixed node offering {@code profile} through {@code nvidia.com/mig-<profile>}. */
    public static Node mixedMigNodeObject(String name, String profile) {
        int instances = GPUS * io.gpuslicer.policy.MigProfiles.maxPerGpu(profile);
        Map<String, String> labels = new HashMap<>(poolLabels(migPoolOf(profile)));
        labels.put(NvidiaKeys.GPU_PRODUCT, "NVIDIA-A100-SXM4-80GB");
        labels.put(NvidiaKeys.GPU_COUNT, String.valueOf(GPUS));
        labels.put(NvidiaKeys.MIG_STRATEGY, "mixed");
        labels.put(NvidiaKeys.migCountLabel(profile), String.valueOf(instances));
        return node(name, labels, Map.of(NvidiaKeys.migResource(profile), instances));
    }

    /** A time-sliced node of {@code pool}: {@link #GPUS} GPUs with {@code replicasPerGpu} replicas each. */
    public static Node sharedNodeObject(String name, String pool, int replicasPerGpu) {
        Map<String, String> labels = new HashMap<>(poolLabels(pool));
        labels.put(NvidiaKeys.GPU_PRODUCT, "NVIDIA-A100-SXM4-80GB-SHARED");
        labels.put(NvidiaKeys.GPU_COUNT, String.valueOf(GPUS));
        labels.put(NvidiaKeys.GPU_REPLICAS, String.valueOf(replicasPerGpu));
        labels.put(NvidiaKeys.SHARING_STRATEGY, "time-slicing");
        return node(name, labels, Map.of(NvidiaKeys.GPU, GPUS * replicasPerGpu));
    }

    public static Node node(String name, Map<String, String> labels, Map<String, Integer> allocatable) {
        Map<String, Quantity> alloc = new HashMap<>();
        alloc.put("cpu", new Quantity("64"));
        allocatable.forEach((k, v) -> alloc.put(k, new Quantity(String.valueOf(v))));
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewStatus().withAllocatable(alloc).withCapacity(alloc).endStatus().build();
    }

    public static Node withLabel(Node node, String key, String value) {
        return new NodeBuilder(node).editMetadata().addToLabels(key, value).endMetadata().build();
    }

    public static Map<String, String> poolLabels(String pool) {
        return POLICY.pools().get(pool).nodeSelector();
    }

    public static String migPoolOf(String profile) {
        for (Pool p : POLICY.pools().values()) {
            if (profile.equals(p.migProfile())) {
                return p.name();
            }
        }
        return "mig-" + profile.replace(".", "");
    }

    // ---- pods ------------------------------------------------------------------------------

    /** A pod asking for {@code gpus} of {@code nvidia.com/gpu}, as the webhook leaves it for {@code workloadType}. */
    public static Pod gpuPod(String name, String workloadType, int gpus) {
        return decided(pod(name, Map.of(NvidiaKeys.GPU, gpus), Map.of(POLICY.workloadTypeLabel(), workloadType)));
    }

    /** A MIG pod of {@code profile} under the single strategy ({@code nvidia.com/gpu}). */
    public static Pod migPod(String name, String workloadType, String profile) {
        return migPod(name, workloadType, profile, 1);
    }

    /** A single-strategy MIG pod wanting {@code instances} instances of {@code profile}. */
    public static Pod migPod(String name, String workloadType, String profile, int instances) {
        return decided(pod(name, Map.of(NvidiaKeys.GPU, instances),
                Map.of(POLICY.workloadTypeLabel(), workloadType, POLICY.vocabulary().migProfileLabel(), profile)));
    }

    /** A MIG pod of {@code profile} under the mixed strategy ({@code nvidia.com/mig-<profile>}). */
    public static Pod mixedMigPod(String name, String workloadType, String profile) {
        return mixedMigPod(name, workloadType, profile, 1);
    }

    /** A mixed-strategy MIG pod wanting {@code instances} devices of {@code nvidia.com/mig-<profile>}. */
    public static Pod mixedMigPod(String name, String workloadType, String profile, int instances) {
        return decided(pod(name, Map.of(NvidiaKeys.migResource(profile), instances), Map.of(POLICY.workloadTypeLabel(), workloadType)));
    }

    /** A GPU pod without the webhook's decision (the webhook did not see it). */
    public static Pod undecidedGpuPod(String name) {
        return pod(name, Map.of(NvidiaKeys.GPU, 1), Map.of());
    }

    public static Pod cpuPod(String name) {
        return pod(name, Map.of("cpu", 1), Map.of());
    }

    public static Pod pod(String name, Map<String, Integer> limits, Map<String, String> labels) {
        Map<String, Quantity> q = new HashMap<>();
        limits.forEach((k, v) -> q.put(k, new Quantity(String.valueOf(v))));
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid("uid-" + name)
                .withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("x").withNewResources().withLimits(q).withRequests(q)
                .endResources().endContainer().withPriority(0).endSpec()
                .withNewStatus().withPhase("Pending").endStatus().build();
    }

    /** What the webhook does: classify, write the decision annotation, set the priority. */
    public static Pod decided(Pod pod) {
        Classification c = WorkloadClassifier.classify(POLICY, pod.getMetadata().getLabels(), Map.of(), GpuRequest.of(pod.getSpec()));
        if (!(c instanceof Classification.Placement placement)) {
            throw new IllegalArgumentException("test pod denied: " + c);
        }
        Decision d = Decision.of(placement, POLICY.version());
        int priority = POLICY.priorityClass(placement.workloadType().priorityClass()).map(p -> p.value()).orElse(0);
        return new PodBuilder(pod).editMetadata().addToAnnotations(POLICY.vocabulary().decisionAnnotation(), d.toJson()).endMetadata()
                .editSpec().withPriority(priority).withPriorityClassName(placement.workloadType().priorityClass()).endSpec().build();
    }

    public static Pod withPriority(Pod pod, int priority) {
        return new PodBuilder(pod).editSpec().withPriority(priority).endSpec().build();
    }

    public static Pod boundTo(Pod pod, String node) {
        return new PodBuilder(pod).editSpec().withNodeName(node).endSpec().editStatus().withPhase("Running").endStatus().build();
    }

    /** {@code n} running pods of {@code workloadType} holding one replica each. */
    public static List<Pod> sharers(String node, String workloadType, int n) {
        List<Pod> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(boundTo(gpuPod(node + "-" + workloadType + "-" + i, workloadType, 1), node));
        }
        return out;
    }

    // ---- node states -----------------------------------------------------------------------

    /** The node as the decision core sees it once the ledger has read the node and the pods. */
    public static NodeState state(Node node, List<Pod> pods) {
        LedgerStore store = new LedgerStore(POLICY);
        store.upsertNode(node);
        pods.forEach(store::upsertPod);
        return store.snapshot().node(node.getMetadata().getName());
    }

    /** Free instances wanted on a MIG node. */
    public record Free(int instances) {
    }

    public static Free free(int instances) {
        return new Free(instances);
    }

    /** A single-strategy MIG node with exactly {@code free} instances of {@code profile} left (held by production pods). */
    public static NodeState migNode(String name, String profile, Free free) {
        Node node = migNodeObject(name, profile);
        int capacity = GPUS * io.gpuslicer.policy.MigProfiles.maxPerGpu(profile);
        List<Pod> holders = new ArrayList<>();
        String type = "mig-2g20gb".equals(migPoolOf(profile)) ? "critical-agents" : "production-inference";
        for (int i = 0; i < capacity - free.instances(); i++) {
            holders.add(boundTo(migPod(name + "-holder-" + i, type, profile), name));
        }
        return state(node, holders);
    }

    /** A time-sliced node of {@code pool} with {@code used} replicas held (3 replicas per GPU). */
    public static NodeState sharedNode(String name, String pool, int used) {
        return state(sharedNodeObject(name, pool, 3), sharers(name, "research", used));
    }
}
