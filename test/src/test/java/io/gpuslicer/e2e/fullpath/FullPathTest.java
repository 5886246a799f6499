package io.gpuslicer.e2e.fullpath;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.gpuslicer.cli.demo.Admission;
import io.gpuslicer.cli.demo.WebhookCaller;
import io.gpuslicer.extender.ExtenderConfig;
import io.gpuslicer.extender.ExtenderServer;
import io.gpuslicer.extender.driver.SchedulerDriver;
import io.gpuslicer.extender.ledger.InformerLedgerSource;
import io.gpuslicer.policy.Decision;
import io.gpuslicer.policy.NvidiaKeys;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import io.gpuslicer.server.tls.CertificateAuthority;
import io.gpuslicer.webhook.WebhookConfig;
import io.gpuslicer.webhook.WebhookServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every component on one path, against fabric8's mock API server in CRUD mode: a pod without a
 * workload-type label is admitted over HTTPS (type from its namespace's label, priority from the live
 * PriorityClass), created in the API server, scheduled through the extender whose ledger is fed by
 * informers on the same API server, and bound by setting spec.nodeName — until the training pool is
 * full and the next training pod falls back to the fine-tuning pool.
 */
@EnableKubernetesMockClient(crud = true)
class FullPathTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Policy POLICY = PolicyLoader.defaultPolicy();
    private static final String NAMESPACE = "team-a";
    /** Differs from the policy's 500 for "training": the live object must win. */
    private static final int LIVE_TRAINING_PRIORITY = 750;

    KubernetesClient client;

    @TempDir
    Path dir;

    private Vertx vertx;
    private WebhookServer webhook;
    private InformerLedgerSource ledger;
    private ExtenderServer extender;
    private HttpClient http;
    private WebhookCaller admission;
    private SchedulerDriver scheduler;
    private List<String> nodeNames;

    @BeforeEach
    void start() throws Exception {
        seedCluster();
        vertx = Vertx.vertx();
        CertificateAuthority ca = CertificateAuthority.create("fullpath-ca", Duration.ofDays(1));
        CertificateAuthority.Issued issued = ca.issue("webhook", List.of("localhost", "127.0.0.1"), Duration.ofDays(1));
        Files.writeString(dir.resolve("tls.crt"), issued.certificatePem());
        Files.writeString(dir.resolve("tls.key"), issued.privateKeyPem());
        Files.writeString(dir.resolve("policy.yaml"), PolicyLoader.defaultPolicyText());
        webhook = await(WebhookServer.start(vertx, WebhookConfig.of(dir.resolve("tls.crt").toString(), dir.resolve("tls.key").toString())
                .withPolicy(dir.resolve("policy.yaml").toString())
                .withPorts("127.0.0.1", 0, 0)
                .withClient(client)));
        ledger = InformerLedgerSource.start(client, POLICY);
        extender = await(ExtenderServer.start(vertx, new ExtenderConfig("127.0.0.1", 0, ExtenderConfig.DEFAULT_PREFIX,
                ExtenderConfig.DEFAULT_BODY_LIMIT, null, null), ledger));
        eventually("the webhook is ready", () -> ready(webhook.metricsPort()));
        eventually("the extender is ready", () -> ready(extender.actualPort()));

        http = vertx.createHttpClient();
        admission = new WebhookCaller(vertx, issued.caPem(), "127.0.0.1", webhook.actualPort());
        scheduler = new SchedulerDriver(http, "127.0.0.1", extender.actualPort(), ExtenderConfig.DEFAULT_PREFIX, this::bind);
    }

    /** The namespace default, the PriorityClasses, and the demo cluster's nodes and running pod. */
    private void seedCluster() throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE)
                .addToLabels(POLICY.vocabulary().injectLabel(), "enabled")
                .addToLabels(POLICY.workloadTypeLabel(), "training").endMetadata().build()).create();
        POLICY.priorityClasses().forEach((name, spec) -> {
            boolean training = "training".equals(name);
            client.scheduling().v1().priorityClasses().resource(new PriorityClassBuilder().withNewMetadata().withName(name).endMetadata()
                    .withValue(training ? LIVE_TRAINING_PRIORITY : spec.value())
                    .withPreemptionPolicy(training ? "Never" : "PreemptLowerPriority").build()).create();
        });
        ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try (InputStream in = FullPathTest.class.getResourceAsStream("/io/gpuslicer/cli/demo/demo-cluster.json")) {
            nodeNames = new ArrayList<>();
            for (JsonNode item : json.readTree(in).get("items")) {
                if ("Node".equals(item.path("kind").asText())) {
                    Node node = json.treeToValue(item, Node.class);
                    client.nodes().resource(node).create();
                    nodeNames.add(node.getMetadata().getName());
                } else if ("Pod".equals(item.path("kind").asText())) {
                    Pod pod = json.treeToValue(item, Pod.class);
                    client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
                }
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (admission != null) {
            admission.close();
        }
        if (extender != null) {
            await(extender.close());
        }
        if (webhook != null) {
            await(webhook.close());
        }
        if (ledger != null) {
            ledger.close();
        }
        await(vertx.close());
    }

    @Test
    void unlabelledPodsTakeTheNamespaceTypeAndTheLivePriorityThenFillTrainingAndFallBackToFineTuning() throws Exception {
        // a100-train-1: 2 GPUs x 3 time-slice replicas; the policy's cap of 4 sharers per GPU does not bind first.
        for (int i = 0; i < 6; i++) {
            Pod pod = admitAndCreate("train-" + i);
            SchedulerDriver.Outcome outcome = await(scheduler.schedule(pod, nodeNames));
            assertThat(outcome.node()).as("train-%d (refused: %s)", i, outcome.failedNodes()).isEqualTo("a100-train-1");
        }
        Pod seventh = admitAndCreate("train-6");
        SchedulerDriver.Outcome outcome = await(scheduler.schedule(seventh, nodeNames));
        assertThat(outcome.node()).isEqualTo("h100-ft-1");
        assertThat(outcome.failedNodes().get("a100-train-1")).contains("no free time-slice replica");
        assertThat(client.pods().inNamespace(NAMESPACE).withName("train-6").get().getSpec().getNodeName()).isEqualTo("h100-ft-1");
        assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).hasSize(7)
                .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isNotNull());
    }

    /** Admission over HTTPS, the patch applied, the result checked, then created in the API server. */
    private Pod admitAndCreate(String name) throws Exception {
        Pod submitted = new PodBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("registry.local/train:1")
                .withNewResources().addToLimits(NvidiaKeys.GPU, new Quantity("1"))
                .addToRequests(NvidiaKeys.GPU, new Quantity("1")).endResources()
                .endContainer().endSpec().build();
        Admission answer = await(admission.admit(submitted));
        assertThat(answer).isInstanceOf(Admission.Allowed.class);
        Pod mutated = ((Admission.Allowed) answer).pod();
        assertThat(((Admission.Allowed) answer).patched()).isTrue();
        Decision decision = Decision.parse(mutated.getMetadata().getAnnotations().get(POLICY.vocabulary().decisionAnnotation())).orElseThrow();
        assertThat(decision.workloadType()).as("the type comes from the namespace label").isEqualTo("training");
        assertThat(decision.pools()).containsExactly("a100-training", "h100-fine-tuning");
        assertThat(mutated.getSpec().getPriorityClassName()).isEqualTo("training");
        assertThat(mutated.getSpec().getPriority()).as("the live PriorityClass wins over the policy's value").isEqualTo(LIVE_TRAINING_PRIORITY);
        assertThat(mutated.getSpec().getPreemptionPolicy()).isEqualTo("Never");
        // The uid is set here because a real API server assigns one on create and the ledger keys pods by it.
        return client.pods().inNamespace(NAMESPACE).resource(new PodBuilder(mutated).editMetadata()
                .withUid("uid-" + name).endMetadata().build()).create();
    }

    /** The binding: spec.nodeName set in the API server, then wait until the extender's informer counts the pod there. */
    private Future<Void> bind(Pod pod, String node) {
        String name = pod.getMetadata().getName();
        String uid = pod.getMetadata().getUid();
        return vertx.executeBlocking(() -> {
            client.pods().inNamespace(NAMESPACE).withName(name).edit(p -> new PodBuilder(p).editSpec().withNodeName(node).endSpec().build());
            eventually("the extender's ledger counts " + name + " on " + node, () -> ledger.snapshot().usageOf(node).pods().stream()
                    .anyMatch(u -> uid.equals(u.uid())));
            return null;
        });
    }

    private static boolean ready(int port) {
        try {
            HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    /** Polls with a generous deadline: informers are asynchronous and the machine may be loaded. */
    private static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what);
            }
        }
    }
}
