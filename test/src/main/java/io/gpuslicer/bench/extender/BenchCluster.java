package io.gpuslicer.bench.extender;

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
import io.gpuslicer.policy.Pool;
import io.gpuslicer.policy.WorkloadClassifier;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A synthetic cluster of the default policy's pools for benchmarks: nodes spread round-robin over
 * the eight pools, each labelled like a real GPU node (kubelet, cloud and GFD labels, ~20 in all),
 * and {@code podsPerNode} pods per node carrying the webhook's decision annotation. Time-sliced
 * nodes have 8 GPUs × 4 replicas; MIG nodes 8 GPUs in their pool's profile. Pods beyond a node's
 * GPU capacity are CPU-only pods (the ledger ignores them, as in a real cluster).
 */
public final class BenchCluster {
    private final Policy policy;
    private final List<Pool> pools;
    private final Random random = new Random(42);

    public BenchCluster(Policy policy) {
        this(policy, List.copyOf(policy.pools().keySet()));
    }

    /** Nodes spread round-robin over the named pools only. */
    public BenchCluster(Policy policy, List<String> poolNames) {
        this.policy = policy;
        this.pools = new ArrayList<>();
        for (String name : poolNames) {
            Pool pool = policy.pools().get(name);
            if (pool == null) {
                throw new IllegalArgumentException("the policy has no pool " + name);
            }
            pools.add(pool);
        }
    }

    /** The pool node {@code i} belongs to. */
    public Pool poolOf(int i) {
        return pools.get(i % pools.size());
    }

    public String nodeName(int i) {
        return "gpu-node-" + i;
    }

    public Node node(int i) {
        Pool pool = pools.get(i % pools.size());
        Map<String, String> labels = new HashMap<>(pool.nodeSelector());
        String name = nodeName(i);
        labels.put("kubernetes.io/hostname", name);
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("kubernetes.io/os", "linux");
        labels.put("beta.kubernetes.io/arch", "amd64");
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("node.kubernetes.io/instance-type", "p4de.24xlarge");
        labels.put("topology.kubernetes.io/region", "eu-west-1");
        labels.put("topology.kubernetes.io/zone", "eu-west-1" + (char) ('a' + i % 3));
        labels.put("nvidia.com/gpu.present", "true");
        labels.put("nvidia.com/gpu.count", "8");
        labels.put("nvidia.com/gpu.memory", "81920");
        labels.put("nvidia.com/cuda.driver.major", "580");
        labels.put("nvidia.com/gfd.timestamp", "1763700000");
        Map<String, Quantity> alloc = new HashMap<>();
        alloc.put("cpu", new Quantity("95"));
        alloc.put("memory", new Quantity("1100Gi"));
        alloc.put("pods", new Quantity("110"));
        if (pool.migProfile() != null) {
            labels.put(NvidiaKeys.GPU_PRODUCT, "NVIDIA-A100-SXM4-80GB-MIG-" + pool.migProfile());
            labels.put(NvidiaKeys.MIG_STRATEGY, "single");
            labels.put(NvidiaKeys.MIG_CONFIG, "all-" + pool.migProfile());
            labels.put(NvidiaKeys.MIG_CONFIG_STATE, "success");
            alloc.put(NvidiaKeys.GPU, new Quantity(String.valueOf(8 * MigProfiles.maxPerGpu(pool.migProfile()))));
        } else {
            labels.put(NvidiaKeys.GPU_PRODUCT, "NVIDIA-A100-SXM4-80GB-SHARED");
            labels.put(NvidiaKeys.GPU_REPLICAS, "4");
            labels.put(NvidiaKeys.SHARING_STRATEGY, "time-slicing");
            labels.put(NvidiaKeys.MIG_STRATEGY, "none");
            alloc.put(NvidiaKeys.GPU, new Quantity("32"));
        }
        return new NodeBuilder().withNewMetadata().withName(name).withUid(UUID.randomUUID().toString()).withResourceVersion(String.valueOf(1000 + i)).withLabels(labels).endMetadata()
                .withNewSpec().addNewTaint().withKey("gpu").withValue(pool.migProfile() != null ? "mig" : "true").withEffect("NoSchedule").endTaint().endSpec()
                .withNewStatus().withAllocatable(alloc).withCapacity(alloc).endStatus().build();
    }

