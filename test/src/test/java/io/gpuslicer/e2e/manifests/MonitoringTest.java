package io.gpuslicer.e2e.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static io.gpuslicer.e2e.manifests.ManifestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * manifests/monitoring: an optional kustomize Component (ServiceMonitors, PrometheusRule alerts, a Grafana
 * dashboard) that the base leaves out, whose queries name only metrics the two servers really export.
 */
@DisplayName("Monitoring component")
class MonitoringTest {
    /** Series Prometheus makes itself for every target; not exported by any server. */
    private static final Set<String> PROMETHEUS_BUILT_IN = Set.of("up");

    private static Set<String> exported;

    @BeforeAll
    static void exerciseBothServers(@TempDir Path dir) throws Exception {
        exported = ExportedMetrics.collect(dir);
    }

    private static Path monitoring() {
        return manifests().resolve("monitoring");
    }

    private static List<HasMetadata> component() {
        return build(monitoring());
    }

    private static JsonNode dashboard() throws Exception {
        return new ObjectMapper().readTree(monitoring().resolve("dashboards/gpu-slicer.json").toFile());
    }

    private static List<JsonNode> rules() {
        GenericKubernetesResource rule = (GenericKubernetesResource) component().stream()
                .filter(o -> o.getKind().equals("PrometheusRule")).findFirst().orElseThrow();
        List<JsonNode> out = new ArrayList<>();
        YAML.valueToTree(rule.getAdditionalProperties().get("spec")).path("groups")
                .forEach(g -> g.path("rules").forEach(out::add));
        return out;
    }

