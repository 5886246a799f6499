package io.gpuslicer.e2e.manifests;

import static io.gpuslicer.e2e.manifests.ManifestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import io.gpuslicer.policy.Pool;
import io.gpuslicer.policy.SharingMode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The second scheduler's KubeSchedulerConfiguration, read from its ConfigMap as kube-scheduler would. */
@DisplayName("The scheduler configuration")
class SchedulerConfigurationTest {

    static final List<HasMetadata> ROOT = root();
    static final Policy POLICY = PolicyLoader.defaultPolicy();
    static JsonNode config;
    static JsonNode extender;

    /** kube-scheduler decodes its config strictly: an unknown field is a start-up error. These are the v1 fields. */
    static final Set<String> CONFIG_FIELDS = Set.of("apiVersion", "kind", "parallelism", "leaderElection",
            "clientConnection", "enableProfiling", "enableContentionProfiling", "percentageOfNodesToScore",
            "podInitialBackoffSeconds", "podMaxBackoffSeconds", "profiles", "extenders", "delayCacheUntilActive");
    static final Set<String> LEADER_ELECTION_FIELDS = Set.of("leaderElect", "leaseDuration", "renewDeadline",
            "retryPeriod", "resourceLock", "resourceName", "resourceNamespace");
    static final Set<String> EXTENDER_FIELDS = Set.of("urlPrefix", "filterVerb", "preemptVerb", "prioritizeVerb",
            "weight", "bindVerb", "enableHTTPS", "tlsConfig", "httpTimeout", "nodeCacheCapable", "managedResources",
            "ignorable");
    static final Set<String> PROFILE_FIELDS = Set.of("schedulerName", "percentageOfNodesToScore", "plugins", "pluginConfig");

    @BeforeAll
    static void load() {
        ConfigMap cm = named(ROOT, ConfigMap.class, "gpu-slicer-scheduler-config");
        assertThat(cm.getData()).containsOnlyKeys("config.yaml");
        config = yamlTree(cm.getData().get("config.yaml"));
        assertThat(config.path("extenders")).hasSize(1);
        extender = config.path("extenders").get(0);
    }

