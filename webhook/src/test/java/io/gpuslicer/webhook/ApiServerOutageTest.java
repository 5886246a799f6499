package io.gpuslicer.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.gpuslicer.policy.PolicyLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API server is not there at start, or goes away later. Until a first sync the webhook is not ready
 * (so the Service sends it no admissions); once synced it keeps answering from its caches when the API
 * server goes away, with the last known PriorityClass values.
 */
class ApiServerOutageTest {
    @TempDir
    Path dir;

    private static KubernetesMockServer crudServer() {
        return new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
    }

    private static void createResearchClass(KubernetesClient admin) {
        admin.scheduling().v1().priorityClasses().resource(new PriorityClassBuilder().withNewMetadata().withName("research").endMetadata()
                .withValue(321).build()).create();
    }

    @Test
    void notReadyUntilTheApiServerAppearsThenReadyByItself() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        KubernetesMockServer server = crudServer();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + port).withConnectionTimeout(1_000).withRequestTimeout(2_000).build()).build();
             TestWebhook webhook = new TestWebhook(dir, PolicyLoader.defaultPolicyText(), client)) {
            Thread.sleep(2_000);
            assertThat(webhook.get(false, "/readyz").statusCode()).isEqualTo(503);
            assertThat(webhook.get(false, "/readyz").bodyAsString()).contains("not synced");

            server.init(InetAddress.getLoopbackAddress(), port);
            createResearchClass(server.createClient());
            awaitReady(webhook);

            assertThat(priorityOf(webhook)).isEqualTo(321);
            server.destroy(); // before the informers close their watches: the mock server can stall when a client closes a watch first
        } finally {
            server.destroy();
        }
    }

    @Test
    void afterTheApiServerGoesAwayAdmissionsUseTheLastKnownClasses() throws Exception {
        KubernetesMockServer server = crudServer();
        server.init();
        try (KubernetesClient client = server.createClient();
             TestWebhook webhook = new TestWebhook(dir, PolicyLoader.defaultPolicyText(), client)) {
            createResearchClass(client);
            awaitReady(webhook);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (priorityOf(webhook) != 321) {
                assertThat(System.nanoTime()).as("the class reaches the cache within 30 s").isLessThan(deadline);
                Thread.sleep(50);
            }

            server.destroy();

            // Not just the instant after: long enough for the watches to break and several relists to fail.
            long until = System.nanoTime() + 6_000_000_000L;
            while (System.nanoTime() < until) {
                assertThat(priorityOf(webhook)).isEqualTo(321);
                assertThat(webhook.get(false, "/readyz").statusCode()).isEqualTo(200);
                Thread.sleep(200);
            }
        }
    }

    /** The priority the webhook writes for the kubectl-run sample (workload type development → class research). */
    private static int priorityOf(TestWebhook webhook) throws Exception {
        JsonNode patch = Samples.patchOf(AdmissionHandlerTest.json(webhook.mutate(Samples.bytes(Samples.KUBECTL_RUN)).bodyAsString()));
        for (JsonNode op : patch) {
            if (op.get("path").asText().equals("/spec/priority")) {
                return op.get("value").asInt();
            }
        }
        throw new AssertionError("no priority in " + patch);
    }

    private static void awaitReady(TestWebhook webhook) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (webhook.get(false, "/readyz").statusCode() != 200) {
            assertThat(System.nanoTime()).as("webhook ready within 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