    /** expr → where it is used (panel title or alert name). */
    private static Map<String, String> expressions() throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode panel : dashboard().path("panels")) {
            panel.path("targets").forEach(t -> out.put(t.path("expr").asText(), "panel \"" + panel.path("title").asText() + "\""));
        }
        rules().forEach(r -> out.put(r.path("expr").asText(), "alert " + r.path("alert").asText()));
        return out;
    }

    @Test
    @DisplayName("is a kustomize Component, and the base neither lists it nor emits monitoring.coreos.com objects")
    void isAnOptionalComponent() {
        Kustomization k = Kustomization.in(monitoring());
        assertThat(k.raw().path("apiVersion").asText()).isEqualTo("kustomize.config.k8s.io/v1alpha1");
        assertThat(k.raw().path("kind").asText()).isEqualTo("Component");
        Kustomization base = Kustomization.in(manifests());
        assertThat(base.list("resources")).noneMatch(r -> r.contains("monitoring"));
        assertThat(base.list("components")).isEmpty();
        assertThat(root()).noneMatch(o -> o.getApiVersion().startsWith("monitoring.coreos.com/"));
    }

    @Test
    @DisplayName("each ServiceMonitor selects exactly one gpu-slicer Service and a port it has")
    void serviceMonitorsSelectTheServers() {
        List<Service> services = ofType(root(), Service.class);
        List<HasMetadata> monitors = component().stream().filter(o -> o.getKind().equals("ServiceMonitor")).toList();
        assertThat(monitors).extracting(o -> o.getMetadata().getName()).containsExactlyInAnyOrder("gpu-slicer-webhook", "gpu-slicer-extender");
        for (HasMetadata m : monitors) {
            JsonNode spec = YAML.valueToTree(((GenericKubernetesResource) m).getAdditionalProperties().get("spec"));
            Map<String, String> selector = new TreeMap<>();
            spec.path("selector").path("matchLabels").fields().forEachRemaining(e -> selector.put(e.getKey(), e.getValue().asText()));
            List<Service> selected = services.stream().filter(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
            assertThat(selected).as("Services selected by ServiceMonitor %s", m.getMetadata().getName()).hasSize(1);
            Service s = selected.get(0);
            assertThat(s.getMetadata().getName()).isEqualTo(m.getMetadata().getName());
            assertThat(spec.path("namespaceSelector").path("matchNames").toString()).contains(s.getMetadata().getNamespace());
            String port = spec.path("endpoints").get(0).path("port").asText();
            assertThat(s.getSpec().getPorts()).as("port %s of Service %s", port, s.getMetadata().getName())
                    .anyMatch(p -> port.equals(p.getName()));
            assertThat(spec.path("endpoints").get(0).path("path").asText()).isEqualTo("/metrics");
        }
    }

    @Test
    @DisplayName("every alert has a name, an expression, a severity and a summary; the required alerts are there")
    void alertsAreWellFormed() {
        List<JsonNode> rules = rules();
        for (JsonNode r : rules) {
            assertThat(r.path("alert").asText()).as("alert name").matches("GpuSlicer[A-Za-z]+");
            assertThat(r.path("expr").asText()).as("expr of %s", r.path("alert").asText()).isNotBlank();
            assertThat(r.path("labels").path("severity").asText()).as("severity of %s", r.path("alert").asText()).isIn("critical", "warning");
            assertThat(r.path("annotations").path("summary").asText()).as("summary of %s", r.path("alert").asText()).isNotBlank();
        }
        assertThat(rules).extracting(r -> r.path("alert").asText()).contains("GpuSlicerWebhookDown", "GpuSlicerExtenderDown",
                "GpuSlicerWebhookErrors", "GpuSlicerExtenderErrors", "GpuSlicerMigPodsPendingTooLong", "GpuSlicerPolicyRejected",
                "GpuSlicerCertificateExpiringSoon", "GpuSlicerHeapNearlyFull");
    }

    @Test
    @DisplayName("the dashboard is one board over a Prometheus datasource variable, every panel with a query")
    void dashboardIsOneBoard() throws Exception {
        JsonNode board = dashboard();
        assertThat(board.path("uid").asText()).isEqualTo("gpu-slicer");
        assertThat(board.path("templating").path("list").get(0).path("query").asText()).isEqualTo("prometheus");
        List<String> titles = new ArrayList<>();
        for (JsonNode p : board.path("panels")) {
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            titles.add(p.path("title").asText());
            assertThat(p.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            assertThat(p.path("targets")).as("targets of %s", p.path("title").asText()).isNotEmpty();
        }
        assertThat(titles).hasSizeGreaterThan(10);
        ConfigMap cm = named(component(), ConfigMap.class, "gpu-slicer-dashboard");
        assertThat(cm.getData()).containsOnlyKeys("gpu-slicer.json");
    }

    @Test
    @DisplayName("every metric in the dashboard's queries and the alerts' expressions is one the servers export")
    void everyQueriedMetricIsExported() throws Exception {
        assertThat(exported).as("the servers were exercised: the fleet metrics are there")
                .contains("gpuslicer_extender_pending_pods", "gpuslicer_extender_pod_scheduling_wait_seconds_bucket",
                        "gpuslicer_webhook_admissions_total", "gpuslicer_extender_calls_seconds_bucket");
        Set<String> queried = new TreeSet<>();
        Map<String, String> unknown = new TreeMap<>();
        expressions().forEach((expr, where) -> {
            Set<String> names = PromQL.metricNames(expr);
            assertThat(names).as("metrics of %s: %s", where, expr).isNotEmpty();
            for (String name : names) {
                queried.add(name);
                if (!exported.contains(name) && !PROMETHEUS_BUILT_IN.contains(name)) {
                    unknown.put(name, where);
                }
            }
        });
        assertThat(unknown).as("metric names no server exports").isEmpty();
        assertThat(queried).as("the board and the alerts cover the new fleet metrics")
                .contains("gpuslicer_extender_pending_pods", "gpuslicer_extender_pending_oldest_seconds",
                        "gpuslicer_extender_placements_total", "gpuslicer_extender_preemptions_total",
                        "gpuslicer_extender_preemption_victims_total", "gpuslicer_extender_pool_gpus",
                        "gpuslicer_webhook_certificate_expiry_timestamp_seconds", "gpuslicer_policy_reloads_total");
    }

    @Test
    @DisplayName("the metric-name check finds a misspelt name, so it can fail")
    void theNameExtractionCanFail() {
        assertThat(PromQL.metricNames("histogram_quantile(0.99, sum by (le, verb) (rate(gpuslicer_extender_calls_seconds_bucket"
                + "{outcome!=\"ok\"}[5m]))) > 0.5 and on(job) up{job=\"x\"} == 0"))
                .containsExactly("gpuslicer_extender_calls_seconds_bucket", "up");
        assertThat(PromQL.metricNames("min(gpuslicer_webhook_certificate_expiry_timestamp_seconds - time()) < 14 * 86400"))
                .containsExactly("gpuslicer_webhook_certificate_expiry_timestamp_seconds");
        assertThat(exported).doesNotContain("gpuslicer_extender_pending_podz");
    }

    @Test
    @DisplayName("renders together with the base: kustomize build of base + component")
    void rendersWithTheBase(@TempDir Path dir) throws Exception {
        // In Java (the subset ManifestSupport builds): no two objects collide.
        List<HasMetadata> all = new ArrayList<>(root());
        all.addAll(component());
        assertThat(all.stream().map(o -> apiVersionKind(o) + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName()))
                .doesNotHaveDuplicates();
        // With the real kustomize (kubectl kustomize) where it is installed: the overlay the README documents.
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not installed here");
        Path overlay = Files.createDirectories(repoRoot().resolve("test/target/monitoring-overlay"));
        String base = overlay.relativize(manifests()).toString();
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [%s]
                components: [%s/monitoring]
                """.formatted(base, base));
        Process p = new ProcessBuilder("kubectl", "kustomize", overlay.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.split("\n---\n")).hasSize(all.size());
        assertThat(out).contains("kind: PrometheusRule", "kind: ServiceMonitor", "name: gpu-slicer-dashboard", "grafana_dashboard: \"1\"",
                "name: gpu-slicer-extender", "kind: MutatingWebhookConfiguration");
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