    /** Puts nodes 0..size-1 into {@code ledger} with {@code podsPerNode} pods each ({@link #podsOf}); their names, in order. */
    public List<String> fill(io.gpuslicer.extender.ledger.SnapshotLedgerSource ledger, int size, int podsPerNode) {
        List<String> names = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            ledger.addNode(node(i));
            names.add(nodeName(i));
            podsOf(i, podsPerNode, ledger::addPod);
        }
        return names;
    }

    /** Calls {@code sink} with every pod bound to node {@code i}: its share of GPU pods, the rest CPU-only. */
    public void podsOf(int i, int podsPerNode, Consumer<Pod> sink) {
        Pool pool = pools.get(i % pools.size());
        int gpuPods = pool.migProfile() != null
                ? Math.min(podsPerNode, 8 * MigProfiles.maxPerGpu(pool.migProfile()) - 1)
                : Math.min(podsPerNode, 30);
        String type = typeUsing(pool);
        for (int p = 0; p < podsPerNode; p++) {
            boolean gpu = p < gpuPods;
            sink.accept(pod(nodeName(i) + "-pod-" + p, gpu ? type : null, pool.migProfile(), nodeName(i)));
        }
    }

    /** A pending pod of {@code workloadType} (one {@code nvidia.com/gpu}) as the webhook leaves it. */
    public Pod pendingPod(String name, String workloadType) {
        return pod(name, workloadType, null, null);
    }

    private Pod pod(String name, String workloadType, String migProfile, String node) {
        Map<String, String> labels = new HashMap<>();
        labels.put("app", "bench");
        labels.put("pod-template-hash", Integer.toHexString(random.nextInt()));
        Map<String, Quantity> requests = new HashMap<>();
        requests.put("cpu", new Quantity("2"));
        requests.put("memory", new Quantity("16Gi"));
        if (workloadType != null) {
            labels.put(policy.workloadTypeLabel(), workloadType);
            requests.put(NvidiaKeys.GPU, new Quantity("1"));
            if (migProfile != null) {
                labels.put(policy.vocabulary().migProfileLabel(), migProfile);
            }
        }
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("team-" + (name.hashCode() & 15))
                .withUid(UUID.randomUUID().toString()).withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("main").withImage("registry.example/bench:1")
                .withNewResources().withRequests(requests).withLimits(requests).endResources().endContainer().endSpec()
                .withNewStatus().withPhase(node == null ? "Pending" : "Running").endStatus();
        Pod pod = b.build();
        if (workloadType == null) {
            return pod;
        }
        Classification.Placement placement = (Classification.Placement) WorkloadClassifier.classify(policy, labels, Map.of(),
                GpuRequest.of(pod.getSpec()));
        int priority = policy.priorityClass(placement.workloadType().priorityClass()).map(p -> p.value()).orElse(0);
        return new PodBuilder(pod).editMetadata()
                .addToAnnotations(policy.vocabulary().decisionAnnotation(), Decision.of(placement, policy.version()).toJson()).endMetadata()
                .editSpec().withPriority(priority).endSpec().build();
    }

    private String typeUsing(Pool pool) {
        for (var t : policy.workloadTypes().values()) {
            if (t.rankOf(pool.name()) == 0 && (pool.migProfile() == null || t.poolForProfile(pool.migProfile()) != null)) {
                return t.name();
            }
        }
        for (var t : policy.workloadTypes().values()) {
            if (t.rankOf(pool.name()) >= 0) {
                return t.name();
            }
        }
        throw new IllegalStateException("no workload type uses pool " + pool.name());
    }
}
