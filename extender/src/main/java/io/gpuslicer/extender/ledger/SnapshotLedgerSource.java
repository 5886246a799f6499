package io.gpuslicer.extender.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.bind.Binder;
import io.gpuslicer.extender.bind.LedgerBinder;
import io.gpuslicer.policy.Policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A ledger loaded once from {@code kubectl get nodes,pods -A -o json} (a v1 List of Node and Pod
 * items) or built in memory. Always ready. {@link #bind} lets a scripted demo or a simulator run
 * filter → prioritize → bind repeatedly on the same snapshot.
 */
public final class SnapshotLedgerSource implements LedgerSource {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final LedgerStore store;
    /** Pending pods by namespace/name: what the bind verb looks up (bound pods are in the ledger only). */
    private final Map<String, Pod> pending = new ConcurrentHashMap<>();

    public SnapshotLedgerSource(Policy policy) {
        this(policy, Clock.systemUTC());
    }

    public SnapshotLedgerSource(Policy policy, Clock clock) {
        this.store = new LedgerStore(policy, clock);
    }

    public static SnapshotLedgerSource load(Path file, Policy policy) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, policy);
        }
    }

    /** Reads a v1 List (or a single Node or Pod); items of other kinds are ignored. */
    public static SnapshotLedgerSource load(InputStream in, Policy policy) throws IOException {
        SnapshotLedgerSource source = new SnapshotLedgerSource(policy);
        JsonNode root = JSON.readTree(in);
        if (root == null || !root.isObject()) {
            throw new IOException("snapshot is not a JSON object (expected the output of kubectl get nodes,pods -A -o json)");
        }
        JsonNode items = root.has("items") ? root.get("items") : JSON.createArrayNode().add(root);
        for (JsonNode item : items) {
            String kind = item.path("kind").asText("");
            if ("Node".equals(kind)) {
                source.addNode(JSON.treeToValue(item, Node.class));
            } else if ("Pod".equals(kind)) {
                source.addPod(JSON.treeToValue(item, Pod.class));
            }
        }
        return source;
    }

    public SnapshotLedgerSource addNode(Node node) {
        store.upsertNode(node);
        return this;
    }

    /** Adds a pod as it is: counted where it is bound or nominated; a pending one can then be bound by the bind verb. */
    public SnapshotLedgerSource addPod(Pod pod) {
        store.upsertPod(pod);
        String key = key(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
        if (PodUsages.boundNode(pod) == null && !PodUsages.isTerminated(pod)) {
            pending.put(key, pod);
        } else {
            pending.remove(key);
        }
        return this;
    }

    /** Counts {@code pod} as bound to {@code node}. */
    public void bind(Pod pod, String node) {
        pending.remove(key(pod.getMetadata().getNamespace(), pod.getMetadata().getName()));
        store.bind(pod, node);
    }

    public void removePod(String uid) {
        pending.values().removeIf(p -> uid.equals(p.getMetadata().getUid()));
        store.removePod(uid);
    }

    @Override
    public Pod pod(String namespace, String name) {
        return pending.get(key(namespace, name));
    }

    /** The ledger binds the pod: it leaves the pending pods and counts as bound. */
    @Override
    public Binder binder() {
        LedgerBinder ledger = new LedgerBinder(store);
        return binding -> {
            pending.remove(key(binding.namespace(), binding.name()));
            ledger.bind(binding);
        };
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    @Override
    public LedgerSnapshot snapshot() {
        return store.snapshot();
    }

    @Override
    public String notReadyReason() {
        return null;
    }

    @Override
    public LedgerStore store() {
        return store;
    }
}
