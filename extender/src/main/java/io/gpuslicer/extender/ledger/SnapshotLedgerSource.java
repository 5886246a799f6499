package io.gpuslicer.extender.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.policy.Policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A ledger loaded once from {@code kubectl get nodes,pods -A -o json} (a v1 List of Node and Pod
 * items) or built in memory. Always ready. {@link #bind} lets a scripted demo or a simulator run
 * filter → prioritize → bind repeatedly on the same snapshot.
 */
public final class SnapshotLedgerSource implements LedgerSource {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final LedgerStore store;

    public SnapshotLedgerSource(Policy policy) {
        this.store = new LedgerStore(policy);
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

    /** Adds a pod as it is: counted where it is bound or nominated, ignored otherwise. */
    public SnapshotLedgerSource addPod(Pod pod) {
        store.upsertPod(pod);
        return this;
    }

    /** Counts {@code pod} as bound to {@code node}. */
    public void bind(Pod pod, String node) {
        store.bind(pod, node);
    }

    public void removePod(String uid) {
        store.removePod(uid);
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
