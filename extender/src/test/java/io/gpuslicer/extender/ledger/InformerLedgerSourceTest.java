package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.gpuslicer.extender.Extender;
import io.gpuslicer.extender.core.ExtenderMetrics;
import io.gpuslicer.extender.wire.ExtenderArgs;
import io.gpuslicer.extender.wire.ExtenderFilterResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.function.BooleanSupplier;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The ledger fed by informers from fabric8's mock API server (CRUD mode): cluster changes reach the next decision. */
class InformerLedgerSourceTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private KubernetesMockServer server;
    private KubernetesClient client;
    private InformerLedgerSource source;
    private Extender extender;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        client.nodes().resource(sharedNodeObject("research-1", "a100-research", 3)).create();
        client.nodes().resource(migNodeObject("mig-1", "3g.40gb")).create();
        for (Pod p : sharers("research-1", "research", 5)) {
            client.pods().inNamespace("default").resource(p).create();
        }
        source = InformerLedgerSource.start(client, POLICY);
        extender = new Extender(source, ExtenderMetrics.NOOP);
        eventually("informers sync", () -> source.notReadyReason() == null);
    }

    @AfterEach
    void stop() {
        // The mock server first: when a client closes a watch, the mock's WatchEventsListener.onClosed can
        // block its event loop (awaitTermination on its sender), and the next shutdown then times out.
        // Shutting the server down under open watches does not hit that path.
        stopServer();
        source.close();
        client.close();
    }

    private boolean serverStopped;

    /** Stops the mock API server once; a test that closes a source of its own stops it first, for the reason above. */
    private void stopServer() {
        if (!serverStopped) {
            serverStopped = true;
            server.destroy();
        }
    }

    @Test
    void aClientThatStreamsPodEventsIsUsedAsItIsAndLeftOpenForItsOwner() throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        KubernetesClient shared = StreamedPodEvents.builder().withConfig(client.getConfiguration())
                .withHttpClientFactory(new io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory(vertx)).build();
        try {
            InformerLedgerSource own = InformerLedgerSource.start(shared, POLICY);
            eventually("the shared client's informers sync", () -> own.notReadyReason() == null);
            eventually("its ledger counts the listed pods", () -> own.snapshot().node("research-1").usage().gpuUnits() == 5);
            stopServer();
            own.close();

            // Asked of the client, not of the mock server: the mock's watch-close path can hold one of its event
            // loops for up to a minute (WatchEventsListener.onClosed awaits its sender), and a request landing there
            // timed out in CI whatever the source had done to the client.
            assertThat(shared.getHttpClient().isClosed()).as("the owner's client is still open after the source closed").isFalse();
        } finally {
            shared.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void informersOnAClientOfTheirOwnThatHandlesEventsWhereItReadsThemFeedTheLedger() {
        // As the extender runs it: Bindings and patches on one client, the informers on another whose task executor is
        // the thread that read the event (no hand-off to a pool per watch event).
        KubernetesClient informers = StreamedPodEvents.builder().withConfig(client.getConfiguration()).withTaskExecutor(Runnable::run).build();
        try {
            InformerLedgerSource own = InformerLedgerSource.start(client, informers, POLICY, java.time.Clock.systemUTC(), false, store -> null);
            eventually("its informers sync", () -> own.notReadyReason() == null);
            eventually("its ledger counts the listed pods", () -> own.snapshot().node("research-1").usage().gpuUnits() == 5);

            client.pods().inNamespace("default").resource(boundTo(gpuPod("sixth", "research", 1), "research-1")).create();
            eventually("a pod bound since is counted", () -> own.snapshot().node("research-1").usage().gpuUnits() == 6);
            stopServer();
            own.close();

            assertThat(informers.getHttpClient().isClosed()).as("the informers' client is its owner's to close").isFalse();
        } finally {
            informers.close();
        }
    }

    @Test
    void theInformersListInPagesAsClientGoDoes() throws InterruptedException {
        List<String> lists = new java.util.ArrayList<>();
        for (int i = server.getRequestCount(); i > 0; i--) {
            var request = server.takeRequest(1, java.util.concurrent.TimeUnit.SECONDS);
            if (request != null && request.getMethod().equals("GET") && !request.getPath().contains("watch=true")) {
                lists.add(request.getPath());
            }
        }
        assertThat(lists).as("the first lists of nodes and pods")
                .anyMatch(path -> path.startsWith("/api/v1/nodes?") && path.contains("limit=" + InformerLedgerSource.LIST_PAGE))
                .anyMatch(path -> path.startsWith("/api/v1/pods?") && path.contains("limit=" + InformerLedgerSource.LIST_PAGE));
    }

    @Test
    void theLedgerReflectsTheListedNodesAndPods() {
        eventually("the five running pods are counted", () -> used("research-1") == 5);
        assertThat(source.snapshot().node("mig-1").inventory().kind()).isEqualTo(GpuKind.MIG_SINGLE);
        assertThat(filter(gpuPod("new", "research", 1), "research-1").nodeNames()).containsExactly("research-1");
    }

    @Test
    void aPodBoundToTheNodeFillsItAndDeletingItFreesItAgain() {
        Pod sixth = boundTo(gpuPod("sixth", "research", 1), "research-1");
        client.pods().inNamespace("default").resource(sixth).create();
        eventually("the sixth pod is counted", () -> used("research-1") == 6);
        ExtenderFilterResult full = filter(gpuPod("new", "research", 1), "research-1");
        assertThat(full.failedNodes().get("research-1")).contains("no free time-slice replica");

        client.pods().inNamespace("default").withName("sixth").delete();
        eventually("the deleted pod is released", () -> used("research-1") == 5);
        assertThat(filter(gpuPod("new", "research", 1), "research-1").nodeNames()).containsExactly("research-1");
    }

    @Test
    void aPodThatSucceedsReleasesItsReplica() {
        Pod first = client.pods().inNamespace("default").withName("research-1-research-0").get();
        first.getStatus().setPhase("Succeeded");
        client.pods().inNamespace("default").resource(first).updateStatus();
        eventually("the finished pod is released", () -> used("research-1") == 4);
    }

    @Test
    void aNodeStartingAMigReconfigurationIsRefusedUntilItSettles() {
        Node node = client.nodes().withName("mig-1").get();
        node.getMetadata().getLabels().put("nvidia.com/mig.config.state", "pending");
        client.nodes().resource(node).update();
        eventually("the label change arrives", () -> "pending".equals(source.snapshot().node("mig-1").inventory().migConfigState()));
        assertThat(filter(migPod("p", "production-inference", "3g.40gb"), "mig-1").failedNodes().get("mig-1"))
                .contains("being reconfigured").contains("pending");
    }

    @Test
    void aDeletedNodeIsUnknownToTheNextDecision() {
        client.nodes().withName("mig-1").delete();
        eventually("the node disappears", () -> source.snapshot().node("mig-1") == null);
        assertThat(filter(migPod("p", "production-inference", "3g.40gb"), "mig-1").failedAndUnresolvableNodes().get("mig-1"))
                .contains("unknown to the gpu-slicer ledger");
    }

    private int used(String node) {
        NodeState state = source.snapshot().node(node);
        return state == null ? -1 : state.usage().gpuUnits();
    }

    private ExtenderFilterResult filter(Pod pod, String... nodes) {
        return extender.filter(ExtenderArgs.ofNames(pod, List.of(nodes)));
    }

    /** Polls a condition with a generous deadline: informer events are asynchronous, and the machine may be loaded. */
    static void eventually(String what, BooleanSupplier condition) {
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
