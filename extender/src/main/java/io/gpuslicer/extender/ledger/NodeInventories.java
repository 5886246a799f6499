package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.gpuslicer.policy.MigProfiles;
import io.gpuslicer.policy.NvidiaKeys;
import io.gpuslicer.policy.Quantities;

import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a Node object into a {@link NodeInventory}, the way GPU feature discovery and the device
 * plugin describe GPUs:
 * <ul>
 *   <li>MIG {@code single}: {@code gpu.product} ends in {@code -MIG-<profile>} and every
 *       {@code nvidia.com/gpu} is an instance of that profile;</li>
 *   <li>MIG {@code mixed}: {@code nvidia.com/mig-<profile>} resources (or, before the device plugin
 *       reports them, the {@code nvidia.com/mig-<profile>.count} labels);</li>
 *   <li>otherwise replicas: GFD's {@code gpu.replicas} is documented both per GPU and as a total, so
 *       {@code allocatable ÷ gpu.count} wins where both exist.</li>
 * </ul>
 * A {@code mig.strategy} label alone does not make a node MIG: GFD sets it from its config even on
 * GPUs with MIG disabled.
 */
public final class NodeInventories {
    private static final String MIG_PRODUCT_MARK = "-MIG-";
    private static final String SHARED_PRODUCT_SUFFIX = "-SHARED";

    private NodeInventories() {
    }

    public static NodeInventory of(Node node) {
        String name = node.getMetadata() == null ? null : node.getMetadata().getName();
        Map<String, String> labels = node.getMetadata() == null || node.getMetadata().getLabels() == null
                ? Map.of() : node.getMetadata().getLabels();
        Map<String, Quantity> alloc = allocatable(node.getStatus());
        int gpuAlloc = units(alloc.get(NvidiaKeys.GPU));
        int sharedAlloc = units(alloc.get(NvidiaKeys.GPU_SHARED));
        int countLabel = intLabel(labels, NvidiaKeys.GPU_COUNT);
        int replicasLabel = intLabel(labels, NvidiaKeys.GPU_REPLICAS);
        String product = labels.get(NvidiaKeys.GPU_PRODUCT);
        String state = labels.get(NvidiaKeys.MIG_CONFIG_STATE);
        List<NodeTaint> taints = taints(node);
        String rv = node.getMetadata() == null ? null : node.getMetadata().getResourceVersion();
        NodeInventory read = read(name, labels, alloc, gpuAlloc, sharedAlloc, countLabel, replicasLabel, product, state, taints, rv);
        long cpu = Resources.milliCpu(alloc.get("cpu"));
        long mem = Resources.mebibytes(alloc.get("memory"));
        if (cpu == 0 && mem == 0) {
            return read;
        }
        return new NodeInventory(read.name(), read.labels(), read.taints(), read.product(), read.kind(), read.physicalGpus(),
                read.replicaCapacity(), read.replicasPerGpu(), read.migCapacity(), read.migConfigState(),
                read.resourceVersion(), cpu, mem);
    }

    private static NodeInventory read(String name, Map<String, String> labels, Map<String, Quantity> alloc, int gpuAlloc,
                                      int sharedAlloc, int countLabel, int replicasLabel, String product, String state,
                                      List<NodeTaint> taints, String rv) {

        Map<String, Integer> mixed = mixedProfiles(alloc, labels);
        if (!mixed.isEmpty()) {
            int physical = countLabel > 0 ? countLabel : migGpus(mixed);
            return new NodeInventory(name, labels, taints, product, GpuKind.MIG_MIXED, physical,
                    gpuAlloc + sharedAlloc, 1, mixed, state, rv);
        }
        String singleProfile = singleMigProfile(product);
        if (singleProfile != null && gpuAlloc > 0) {
            int physical = countLabel > 0 ? countLabel : migGpus(Map.of(singleProfile, gpuAlloc));
            return new NodeInventory(name, labels, taints, product, GpuKind.MIG_SINGLE, physical, gpuAlloc, 1,
                    Map.of(singleProfile, gpuAlloc), state, rv);
        }
        int replicas = gpuAlloc + sharedAlloc;
        if (replicas <= 0) {
            return new NodeInventory(name, labels, taints, product, GpuKind.NONE, 0, 0, 0, Map.of(), state, rv);
        }
        int perGpu;
        int physical;
        if (countLabel > 0) {
            physical = countLabel;
            perGpu = Math.max(1, replicas / countLabel);
        } else {
            perGpu = Math.max(1, replicasLabel);
            physical = Math.max(1, NodeInventory.ceilDiv(replicas, perGpu));
        }
        String strategy = labels.get(NvidiaKeys.SHARING_STRATEGY);
        boolean shared = perGpu > 1 || sharedAlloc > 0 || "time-slicing".equals(strategy) || "mps".equals(strategy)
                || (product != null && product.endsWith(SHARED_PRODUCT_SUFFIX));
        return new NodeInventory(name, labels, taints, product, shared ? GpuKind.SHARED : GpuKind.WHOLE, physical,
                replicas, perGpu, Map.of(), state, rv);
    }