    static Stream<String> expectedManagedResources() {
        List<String> out = new ArrayList<>(List.of("nvidia.com/gpu", "nvidia.com/gpu.shared"));
        for (Pool p : POLICY.pools().values()) {
            if (p.mode() == SharingMode.MIG) {
                out.add("nvidia.com/mig-" + p.migProfile());
            }
        }
        return out.stream().distinct();
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    @DisplayName("is a kubescheduler.config.k8s.io/v1 KubeSchedulerConfiguration with only known fields")
    void onlyKnownFields() {
        assertThat(config.path("apiVersion").asText()).isEqualTo("kubescheduler.config.k8s.io/v1");
        assertThat(config.path("kind").asText()).isEqualTo("KubeSchedulerConfiguration");
        assertThat(CONFIG_FIELDS).containsAll(fieldNames(config));
        assertThat(LEADER_ELECTION_FIELDS).containsAll(fieldNames(config.path("leaderElection")));
        assertThat(EXTENDER_FIELDS).containsAll(fieldNames(extender));
        config.path("profiles").forEach(p -> assertThat(PROFILE_FIELDS).containsAll(fieldNames(p)));
        extender.path("managedResources").forEach(r ->
                assertThat(Set.of("name", "ignoredByScheduler")).containsAll(fieldNames(r)));
    }

    @Test
    @DisplayName("has one profile named like the policy's schedulerName")
    void profileNameIsThePolicys() {
        assertThat(config.path("profiles")).hasSize(1);
        assertThat(config.path("profiles").get(0).path("schedulerName").asText())
                .isEqualTo(POLICY.schedulerName())
                .isNotEqualTo("default-scheduler");
    }

    @Test
    @DisplayName("calls the extender Service by name, namespace and port, under the extender's /gpu-slicer prefix")
    void urlPrefixPointsAtTheExtenderService() {
        URI url = URI.create(extender.path("urlPrefix").asText());
        assertThat(url.getScheme()).isEqualTo("http");
        assertThat(extender.path("enableHTTPS").asBoolean(true)).isFalse();
        Service svc = named(ROOT, Service.class, "gpu-slicer-extender");
        assertThat(url.getHost()).isIn(
                svc.getMetadata().getName() + "." + svc.getMetadata().getNamespace() + ".svc",
                svc.getMetadata().getName() + "." + svc.getMetadata().getNamespace() + ".svc.cluster.local");
        assertThat(svc.getSpec().getPorts()).anyMatch(p -> p.getPort() == url.getPort());
        assertThat(url.getPath()).isEqualTo("/gpu-slicer").endsWith("/gpu-slicer");
        Container c = named(ROOT, Deployment.class, "gpu-slicer-extender").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(WorkloadTest.flag(c, "--prefix")).isEqualTo(url.getPath());
    }

    @Test
    @DisplayName("uses the verbs the extender serves: filter, prioritize, preempt, and bind (the extender is the binder)")
    void verbs() {
        assertThat(extender.path("filterVerb").asText()).isEqualTo("filter");
        assertThat(extender.path("prioritizeVerb").asText()).isEqualTo("prioritize");
        assertThat(extender.path("preemptVerb").asText()).isEqualTo("preempt");
        assertThat(extender.path("bindVerb").asText()).isEqualTo("bind");
        assertThat(extender.path("weight").asInt()).isPositive();
    }

    @Test
    @DisplayName("reaches one extender replica per scheduler (ClientIP affinity), so reservations live where the binds are")
    void oneReplicaPerScheduler() {
        Service svc = named(ROOT, Service.class, "gpu-slicer-extender");
        assertThat(svc.getSpec().getSessionAffinity()).isEqualTo("ClientIP");
    }

    @Test
    @DisplayName("lets the extender bind pods and nudge pending ones, and nothing more on pods")
    void extenderMayBind() {
        var grants = RbacTest.grants(named(ROOT, io.fabric8.kubernetes.api.model.rbac.ClusterRole.class, "gpu-slicer-extender").getRules());
        assertThat(grants).contains("/pods/binding:create", "/pods:patch")
                .noneMatch(g -> g.startsWith("/pods:") && !Set.of("/pods:get", "/pods:list", "/pods:watch", "/pods:patch").contains(g));
    }

    @Test
    @DisplayName("is node-cache capable, not ignorable, and times out within 10 s")
    void cacheIgnorableTimeout() {
        assertThat(extender.path("nodeCacheCapable").asBoolean(false)).isTrue();
        assertThat(extender.path("ignorable").asBoolean(true)).isFalse();
        Duration timeout = parseGoDuration(extender.path("httpTimeout").asText());
        assertThat(timeout).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10));
    }

    @ParameterizedTest(name = "sends pods requesting {0} to the extender, without hiding it from the scheduler")
    @MethodSource("expectedManagedResources")
    void managedResourcesCoverThePolicy(String resource) {
        Map<String, Boolean> managed = new HashMap<>();
        extender.path("managedResources").forEach(r ->
                managed.put(r.path("name").asText(), r.path("ignoredByScheduler").asBoolean(false)));
        assertThat(managed).containsEntry(resource, false);
    }

    @Test
    @DisplayName("the default policy has MIG pools, so the managed-resource table is not vacuous")
    void policyHasMigPools() {
        assertThat(expectedManagedResources()).contains("nvidia.com/mig-3g.40gb", "nvidia.com/mig-2g.20gb",
                "nvidia.com/mig-1g.10gb");
    }

    @Test
    @DisplayName("elects a leader on a Lease in gpu-slicer that its Role lets it update")
    void leaderElection() {
        JsonNode le = config.path("leaderElection");
        assertThat(le.path("leaderElect").asBoolean(false)).isTrue();
        assertThat(le.path("resourceLock").asText("leases")).isEqualTo("leases");
        assertThat(le.path("resourceNamespace").asText()).isEqualTo("gpu-slicer");
        assertThat(le.path("resourceName").asText()).isEqualTo("gpu-slicer-scheduler");
        Role role = named(ROOT, Role.class, "gpu-slicer-scheduler-leader-election");
        assertThat(role.getMetadata().getNamespace()).isEqualTo(le.path("resourceNamespace").asText());
        assertThat(role.getRules()).anySatisfy(r -> {
            assertThat(r.getResourceNames()).contains(le.path("resourceName").asText());
            assertThat(r.getVerbs()).contains("get", "update");
        });
    }

    @Test
    @DisplayName("uses in-cluster credentials (no kubeconfig path that would not exist in the pod)")
    void inClusterCredentials() {
        assertThat(config.path("clientConnection").path("kubeconfig").asText("")).isEmpty();
    }

    /** Go's time.ParseDuration for the forms a config uses: 500ms, 5s, 1m30s. */
    static Duration parseGoDuration(String s) {
        var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(s);
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            assertThat(m.start()).as("duration %s", s).isEqualTo(end);
            end = m.end();
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
        }
        assertThat(end).as("duration %s", s).isEqualTo(s.length()).isPositive();
        return d;
    }
}
