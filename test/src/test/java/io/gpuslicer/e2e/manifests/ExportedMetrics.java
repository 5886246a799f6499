package io.gpuslicer.e2e.manifests;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.gpuslicer.cli.demo.Admission;
import io.gpuslicer.cli.demo.DemoScript;
import io.gpuslicer.cli.demo.WebhookCaller;
import io.gpuslicer.extender.ExtenderConfig;
import io.gpuslicer.extender.ExtenderServer;
import io.gpuslicer.extender.observe.ObservedLedger;
import io.gpuslicer.extender.wire.ExtenderArgs;
import io.gpuslicer.extender.wire.ExtenderJson;
import io.gpuslicer.extender.wire.ExtenderPreemptionArgs;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import io.gpuslicer.server.Metrics;
import io.gpuslicer.server.PolicyHolder;
import io.gpuslicer.server.tls.CertificateAuthority;
import io.gpuslicer.webhook.WebhookConfig;
import io.gpuslicer.webhook.WebhookServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The metric names the two servers really export: both started as the commands start them (webhook over
 * HTTPS; extender over HTTPS with the informer ledger, fleet metrics and placement Events on fabric8's mock
 * API server), exercised (admissions of the demo's pods; filter, prioritize, preempt and a bad request; a
 * pod created pending and then bound), then scraped over HTTP from {@code /metrics}.
 */
final class ExportedMetrics {
    private static final Policy POLICY = PolicyLoader.defaultPolicy();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private ExportedMetrics() {
    }

