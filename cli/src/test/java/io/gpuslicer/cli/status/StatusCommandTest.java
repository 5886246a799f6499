package io.gpuslicer.cli.status;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.gpuslicer.cli.GpuSlicer;
import io.gpuslicer.policy.PolicyLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code gpu-slicer status} on the demo's bundled cluster and on a cluster (fabric8's mock API server, CRUD mode). */
class StatusCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream stdout;
    private PrintStream stderr;

    @BeforeEach
    void capture() {
        stdout = System.out;
        stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(stdout);
        System.setErr(stderr);
    }

    private int run(String... args) {
        return new CommandLine(new GpuSlicer()).execute(args);
    }

    private String text() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theDemoClusterShowsEveryPoolItsQueueTheReconfiguringNodeAndThePendingPodsOldestFirst() {
        assertThat(run("status", "--demo")).isZero();
        assertThat(text())
                .startsWith("gpu-slicer status: bundled demo cluster, 10 nodes, policy ")
                .contains(", at 2026-01-15T09:00:00Z\n")
                .containsPattern("(?m)^  POOL +KIND +NODES +CAPACITY +USED +FREE +PENDING +OLDEST WAIT$")
                .containsPattern("(?m)^  a100-research +time-slicing +1 +3 +0 +3 +1 +20m +replicas$")
                .containsPattern("(?m)^  a100-batch +time-slicing +1 +3 +1 +2 +0 +- +replicas$")
                .containsPattern("(?m)^  a100-training +time-slicing +1 +6 +0 +6 +1 +48m +replicas$")
                .containsPattern("(?m)^  mig-2g20gb +MIG 2g.20gb +2 +6 +0 +6 +1 +3m +MIG instances \\(3 free on nodes being reconfigured\\)$")
                .containsPattern("(?m)^  a100-mig-2g-2 +mig-2g20gb +pending +all-2g.20gb$")
                .containsPattern("(?s)team-b/big-train-0 +training +a100-training > h100-fine-tuning +48m\n"
                        + " +team-b/wide-research-0 +research +a100-research > a100-development > a100-batch +20m\n"
                        + " +team-b/agents-4x-0 +critical-agents +mig-2g20gb +3m\n");
    }

    @Test
    void watchRedrawsTheScreenEachInterval() throws Exception {
        StatusCommand status = new StatusCommand();
        new CommandLine(status).parseArgs("--demo", "--watch");
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        status.watch(new PrintStream(screen, true, StandardCharsets.UTF_8), System.err, Duration.ofMillis(1), 2);
        String shown = screen.toString(StandardCharsets.UTF_8);
        assertThat(shown.split(java.util.regex.Pattern.quote(StatusCommand.CLEAR), -1)).hasSize(3);
        assertThat(shown).contains("every 0s, Ctrl-C to stop").contains("a100-mig-2g-2");
    }

    @Test
    void aMissingSnapshotIsOneLineOnStderrAndExitOne() {
        assertThat(run("status", "--snapshot", "/nonexistent/cluster.json")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("status: cannot read the snapshot /nonexistent/cluster.json");
    }

    @Test
    void aClusterIsReadThroughAKubeconfigWithThePolicyFromItsConfigMap(@TempDir Path dir) throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            for (HasMetadata item : demoCluster()) {
                if (item instanceof Node n) {
                    client.nodes().resource(n).create();
                } else if (item instanceof Pod p) {
                    client.pods().inNamespace(p.getMetadata().getNamespace()).resource(p).create();
                }
            }
            String policy = PolicyLoader.defaultPolicyText().replace("maxSharersPerGpu: 4", "maxSharersPerGpu: 3");
            client.configMaps().inNamespace("gpu-slicer").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("gpu-slicer-policy").withNamespace("gpu-slicer").endMetadata()
                    .addToData("policy.yaml", policy).build()).create();
            Path kubeconfig = dir.resolve("config");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                    users: [{name: u, user: {token: t}}]
                    contexts: [{name: c, context: {cluster: mock, user: u}}]
                    current-context: c
                    """.formatted(client.getMasterUrl().toString()));

            assertThat(run("status", "--kubeconfig", kubeconfig.toString())).as(err.toString(StandardCharsets.UTF_8)).isZero();
            String version = ((PolicyLoader.Loaded) PolicyLoader.parse(policy)).policy().version();
            assertThat(text()).contains(", 10 nodes, policy " + version + ", at ")
                    .containsPattern("(?m)^  a100-training +time-slicing +1 +6 +0 +6 +1 +[0-9]+s +replicas$")
                    .contains("team-b/big-train-0");
        } finally {
            server.destroy();
        }
    }

    static List<HasMetadata> demoCluster() throws Exception {
        try (InputStream in = StatusCommandTest.class.getResourceAsStream(ClusterState.BUNDLED_CLUSTER)) {
            return ((io.fabric8.kubernetes.api.model.KubernetesList) Serialization.unmarshal(in)).getItems();
        }
    }
}
