package io.gpuslicer.bench.extender;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.gpuslicer.extender.ledger.TrimmedNodeStore;
import io.gpuslicer.extender.ledger.TrimmedPodStore;

import java.util.function.LongSupplier;

/**
 * The informers' caches, the other thing the extender keeps per node and per pod besides the ledger. The pod
 * informer's ({@link TrimmedPodStore}) for the ledger's pods, each read from its own JSON as a watch event is. The node
 * informer's for a cluster of GPU nodes as the kubelet, node-feature-discovery and GPU feature
 * discovery leave them: whole Nodes (fabric8's default store) against {@link TrimmedNodeStore}. Each node is read
 * from its own JSON, as a watch event is, so that nothing is shared between nodes but what the JVM shares anyway.
 * The node: BenchCluster's labels plus 100 NFD feature labels and 20 more of GFD's, NFD's annotations (its feature
 * list), 5 managed-fields entries (kubelet, NFD, GFD, node-lifecycle, the device plugin), 6 conditions, addresses,
 * node info and 50 images (the kubelet's default {@code nodeStatusMaxImages}).
 */
final class InformerCacheHeap {
    private static final ObjectMapper JSON = new ObjectMapper();

    private InformerCacheHeap() {
    }

    /** Prints the pod cache's retained heap for {@code podsPerNode} pods on each of {@code nodes} nodes. */
    static void printPods(BenchCluster cluster, int nodes, int podsPerNode, LongSupplier usedAfterGc) throws Exception {
        ItemStore<Pod> store = new TrimmedPodStore();
        long before = usedAfterGc.getAsLong();
        for (int i = 0; i < nodes; i++) {
            cluster.podsOf(i, podsPerNode, pod -> {
                try {
                    Pod read = JSON.readValue(JSON.writeValueAsBytes(pod), Pod.class);
                    store.put(store.getKey(read), read);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        long retained = usedAfterGc.getAsLong() - before;
        System.out.printf("pod informer cache, %,d pods, trimmed: %.1f MiB (%,d bytes per pod)%n",
                store.size(), retained / 1048576.0, retained / Math.max(1, store.size()));
    }

    /** Prints both node stores' retained heap for {@code nodes} nodes. */
    static void printNodes(BenchCluster cluster, int nodes, LongSupplier usedAfterGc) throws Exception {
        int bytes = realistic(cluster, 0).length;
        long whole = retained(cluster, nodes, new BasicItemStore<>(Cache::metaNamespaceKeyFunc), usedAfterGc);
        long trimmed = retained(cluster, nodes, new TrimmedNodeStore(), usedAfterGc);
        System.out.printf("node informer cache, %,d GPU nodes as the kubelet, NFD and GFD leave them (%,d bytes of JSON each):"
                        + " whole Nodes %.1f MiB (%,d bytes per node), trimmed %.1f MiB (%,d bytes per node)%n",
                nodes, bytes, whole / 1048576.0, whole / nodes, trimmed / 1048576.0, trimmed / nodes);
    }

    private static long retained(BenchCluster cluster, int nodes, ItemStore<Node> store, LongSupplier usedAfterGc) throws Exception {
        long before = usedAfterGc.getAsLong();
        for (int i = 0; i < nodes; i++) {
            Node node = JSON.readValue(realistic(cluster, i), Node.class);
            store.put(store.getKey(node), node);
        }
        long after = usedAfterGc.getAsLong();
        if (store.size() != nodes) {
            throw new IllegalStateException("the store holds " + store.size() + " nodes");
        }
        return after - before;
    }

    static byte[] realistic(BenchCluster cluster, int i) throws Exception {
        ObjectNode node = JSON.valueToTree(cluster.node(i));
        ObjectNode meta = (ObjectNode) node.get("metadata");
        meta.put("uid", java.util.UUID.nameUUIDFromBytes(("node-" + i).getBytes()).toString());
        meta.put("resourceVersion", String.valueOf(1_000_000 + i));
        meta.put("creationTimestamp", "2026-11-01T08:00:00Z");
        ObjectNode labels = (ObjectNode) meta.get("labels");
        StringBuilder features = new StringBuilder();
        for (int f = 0; f < 100; f++) {
            String key = "feature.node.kubernetes.io/cpu-cpuid.FEATURE" + f;
            labels.put(key, "true");
            features.append(f == 0 ? "" : ",").append("cpu-cpuid.FEATURE").append(f);
        }
        for (int g = 0; g < 20; g++) {
            labels.put("nvidia.com/gfd.feature-" + g, "value-" + g);
        }
        ObjectNode annotations = meta.putObject("annotations");
        annotations.put("nfd.node.kubernetes.io/feature-labels", features.toString());
        annotations.put("nfd.node.kubernetes.io/extended-resources", "");
        annotations.put("node.alpha.kubernetes.io/ttl", "0");
        annotations.put("volumes.kubernetes.io/controller-managed-attach-detach", "true");
        annotations.put("csi.volume.kubernetes.io/nodeid", "{\"ebs.csi.aws.com\":\"i-0" + Integer.toHexString(0x1000000 + i) + "\"}");
        ArrayNode managed = meta.putArray("managedFields");
        for (String manager : new String[]{"kubelet", "nfd-master", "gpu-feature-discovery", "kube-controller-manager", "nvidia-device-plugin"}) {
            ObjectNode entry = managed.addObject();
            entry.put("manager", manager).put("operation", "Update").put("apiVersion", "v1").put("time", "2026-11-27T08:00:00Z")
                    .put("fieldsType", "FieldsV1");
            ObjectNode fields = entry.putObject("fieldsV1").putObject("f:metadata").putObject("f:labels");
            for (int f = 0; f < 24; f++) {
                fields.putObject("f:" + manager + ".example/field-" + f);
            }
        }
        ObjectNode status = (ObjectNode) node.get("status");
        ArrayNode conditions = status.putArray("conditions");
        for (String type : new String[]{"MemoryPressure", "DiskPressure", "PIDPressure", "Ready", "NetworkUnavailable", "GpuHealthy"}) {
            conditions.addObject().put("type", type).put("status", type.equals("Ready") || type.equals("GpuHealthy") ? "True" : "False")
                    .put("lastHeartbeatTime", "2026-11-27T08:00:00Z").put("lastTransitionTime", "2026-11-01T08:00:00Z")
                    .put("reason", "Kubelet" + type).put("message", "kubelet reports " + type + " for this node");
        }
        ArrayNode addresses = status.putArray("addresses");
        addresses.addObject().put("type", "InternalIP").put("address", "10.0." + (i / 256 % 256) + "." + (i % 256));
        addresses.addObject().put("type", "Hostname").put("address", cluster.nodeName(i));
        status.putObject("nodeInfo").put("machineID", "ec2" + Integer.toHexString(i)).put("systemUUID", "ec2" + Integer.toHexString(i))
                .put("bootID", "boot-" + i).put("kernelVersion", "6.8.0-1021-aws").put("osImage", "Ubuntu 24.04.1 LTS")
                .put("containerRuntimeVersion", "containerd://1.7.24").put("kubeletVersion", "v1.32.0")
                .put("kubeProxyVersion", "v1.32.0").put("operatingSystem", "linux").put("architecture", "amd64");
        ArrayNode images = status.putArray("images");
        for (int m = 0; m < 50; m++) {
            ObjectNode image = images.addObject();
            image.putArray("names").add("nvcr.io/nvidia/team-" + (m % 7) + "/image-" + m + "@sha256:"
                    + "0123456789abcdef".repeat(4)).add("nvcr.io/nvidia/team-" + (m % 7) + "/image-" + m + ":24." + m);
            image.put("sizeBytes", 1_000_000_000L + m);
        }
        return JSON.writeValueAsBytes(node);
    }
}
