package io.gpuslicer.extender.observe;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.LedgerStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;

import static io.gpuslicer.extender.Fixtures.*;
import static io.gpuslicer.extender.observe.FleetObserverTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** Placement Events written to fabric8's mock API server (CRUD): one object per pod and message, repeats counted on it. */
class PlacementEventsTest {
    private KubernetesMockServer server;
    private KubernetesClient client;
    private PlacementEvents events;
    private SimpleMeterRegistry registry;
    private LedgerSnapshot snapshot;
    private final Pod pod = boundTo(gpuPod("train-0", "research", 1), "research-1");

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        registry = new SimpleMeterRegistry();
        events = new PlacementEvents(client, Framework.DEFAULT, new FleetMetrics(registry, POLICY, java.time.Clock.systemUTC()), "gpu-slicer-extender",
                new FleetObserverTest.SettableClock());
        LedgerStore store = new LedgerStore(POLICY);
        store.upsertNode(sharedNodeObject("research-1", "a100-research", 3));
        store.upsertPod(pod);
        snapshot = store.snapshot();
    }

    @AfterEach
    void stop() {
        events.close();
        server.destroy();
        client.close();
    }

    @Test
    void theSamePlacementSeenThreeTimesIsOneEventWithCountThree() {
        for (int i = 0; i < 3; i++) {
            events.placed(pod, "research-1", snapshot);
        }
        eventually("three writes", () -> written("created") + written("updated") == 3);
        List<Event> items = client.v1().events().inNamespace("default").list().getItems();
        assertThat(items).hasSize(1);
        Event e = items.get(0);
        assertThat(e.getCount()).isEqualTo(3);
        assertThat(e.getType()).isEqualTo("Normal");
        assertThat(e.getSource().getComponent()).isEqualTo("gpu-slicer-extender");
        assertThat(e.getInvolvedObject().getKind()).isEqualTo("Pod");
        assertThat(e.getInvolvedObject().getName()).isEqualTo("train-0");
        assertThat(e.getMessage()).isEqualTo("placed on the preferred pool a100-research (node research-1); 1 pod per GPU, "
                + "expected throughput share 1.00");
        assertThat(written("created")).isEqualTo(1);
        assertThat(written("updated")).isEqualTo(2);
    }

    @Test
    void anEventDeletedMeanwhileIsCreatedAgain() {
        events.placed(pod, "research-1", snapshot);
        eventually("the first write", () -> written("created") == 1);
        client.v1().events().inNamespace("default").delete();
        eventually("the Event is gone", () -> client.v1().events().inNamespace("default").list().getItems().isEmpty());
        events.placed(pod, "research-1", snapshot);
        eventually("a new Event", () -> written("created") == 2);
        assertThat(client.v1().events().inNamespace("default").list().getItems()).singleElement()
                .satisfies(e -> assertThat(e.getCount()).isEqualTo(1));
    }

    @Test
    void podsThatAreNotOursGetNoEvent() {
        events.placed(boundTo(cpuPod("web"), "research-1"), "research-1", snapshot);
        events.placed(pod, "research-1", snapshot);
        eventually("one write", () -> written("created") == 1);
        assertThat(client.v1().events().inNamespace("default").list().getItems()).hasSize(1);
    }

    @Test
    void forFallbacksOnlyAPodOnItsPreferredPoolGetsNoEventAndOneThatFellBackDoes() {
        PlacementEvents fallbacks = new PlacementEvents(client, Framework.DEFAULT, PlacementEvents.Scope.FALLBACKS,
                new FleetMetrics(registry, POLICY, java.time.Clock.systemUTC()), "gpu-slicer-extender", new FleetObserverTest.SettableClock());
        LedgerStore store = new LedgerStore(POLICY);
        store.upsertNode(sharedNodeObject("research-1", "a100-research", 3));
        store.upsertNode(sharedNodeObject("dev-1", "a100-development", 3));
        Pod fellBack = boundTo(gpuPod("train-1", "research", 1), "dev-1");
        store.upsertPod(pod);
        store.upsertPod(fellBack);

        fallbacks.placed(pod, "research-1", store.snapshot());
        fallbacks.placed(fellBack, "dev-1", store.snapshot());
        fallbacks.placed(pod, "nowhere", store.snapshot());
        fallbacks.close();

        assertThat(client.v1().events().inNamespace("default").list().getItems())
                .extracting(e -> e.getInvolvedObject().getName() + ": " + e.getMessage())
                .containsExactlyInAnyOrder(
                        "train-1: a100-research had room again when the binding was seen; placed on the fallback pool "
                                + "a100-development (node dev-1); 1 pod per GPU, expected throughput share 1.00",
                        "train-0: placed on node nowhere, which the gpu-slicer ledger does not know");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({
            "with Events for all placements a pod on its preferred pool is explained, ALL, research, 0, true",
            "with Events for all placements a fallback is explained, ALL, research, 1, true",
            "for fallbacks only a pod on its preferred pool is not, FALLBACKS, research, 0, false",
            "for fallbacks only a fallback is explained, FALLBACKS, research, 1, true",
            "for fallbacks only a pod outside its pools or on an unknown node is explained, FALLBACKS, research, -1, true",
            "a pod that is not ours is never explained, ALL, none, 0, false",
            "a pod that is not ours is not explained for fallbacks either, FALLBACKS, none, -1, false"})
    void wantsWhatItWouldWrite(String sentence, PlacementEvents.Scope scope, String workloadType, int rank, boolean wants) {
        PlacementEvents scoped = new PlacementEvents(client, Framework.DEFAULT, scope,
                new FleetMetrics(registry, POLICY, java.time.Clock.systemUTC()), "gpu-slicer-extender", new FleetObserverTest.SettableClock());
        Pod asked = workloadType.equals("none") ? cpuPod("web-0") : gpuPod("train-2", workloadType, 1);
        assertThat(scoped.wants(io.gpuslicer.extender.core.PodInfo.of(asked, POLICY), rank)).isEqualTo(wants);
        scoped.close();
    }

    @Test
    void anApiServerThatIsAwayCostsTheEventsNotTheCaller() {
        KubernetesClient away = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
                        .withMasterUrl("http://127.0.0.1:1").withRequestRetryBackoffLimit(0).build()).build();
        SimpleMeterRegistry counted = new SimpleMeterRegistry();
        PlacementEvents unsent = new PlacementEvents(away, Framework.DEFAULT, new FleetMetrics(counted, POLICY, java.time.Clock.systemUTC()),
                "gpu-slicer-extender", new FleetObserverTest.SettableClock());
        try {
            for (int i = 0; i < 3; i++) {
                unsent.placed(boundTo(gpuPod("p-" + i, "research", 1), "research-1"), "research-1", snapshot);
            }
            eventually("three failed writes, counted", () ->
                    counted.get("gpuslicer.extender.placement.events").tag("result", "failed").counter().count() == 3);
        } finally {
            unsent.close();
            away.close();
        }
        events.placed(pod, "research-1", snapshot);
        eventually("the reachable API server gets its Event", () -> written("created") == 1);
    }

    private double written(String result) {
        return registry.get("gpuslicer.extender.placement.events").tag("result", result).counter().count();
    }
}
