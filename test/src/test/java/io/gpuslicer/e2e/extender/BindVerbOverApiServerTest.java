package io.gpuslicer.e2e.extender;

import io.gpuslicer.bench.extender.BindingCrudDispatcher;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.gpuslicer.extender.ExtenderConfig;
import io.gpuslicer.extender.ExtenderServer;
import io.gpuslicer.extender.driver.BindVerbCall;
import io.gpuslicer.extender.driver.SchedulerDriver;
import io.gpuslicer.extender.ledger.ExtenderClients;
import io.gpuslicer.extender.ledger.InformerLedgerSource;
import io.gpuslicer.extender.observe.ObservedLedger;
import io.gpuslicer.extender.observe.PlacementEvents;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import io.gpuslicer.server.EventLoops;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The extender as kube-scheduler's binder, over HTTP, with its ledger fed by informers on fabric8's mock
 * API server (CRUD mode plus the pods/binding subresource): bindings are created through the API, the
 * reservation ends when the informer shows the pod bound; and how long a MIG pod waits after an instance
 * of its profile frees, with and without the requeue nudge.
 */
class BindVerbOverApiServerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Policy POLICY = PolicyLoader.defaultPolicy();
    private static final String NS = "team";

    private final ClusterBuilder cluster = new ClusterBuilder(POLICY);
    private BindingCrudDispatcher dispatcher;
    private KubernetesMockServer server;
    private KubernetesClient client;
    private InformerLedgerSource ledger;
    private ExtenderClients clients;
    private ObservedLedger observed;
    private Vertx vertx;
    private HttpClient http;
    private ExtenderServer extender;
    private SchedulerDriver scheduler;
    private SharedIndexInformer<Pod> schedulerInformer;

    private void start(boolean nudge) throws Exception {
        start(nudge, false);
    }

    /** @param asTheCommand the clients as {@code gpu-slicer extender} wires them ({@link ExtenderClients}), else one plain client */
    private void start(boolean nudge, boolean asTheCommand) throws Exception {
        start(nudge, asTheCommand, PlacementEvents.Scope.ALL);
    }

    private void start(boolean nudge, boolean asTheCommand, PlacementEvents.Scope events) throws Exception {
        dispatcher = new BindingCrudDispatcher();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        client = server.createClient();
        client.nodes().resource(cluster.sharedNode("research-1", "a100-research", 2, 3)).create();
        client.nodes().resource(cluster.migNode("mig3g-1", "mig-3g40gb", 1)).create();
        if (asTheCommand) {
            vertx = EventLoops.vertx(1);
            clients = ExtenderClients.connect(client.getConfiguration(), vertx);
            observed = ObservedLedger.start(clients.api(), clients.informers(), POLICY, new SimpleMeterRegistry(), events,
                    "gpu-slicer-extender", Clock.systemUTC(), nudge);
            ledger = observed.source();
        } else {
            ledger = InformerLedgerSource.start(client, POLICY, Clock.systemUTC(), nudge);
            vertx = Vertx.vertx();
        }
        eventually("informers sync", () -> ledger.notReadyReason() == null);
        http = vertx.createHttpClient();
        extender = await(ExtenderServer.start(vertx, new ExtenderConfig("127.0.0.1", 0, ExtenderConfig.DEFAULT_PREFIX,
                ExtenderConfig.DEFAULT_BODY_LIMIT, null, null), ledger));
        scheduler = new SchedulerDriver(http, "127.0.0.1", extender.actualPort(), ExtenderConfig.DEFAULT_PREFIX,
                new BindVerbCall(http, "127.0.0.1", extender.actualPort(), ExtenderConfig.DEFAULT_PREFIX));
    }

    @AfterEach
    void stop() throws Exception {
        // The mock server first (see InformerLedgerSourceTest: closing watches first can stall its event loop).
        if (server != null) {
            server.destroy();
        }
        if (schedulerInformer != null) {
            schedulerInformer.close();
        }
        if (observed != null) {
            observed.close();
        } else if (ledger != null) {
            ledger.close();
        }
        if (extender != null) {
            await(extender.close());
        }
        if (clients != null) {
            clients.close();
        }
        if (vertx != null) {
            await(vertx.close());
        }
        if (client != null) {
            client.close();
        }
    }

    @Test
    void podsAreBoundThroughTheApiServerAndTheirReservationsEndWhenTheInformerShowsThem() throws Exception {
        start(false);
        bindSixThenRefuseTheSeventh();
    }

    @Test
    void theSameHoldsWithTheClientsAsTheExtenderCommandWiresThem() throws Exception {
        // Bindings on the server's one event loop; informers on their own Vert.x, handling events where they read them,
        // and writing each placement's Event from there.
        start(false, true);
        bindSixThenRefuseTheSeventh();
        eventually("an Event for each placement", () -> client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "PlacedOnGpuPool".equals(e.getReason())).count() == 6);
    }

    @Test
    void eachBoundPodCarriesItsPoolAndWithEventsForFallbacksOnlyTheOneThatFellBackGetsAnEvent() throws Exception {
        start(false, true, PlacementEvents.Scope.FALLBACKS);
        client.nodes().resource(cluster.sharedNode("dev-1", "a100-development", 2, 3)).create();
        eventually("the ledger knows dev-1", () -> ledger.snapshot().node("dev-1") != null);

        Pod preferred = create(cluster.pod("r-0", "research", Map.of()));
        assertThat(await(scheduler.schedule(preferred, List.of("research-1"))).node()).isEqualTo("research-1");
        Pod fellBack = create(cluster.pod("r-1", "research", Map.of()));
        assertThat(await(scheduler.schedule(fellBack, List.of("dev-1"))).node()).isEqualTo("dev-1");

        assertThat(client.pods().inNamespace(NS).withName("r-0").get().getMetadata().getAnnotations())
                .containsEntry("gpuslicer.io/pool", "a100-research");
        assertThat(client.pods().inNamespace(NS).withName("r-1").get().getMetadata().getAnnotations())
                .containsEntry("gpuslicer.io/pool", "a100-development");
        eventually("an Event for the fallback", () -> !placementEvents().isEmpty());
        eventually("the informer confirms both bindings", () -> ledger.store().reservationCount() == 0
                && ledger.snapshot().node("dev-1").usage().bound().size() == 1);
        observed.events().close();
        assertThat(placementEvents()).extracting(e -> e.getInvolvedObject().getName()).containsExactly("r-1");
    }

    private List<io.fabric8.kubernetes.api.model.Event> placementEvents() {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> PlacementEvents.REASON.equals(e.getReason())).toList();
    }

    private void bindSixThenRefuseTheSeventh() throws Exception {
        // research-1: 2 GPUs x 3 replicas; the policy's cap of 4 sharers per GPU does not bind first.
        for (int i = 0; i < 6; i++) {
            Pod pod = create(cluster.pod("r-" + i, "research", Map.of()));
            SchedulerDriver.Outcome o = await(scheduler.schedule(pod, List.of("research-1")));
            assertThat(o.node()).isEqualTo("research-1");
            assertThat(client.pods().inNamespace(NS).withName("r-" + i).get().getSpec().getNodeName()).isEqualTo("research-1");
        }
        assertThat(dispatcher.bindings.get()).isEqualTo(6);
        eventually("the informer confirms every binding", () -> ledger.store().reservationCount() == 0);
        assertThat(ledger.snapshot().node("research-1").usage().bound()).hasSize(6);

        // A bind for a node the pod no longer fits fails, nothing is created, and nothing stays reserved.
        Pod late = create(cluster.pod("r-late", "research", Map.of()));
        Throwable refused = awaitFailure(new BindVerbCall(http, "127.0.0.1", extender.actualPort(), ExtenderConfig.DEFAULT_PREFIX)
                .bind(late, "research-1"));
        assertThat(refused).hasMessageContaining("no longer fits").hasMessageContaining("no free time-slice replica");
        assertThat(client.pods().inNamespace(NS).withName("r-late").get().getSpec().getNodeName()).isNull();
        assertThat(dispatcher.bindings.get()).isEqualTo(6);
        assertThat(ledger.store().reservationCount()).isZero();
    }

    @Test
    void aBindWaitingForASlowApiServerHoldsUpNoFilterAndCompletesWhenItAnswers() throws Exception {
        start(false);
        dispatcher.bindingDelayMillis = 2_000;
        Pod slow = create(cluster.pod("slow", "research", Map.of()));
        Pod next = create(cluster.pod("next", "research", Map.of()));
        long t0 = System.nanoTime();
        Future<Void> binding = new BindVerbCall(http, "127.0.0.1", extender.actualPort(), ExtenderConfig.DEFAULT_PREFIX)
                .bind(slow, "research-1");
        // kube-scheduler goes on with the next pod while the first one's binding is in flight (its binding cycle is
        // asynchronous): filter and prioritize are answered at once, and see the first pod reserved on the node.
        SchedulerDriver decideOnly = new SchedulerDriver(http, "127.0.0.1", extender.actualPort(), ExtenderConfig.DEFAULT_PREFIX,
                (pod, node) -> Future.succeededFuture());
        eventually("the first pod is reserved", () -> ledger.store().reservationCount() == 1);
        for (int i = 0; i < 10; i++) {
            assertThat(await(decideOnly.schedule(next, List.of("research-1"))).node()).isEqualTo("research-1");
        }
        long decidedAfterMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(binding.isComplete()).as("the binding is still waiting for the API server").isFalse();
        assertThat(decidedAfterMillis).as("ten filter + prioritize cycles during the slow binding").isLessThan(1_500);
        assertThat(ledger.snapshot().node("research-1").usage().pods()).as("the pod counts while its binding is in flight")
                .anyMatch(p -> p.uid().equals(slow.getMetadata().getUid()));

        await(binding);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("answered when the API server answered").isGreaterThanOrEqualTo(2_000);
        assertThat(client.pods().inNamespace(NS).withName("slow").get().getSpec().getNodeName()).isEqualTo("research-1");
    }

    @Test
    void aMigPodWaitingForAnInstanceIsRetriedWithinSecondsOfItFreeingWhenNudged() throws Exception {
        long waited = measureMigRequeue(true, Duration.ofSeconds(30));
        System.out.printf("requeue: nudge on, pre-122022 queue model: MIG pod bound %d ms after its instance freed%n", waited);
        assertThat(waited).isLessThan(5_000);
    }

    @Test
    void withoutTheNudgeAPreFixSchedulerLeavesTheMigPodInItsUnschedulablePool() throws Exception {
        long waited = measureMigRequeue(false, Duration.ofSeconds(3));
        System.out.println("requeue: nudge off, pre-122022 queue model: MIG pod still pending 3 s after its instance freed"
                + " (kube-scheduler's flush moves it after 5 min)");
        assertThat(waited).isEqualTo(-1);
    }

    /**
     * A MIG pod refused because both instances of its profile are held; one holder is deleted. kube-scheduler's
     * queue is modelled as scheduling_queue.go treats a pod the extender refused while NodeAffinity refused
     * the other nodes, before kubernetes#122022: it leaves unschedulablePods only on an update of the pod itself
     * ({@code isPodUpdated}: anything but status and resourceVersion) or after the 5-minute flush; it then waits
     * out its backoff (1 s after its first attempt). Returns the milliseconds from the deletion to the binding,
     * or -1 when the pod was not retried within {@code limit}.
     */
    private long measureMigRequeue(boolean nudge, Duration limit) throws Exception {
        start(nudge);
        for (int i = 0; i < 2; i++) {
            create(new PodBuilder(cluster.pod("holder-" + i, "production-inference", Map.of())).editSpec().withNodeName("mig3g-1")
                    .endSpec().editStatus().withPhase("Running").endStatus().build());
        }
        eventually("both holders are counted", () -> ledger.snapshot().node("mig3g-1").usage().bound().size() == 2);
        Pod waiting = create(cluster.pod("serve", "production-inference", Map.of()));
        LinkedBlockingQueue<Long> requeued = new LinkedBlockingQueue<>();
        schedulerInformer = client.pods().inNamespace(NS).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                if ("serve".equals(pod.getMetadata().getName()) && isPodUpdated(old, pod)) {
                    requeued.add(System.nanoTime());
                }
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
            }
        });

        SchedulerDriver.Outcome first = await(scheduler.schedule(waiting, List.of("mig3g-1")));
        long firstAttempt = System.nanoTime();
        assertThat(first.pending()).isTrue();
        assertThat(first.failedNodes().get("mig3g-1")).contains("no free MIG instance");

        long freed = System.nanoTime();
        client.pods().inNamespace(NS).withName("holder-0").delete();
        Long event = requeued.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            return -1;
        }
        System.out.printf("requeue: the pending pod's own update reached the scheduler's informer %d ms after the instance freed%n",
                TimeUnit.NANOSECONDS.toMillis(event - freed));
        long backoffEnds = firstAttempt + TimeUnit.SECONDS.toNanos(1);
        long wait = backoffEnds - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        SchedulerDriver.Outcome second = await(scheduler.schedule(client.pods().inNamespace(NS).withName("serve").get(), List.of("mig3g-1")));
        assertThat(second.node()).as("retried after the instance freed: %s", second.failedNodes()).isEqualTo("mig3g-1");
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - freed);
    }

    /** kube-scheduler's isPodUpdated (scheduling_queue.go): an update that is not only status or resourceVersion. */
    private static boolean isPodUpdated(Pod old, Pod pod) {
        return !Objects.equals(strip(old), strip(pod));
    }

    private static Pod strip(Pod pod) {
        return new PodBuilder(pod).withStatus(null).editMetadata().withResourceVersion(null).withManagedFields()
                .withGeneration(null).endMetadata().build();
    }

    /** Created in the API server, and seen by the extender's informer (as kube-scheduler's own informer would have it). */
    private Pod create(Pod pod) {
        Pod created = client.pods().inNamespace(NS).resource(pod).create();
        eventually("the extender sees " + pod.getMetadata().getName(),
                () -> ledger.pod(NS, pod.getMetadata().getName()) != null);
        return created;
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    private static Throwable awaitFailure(Future<?> future) throws Exception {
        try {
            await(future);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the call to fail");
    }

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
                throw new AssertionError("interrupted");
            }
        }
    }
}
