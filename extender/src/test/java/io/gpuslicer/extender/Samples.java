package io.gpuslicer.extender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.gpuslicer.extender.ledger.SnapshotLedgerSource;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The kube-scheduler request bodies captured in shared/samples (copied into test resources). */
public final class Samples {
    public static final ObjectMapper JSON = new ObjectMapper();

    private Samples() {
    }

    public static String text(String resource) {
        try (InputStream in = Samples.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode tree(String resource) {
        try {
            return (ObjectNode) JSON.readTree(text(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The policy whose pools select the sample nodes by GPU product (A100 preferred, H100 fallback for research). */
    public static Policy samplePolicy() {
        return ((PolicyLoader.Loaded) PolicyLoader.parse(text("sample-policy.yaml"))).policy();
    }

    /** A ledger holding the three sample nodes (taken from the full-Node request) and no pods. */
    public static SnapshotLedgerSource sampleLedger(Policy policy) {
        SnapshotLedgerSource source = new SnapshotLedgerSource(policy);
        for (JsonNode item : tree("extender-ncc-false-filter-request.json").path("Nodes").path("items")) {
            try {
                source.addNode(JSON.treeToValue(item, Node.class));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return source;
    }

    /** The request with the webhook's decision annotation for {@code workloadType} added to its pod. */
    public static String withDecision(String resource, Policy policy, String workloadType) {
        ObjectNode root = tree(resource);
        var type = policy.workloadTypes().get(workloadType);
        var decision = new io.gpuslicer.policy.Decision(type.name(), type.mode().wireName(),
                type.pools().stream().map(io.gpuslicer.policy.Pool::name).toList(), null, policy.version());
        ((ObjectNode) root.path("Pod").path("metadata")).putObject("annotations")
                .put(policy.vocabulary().decisionAnnotation(), decision.toJson());
        return root.toString();
    }
}
