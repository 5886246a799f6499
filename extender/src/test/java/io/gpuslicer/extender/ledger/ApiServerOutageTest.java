package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.gpuslicer.extender.Extender;
import io.gpuslicer.extender.core.ExtenderMetrics;
import io.gpuslicer.extender.wire.ExtenderArgs;
import io.gpuslicer.extender.wire.ExtenderFilterResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;

import static io.gpuslicer.extender.Fixtures.POLICY;
import static io.gpuslicer.extender.Fixtures.gpuPod;
import static io.gpuslicer.extender.Fixtures.sharedNodeObject;
import static io.gpuslicer.extender.ledger.InformerLedgerSourceTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API server is not there at start, or goes away later. Before a first sync the extender refuses
 * with an error the scheduler retries; once it comes up the extender becomes ready by itself; after it
 * goes away decisions continue on the last known state, as kube-scheduler's own cache does.
 */
class ApiServerOutageTest {
    private KubernetesMockServer server;
    private KubernetesClient client;
    private InformerLedgerSource source;

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroy();
        }
    }

    private static KubernetesMockServer crudServer() {
        return new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
    }

    @Test
    void anApiServerThatComesUpLateIsWaitedForAndThenServed() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + port).withNamespace("default")
                .withConnectionTimeout(1_000).withRequestTimeout(2_000).build()).build();
        source = InformerLedgerSource.start(client, POLICY);
        Extender extender = new Extender(source, ExtenderMetrics.NOOP);

        ExtenderFilterResult early = extender.filter(ExtenderArgs.ofNames(gpuPod("p", "research", 1), List.of("research-1")));
        assertThat(source.notReadyReason()).isNotNull();
        assertThat(early.error()).contains("not ready");
        Thread.sleep(3_000); // several list attempts fail (connection refused) before the API server appears
        assertThat(source.notReadyReason()).isNotNull();

        server = crudServer();
        server.init(InetAddress.getLoopbackAddress(), port);
        try (KubernetesClient admin = server.createClient()) {
            admin.nodes().resource(sharedNodeObject("research-1", "a100-research", 3)).create();
        }
        eventually("the informers sync once the API server is up", () -> source.notReadyReason() == null);
        eventually("the node is known", () -> source.snapshot().node("research-1") != null);

        ExtenderFilterResult late = extender.filter(ExtenderArgs.ofNames(gpuPod("p", "research", 1), List.of("research-1")));
        assertThat(late.error()).isEmpty();
        assertThat(late.nodeNames()).containsExactly("research-1");
    }

    @Test
    void afterTheApiServerGoesAwayDecisionsContinueOnTheLastKnownState() throws Exception {
        server = crudServer();
        server.init();
        client = server.createClient();
        client.nodes().resource(sharedNodeObject("research-1", "a100-research", 3)).create();
        source = InformerLedgerSource.start(client, POLICY);
        Extender extender = new Extender(source, ExtenderMetrics.NOOP);
        eventually("the informers sync", () -> source.notReadyReason() == null && source.snapshot().node("research-1") != null);

        server.destroy();
        server = null;

        // Not just the instant after: long enough for the watches to break and several relists to fail.
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(OUTAGE_MILLIS);
        while (System.nanoTime() < until) {
            ExtenderFilterResult result = extender.filter(ExtenderArgs.ofNames(gpuPod("p", "research", 1), List.of("research-1")));
            assertThat(result.error()).isEmpty();
            assertThat(result.nodeNames()).containsExactly("research-1");
            assertThat(source.notReadyReason()).isNull();
            Thread.sleep(200);
        }
    }

    /** How long the servers are watched without their API server: the client's timeouts are 1-2 s here. */
    static final long OUTAGE_MILLIS = 6_000;
}