    /** Series names (as in the exposition: {@code _bucket}, {@code _count}, {@code _total} included) of both servers. */
    static Set<String> collect(Path dir) throws Exception {
        KubernetesMockServer api = new KubernetesMockServer(new Context(), new MockWebServer(), new java.util.HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        api.init();
        KubernetesClient client = api.createClient();
        Vertx vertx = Vertx.vertx();
        WebhookServer webhook = null;
        ExtenderServer extender = null;
        ObservedLedger ledger = null;
        try {
            seed(client);
            CertificateAuthority ca = CertificateAuthority.create("metrics-ca", Duration.ofDays(1));
            CertificateAuthority.Issued issued = ca.issue("gpu-slicer", List.of("localhost", "127.0.0.1"), Duration.ofDays(1));
            Path cert = Files.writeString(dir.resolve("tls.crt"), issued.certificatePem());
            Path key = Files.writeString(dir.resolve("tls.key"), issued.privateKeyPem());
            webhook = await(WebhookServer.start(vertx, WebhookConfig.of(cert.toString(), key.toString())
                    .withPorts("127.0.0.1", 0, 0).withClient(client)));

            PrometheusMeterRegistry registry = Metrics.newRegistry();
            ledger = ObservedLedger.start(client, POLICY, registry, true, "gpu-slicer-extender", Clock.systemUTC());
            PolicyHolder holder = new PolicyHolder(POLICY, "test");
            Metrics.bindPolicyReloads(registry, holder);
            extender = await(ExtenderServer.start(vertx, new ExtenderConfig("127.0.0.1", 0, ExtenderConfig.DEFAULT_PREFIX,
                    ExtenderConfig.DEFAULT_BODY_LIMIT, cert.toString(), key.toString()), ledger.source(), registry));
            ObservedLedger source = ledger;
            eventually("the extender's informers sync", () -> source.source().notReadyReason() == null);

            HttpClient https = HttpClient.newBuilder().sslContext(trusting(issued.caPem())).build();
            String extenderUrl = "https://localhost:" + extender.actualPort();

            // Webhook: every pod of the demo's script (patched, denied, untouched).
            Pod pending = null;
            try (WebhookCaller admit = new WebhookCaller(vertx, issued.caPem(), "127.0.0.1", webhook.actualPort())) {
                for (Pod pod : DemoScript.pods(POLICY.vocabulary())) {
                    Admission a = await(admit.admit(pod));
                    if (pending == null && a instanceof Admission.Allowed allowed && allowed.patched()) {
                        pending = allowed.pod();
                    }
                }
            }
            // Extender: the admitted pod created pending, the verbs called for it, then its binding.
            Pod created = client.pods().inNamespace(DemoScript.NAMESPACE).resource(pending).create();
            List<String> nodes = client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).toList();
            post(https, extenderUrl + "/gpu-slicer/filter", ExtenderJson.MAPPER.writeValueAsString(ExtenderArgs.ofNames(created, nodes)));
            post(https, extenderUrl + "/gpu-slicer/prioritize", ExtenderJson.MAPPER.writeValueAsString(ExtenderArgs.ofNames(created, nodes)));
            post(https, extenderUrl + "/gpu-slicer/preempt", ExtenderJson.MAPPER.writeValueAsString(
                    new ExtenderPreemptionArgs(created, Map.of(), Map.of())));
            // Only a node of its fallback pool sent: the filter counts a fallback placement.
            post(https, extenderUrl + "/gpu-slicer/filter", ExtenderJson.MAPPER.writeValueAsString(ExtenderArgs.ofNames(created, List.of("a100-dev-1"))));
            post(https, extenderUrl + "/gpu-slicer/filter", "{not json");
            eventually("the pending pod is on the gauge", () -> scrape(https, extenderUrl + "/metrics")
                    .contains("gpuslicer_extender_pending_pods{mode=\"time-slicing\",pool=\"a100-research\",workload_type=\"research\"} 1"));
            client.pods().inNamespace(DemoScript.NAMESPACE).resource(new PodBuilder(created).editSpec()
                    .withNodeName("a100-research-1").endSpec().build()).update();
            eventually("the binding is counted", () -> scrape(https, extenderUrl + "/metrics")
                    .contains("gpuslicer_extender_placements_total{fallback=\"false\",pool=\"a100-research\"} 1"));
            // The pause series appear at the first collection after the servers bound them, as in a running server.
            String webhookUrl = "http://127.0.0.1:" + webhook.metricsPort();
            System.gc();
            eventually("a collection is counted", () -> scrape(https, extenderUrl + "/metrics").contains("jvm_gc_pause_seconds_count{")
                    && scrape(HttpClient.newHttpClient(), webhookUrl + "/metrics").contains("jvm_gc_pause_seconds_count{"));

            Set<String> names = new TreeSet<>();
            names.addAll(seriesNames(scrape(https, extenderUrl + "/metrics")));
            names.addAll(seriesNames(scrape(HttpClient.newHttpClient(), webhookUrl + "/metrics")));
            return names;
        } finally {
            api.destroy();
            if (ledger != null) {
                ledger.close();
            }
            List<Future<?>> closing = new ArrayList<>();
            if (webhook != null) {
                closing.add(webhook.close());
            }
            if (extender != null) {
                closing.add(extender.close());
            }
            Future.all(closing).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            client.close();
        }
    }

    /** Names of the samples in a Prometheus text exposition. */
    static Set<String> seriesNames(String exposition) {
        Set<String> out = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            out.add(line.substring(0, end));
        }
        return out;
    }

    private static void seed(KubernetesClient client) throws Exception {
        try (InputStream in = ExportedMetrics.class.getResourceAsStream("/io/gpuslicer/cli/demo/demo-cluster.json")) {
            for (HasMetadata item : ((KubernetesList) Serialization.unmarshal(in)).getItems()) {
                if (item instanceof Node n) {
                    client.nodes().resource(n).create();
                } else if (item instanceof Pod p && p.getSpec().getNodeName() != null) {
                    client.pods().inNamespace(p.getMetadata().getNamespace()).resource(p).create();
                }
            }
        }
    }

    private static void post(HttpClient http, String url, String body) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String scrape(HttpClient http, String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException("cannot scrape " + url, e);
        }
    }

    private static SSLContext trusting(String caPem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
