package io.gpuslicer.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.ExtenderConfig;
import io.gpuslicer.extender.ExtenderServer;
import io.gpuslicer.extender.ledger.SnapshotLedgerSource;
import io.gpuslicer.policy.Decision;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import io.gpuslicer.policy.Pool;
import io.gpuslicer.policy.WorkloadType;
import io.gpuslicer.server.tls.CertificateAuthority;
import io.gpuslicer.webhook.WebhookConfig;
import io.gpuslicer.webhook.WebhookServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Both servers started in-process for fuzzing, with the captured bodies as seeds: the webhook over HTTPS
 * (default policy, a throw-away CA) fed AdmissionReviews; the extender over HTTP with a ledger of the
 * captured nodes, fed filter/prioritize bodies in both node-cache modes (with and without the webhook's
 * decision, so the filters and scorers run) and preempt bodies built from them.
 */
public final class FuzzServers implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESOURCES = "/io/gpuslicer/fuzz/";
    private static final List<String> ADMISSION_REVIEWS = List.of("webhook-kubectl-run.json", "webhook-kubectl-run-pcn-only.json",
            "webhook-deployment-pod-generateName.json", "webhook-dryrun.json", "webhook-reinvocation.json");

    private final Vertx vertx;
    private final Path dir;
    public final WebhookServer webhook;
    public final ExtenderServer extender;
    public final FuzzTarget webhookTarget;
    public final FuzzTarget extenderTarget;

    private FuzzServers(Vertx vertx, Path dir, WebhookServer webhook, ExtenderServer extender, String caPem) {
        this.vertx = vertx;
        this.dir = dir;
        this.webhook = webhook;
        this.extender = extender;
        List<JsonNode> reviews = ADMISSION_REVIEWS.stream().map(FuzzServers::tree).toList();
        this.webhookTarget = new FuzzTarget("webhook /mutate (HTTPS)", webhook.actualPort(), caPem,
                List.of(new FuzzTarget.Endpoint("/mutate?timeout=10s", reviews)),
                new FuzzTarget.Probe("/mutate?timeout=10s", bytes(reviews.get(0)), 200));
        Policy policy = extenderPolicy();
        List<JsonNode> args = new ArrayList<>();
        for (String mode : List.of("ncc-true", "ncc-false")) {
            JsonNode plain = tree("extender-" + mode + "-filter.json");
            args.add(plain);
            args.add(withDecision(plain, policy, "research"));
            args.add(withDecision(plain, policy, "fine-tuning"));
        }
        List<JsonNode> preempt = args.stream().map(FuzzServers::preemptArgs).toList();
        this.extenderTarget = new FuzzTarget("extender (HTTP)", extender.actualPort(), null, List.of(
                new FuzzTarget.Endpoint("/gpu-slicer/filter", args),
                new FuzzTarget.Endpoint("/gpu-slicer/prioritize", args),
                new FuzzTarget.Endpoint("/gpu-slicer/preempt", preempt)),
                new FuzzTarget.Probe("/gpu-slicer/filter", bytes(args.get(1)), 200));
    }

    public static FuzzServers start(Vertx vertx) throws Exception {
        Path dir = Files.createTempDirectory("gpu-slicer-fuzz");
        CertificateAuthority ca = CertificateAuthority.create("fuzz-ca", Duration.ofDays(1));
        CertificateAuthority.Issued issued = ca.issue("localhost", List.of("localhost", "127.0.0.1"), Duration.ofDays(1));
        Files.writeString(dir.resolve("tls.crt"), issued.certificatePem());
        Files.writeString(dir.resolve("tls.key"), issued.privateKeyPem());
        WebhookServer webhook = await(WebhookServer.start(vertx, WebhookConfig.of(dir.resolve("tls.crt").toString(),
                dir.resolve("tls.key").toString()).withPorts("127.0.0.1", 0, 0)));
        Policy policy = extenderPolicy();
        SnapshotLedgerSource ledger = new SnapshotLedgerSource(policy);
        for (JsonNode item : tree("extender-ncc-false-filter.json").path("Nodes").path("items")) {
            ledger.addNode(JSON.treeToValue(item, Node.class));
        }
        // One running GPU pod, so that preemption has a victim to weigh.
        Pod victim = JSON.treeToValue(tree("extender-ncc-true-filter.json").path("Pod"), Pod.class);
        victim.getMetadata().setUid("victim-1");
        victim.getMetadata().setName("victim");
        victim.getSpec().setNodeName("gpu-node-1");
        ledger.addPod(victim);
        ExtenderConfig config = new ExtenderConfig("127.0.0.1", 0, ExtenderConfig.DEFAULT_PREFIX, ExtenderConfig.DEFAULT_BODY_LIMIT, null, null);
        ExtenderServer extender = await(ExtenderServer.start(vertx, config, ledger));
        return new FuzzServers(vertx, dir, webhook, extender, ca.caPem());
    }

    static Policy extenderPolicy() {
        return ((PolicyLoader.Loaded) PolicyLoader.parse(text("extender-policy.yaml"))).policy();
    }

    private static JsonNode withDecision(JsonNode args, Policy policy, String workloadType) {
        ObjectNode copy = args.deepCopy();
        WorkloadType type = policy.workloadTypes().get(workloadType);
        Decision decision = new Decision(type.name(), type.mode().wireName(), type.pools().stream().map(Pool::name).toList(),
                null, policy.version());
        ((ObjectNode) copy.path("Pod").path("metadata")).putObject("annotations")
                .put(policy.vocabulary().decisionAnnotation(), decision.toJson());
        return copy;
    }

    /** ExtenderPreemptionArgs with the same pod: victims by UID on one node and as full pods on another. */
    private static JsonNode preemptArgs(JsonNode args) {
        ObjectNode out = JSON.createObjectNode();
        out.set("Pod", args.path("Pod").deepCopy());
        ObjectNode meta = out.putObject("NodeNameToMetaVictims").putObject("gpu-node-1");
        meta.putArray("Pods").addObject().put("UID", "victim-1");
        meta.put("NumPDBViolations", 0);
        ObjectNode full = out.putObject("NodeNameToVictims").putObject("gpu-node-2");
        full.putArray("Pods").add(args.path("Pod").deepCopy());
        full.put("NumPDBViolations", 1);
        return out;
    }

    static String text(String name) {
        try (InputStream in = FuzzServers.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(String name) {
        try {
            return JSON.readTree(text(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        await(webhook.close());
        await(extender.close());
        Files.deleteIfExists(dir.resolve("tls.crt"));
        Files.deleteIfExists(dir.resolve("tls.key"));
        Files.deleteIfExists(dir);
    }
}
