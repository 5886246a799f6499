package io.gpuslicer.cli.status;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.SnapshotLedgerSource;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * One reading of a cluster for {@code status} and {@code explain}: the GPU ledger built exactly as the
 * extender builds it, every pod (pending ones too), the policy, and the moment the reading stands for.
 *
 * @param source what was read, for the header line
 * @param now    the clock for a live cluster; for a snapshot file, the newest timestamp in it (when the
 *               snapshot was taken, near enough), so waits read the same every time the file is shown
 */
public record ClusterState(String source, Policy policy, LedgerSnapshot ledger, List<Pod> pods, Instant now) {
    public static final String BUNDLED_CLUSTER = "/io/gpuslicer/cli/demo/demo-cluster.json";

    /** A {@code kubectl get nodes,pods -A -o json} file; null: the demo's bundled cluster. */
    public static ClusterState fromSnapshot(Path file, Policy policy) throws IOException {
        List<HasMetadata> items;
        if (file == null) {
            try (InputStream in = ClusterState.class.getResourceAsStream(BUNDLED_CLUSTER)) {
                if (in == null) {
                    throw new IOException("the bundled demo cluster " + BUNDLED_CLUSTER + " is missing from the jar");
                }
                items = parse(in);
            }
        } else {
            try (InputStream in = Files.newInputStream(file)) {
                items = parse(in);
            }
        }
        List<Node> nodes = new ArrayList<>();
        List<Pod> pods = new ArrayList<>();
        for (HasMetadata item : items) {
            if (item instanceof Node n) {
                nodes.add(n);
            } else if (item instanceof Pod p) {
                pods.add(p);
            }
        }
        return of(file == null ? "bundled demo cluster" : file.toString(), policy, nodes, pods, newest(nodes, pods));
    }

    /** Lists Nodes and Pods once (the policy: the ConfigMap when named and valid, else {@code fallback}). */
    public static ClusterState fromCluster(KubernetesClient client, String policyNamespace, String policyConfigMap,
                                           Policy fallback, Clock clock) {
        Policy policy = fallback;
        ConfigMap cm = policyNamespace == null ? null : client.configMaps().inNamespace(policyNamespace).withName(policyConfigMap).get();
        if (cm != null && cm.getData() != null && cm.getData().containsKey("policy.yaml")) {
            if (PolicyLoader.parse(cm.getData().get("policy.yaml")) instanceof PolicyLoader.Loaded loaded) {
                policy = loaded.policy();
            }
        }
        List<Node> nodes = client.nodes().list().getItems();
        List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
        String where = client.getMasterUrl() == null ? "cluster" : client.getMasterUrl().toString();
        return of(where, policy, nodes, pods, clock.instant());
    }

    static ClusterState of(String source, Policy policy, List<Node> nodes, List<Pod> pods, Instant now) {
        SnapshotLedgerSource ledger = new SnapshotLedgerSource(policy);
        nodes.forEach(ledger::addNode);
        pods.forEach(ledger::addPod);
        return new ClusterState(source, policy, ledger.snapshot(), List.copyOf(pods), now);
    }

    public Pod pod(String namespace, String name) {
        for (Pod p : pods) {
            if (namespace.equals(p.getMetadata().getNamespace()) && name.equals(p.getMetadata().getName())) {
                return p;
            }
        }
        return null;
    }

    private static List<HasMetadata> parse(InputStream in) throws IOException {
        Object parsed;
        try {
            parsed = Serialization.unmarshal(in);
        } catch (RuntimeException e) {
            throw new IOException("not a Kubernetes JSON/YAML object (expected kubectl get nodes,pods -A -o json): " + e.getMessage(), e);
        }
        if (parsed instanceof KubernetesList list) {
            return list.getItems();
        }
        if (parsed instanceof HasMetadata one) {
            return List.of(one);
        }
        throw new IOException("expected a v1 List of Nodes and Pods (kubectl get nodes,pods -A -o json)");
    }

    private static Instant newest(List<Node> nodes, List<Pod> pods) {
        Instant newest = Instant.EPOCH;
        for (Node n : nodes) {
            newest = max(newest, n.getMetadata().getCreationTimestamp());
        }
        for (Pod p : pods) {
            newest = max(newest, p.getMetadata().getCreationTimestamp());
            if (p.getStatus() != null) {
                newest = max(newest, p.getStatus().getStartTime());
                if (p.getStatus().getConditions() != null) {
                    for (PodCondition c : p.getStatus().getConditions()) {
                        newest = max(newest, c.getLastTransitionTime());
                    }
                }
            }
        }
        return newest;
    }

    private static Instant max(Instant a, String timestamp) {
        if (timestamp == null || timestamp.isEmpty()) {
            return a;
        }
        try {
            Instant t = Instant.parse(timestamp);
            return t.isAfter(a) ? t : a;
        } catch (DateTimeParseException e) {
            return a;
        }
    }
}