    /** The profile of a MIG-single product name such as {@code NVIDIA-A100-SXM4-80GB-MIG-3g.40gb}, or null. */
    static String singleMigProfile(String product) {
        if (product == null) {
            return null;
        }
        int at = product.lastIndexOf(MIG_PRODUCT_MARK);
        if (at < 0) {
            return null;
        }
        String profile = product.substring(at + MIG_PRODUCT_MARK.length());
        if (profile.endsWith(SHARED_PRODUCT_SUFFIX)) {
            profile = profile.substring(0, profile.length() - SHARED_PRODUCT_SUFFIX.length());
        }
        return profile.isEmpty() ? null : profile;
    }

    private static Map<String, Integer> mixedProfiles(Map<String, Quantity> alloc, Map<String, String> labels) {
        Map<String, Integer> out = new TreeMap<>();
        alloc.forEach((resource, q) -> {
            String profile = NvidiaKeys.migProfileOf(resource);
            int n = units(q);
            if (profile != null && n > 0) {
                out.put(profile, n);
            }
        });
        if (out.isEmpty()) {
            // The device plugin has not reported yet (or the node object is label-only, e.g. a test
            // or a snapshot from before the plugin started): GFD's count labels say what will be there.
            labels.forEach((key, value) -> {
                if (key.startsWith(NvidiaKeys.MIG_RESOURCE_PREFIX) && key.endsWith(".count")) {
                    String profile = key.substring(NvidiaKeys.MIG_RESOURCE_PREFIX.length(), key.length() - ".count".length());
                    int n = parse(value);
                    if (!profile.isEmpty() && n > 0) {
                        out.put(profile, n);
                    }
                }
            });
        }
        return out;
    }

    /** Physical GPUs needed to hold these instances, when GFD's count label is missing. */
    private static int migGpus(Map<String, Integer> profiles) {
        int gpus = 0;
        for (Map.Entry<String, Integer> e : profiles.entrySet()) {
            int perGpu = Math.max(1, MigProfiles.maxPerGpu(e.getKey()));
            gpus += NodeInventory.ceilDiv(e.getValue(), perGpu);
        }
        return Math.max(1, gpus);
    }

    private static Map<String, Quantity> allocatable(NodeStatus status) {
        if (status == null) {
            return Map.of();
        }
        if (status.getAllocatable() != null && !status.getAllocatable().isEmpty()) {
            return status.getAllocatable();
        }
        return status.getCapacity() == null ? Map.of() : status.getCapacity();
    }

    private static List<NodeTaint> taints(Node node) {
        if (node.getSpec() == null || node.getSpec().getTaints() == null) {
            return List.of();
        }
        List<NodeTaint> out = new ArrayList<>();
        for (Taint t : node.getSpec().getTaints()) {
            out.add(new NodeTaint(t.getKey(), t.getValue(), t.getEffect()));
        }
        return out;
    }

    /** Whole devices; 0 for a quantity that is unusable or beyond an int (a full Node may come from a request body). */
    static int units(Quantity q) {
        long units = Quantities.wholeUnits(q, RoundingMode.FLOOR).orElse(0);
        return units < Integer.MIN_VALUE || units > Integer.MAX_VALUE ? 0 : (int) units;
    }

    private static int intLabel(Map<String, String> labels, String key) {
        return parse(labels.get(key));
    }

    private static int parse(String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
