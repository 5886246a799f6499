package io.gpuslicer.extender.observe;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.ledger.InformerLedgerSource;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet metrics and placement Events, fed by the extender's own pod informer from fabric8's mock API
 * server (CRUD mode): a pod created pending, then bound, as kube-scheduler would do it.
 */
class FleetObserverTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String NS = "default";

    private KubernetesMockServer server;
    private KubernetesClient client;
    private InformerLedgerSource source;
    private PrometheusMeterRegistry registry;
    private FleetObserver observer;
    /** The informer's clock: the mock API server stamps creationTimestamp itself, so tests move "now" relative to it. */
    private final SettableClock clock = new SettableClock();
    private PlacementEvents events;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        client.nodes().resource(sharedNodeObject("research-1", "a100-research", 3)).create();
        client.nodes().resource(sharedNodeObject("dev-1", "a100-development", 3)).create();
        client.nodes().resource(mixedMigNodeObject("mig-3g-1", "3g.40gb")).create();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Clock clock = this.clock;
        FleetMetrics metrics = new FleetMetrics(registry, POLICY, clock);
        events = new PlacementEvents(client, Framework.DEFAULT, metrics, "gpu-slicer-extender", clock);
        source = InformerLedgerSource.start(client, POLICY, store -> observer = new FleetObserver(store, metrics, events, clock));
        eventually("informers sync", () -> source.notReadyReason() == null);
    }

    @AfterEach
    void stop() {
        server.destroy();
        events.close();
        source.close();
        client.close();
    }

    @Test
    void aPendingPodRaisesTheGaugeAndItsBindingLowersItAndCountsItsWait() {
        Pod created = create(gpuPod("train-me", "research", 1));
        eventually("the pending pod is counted", () -> pending("research", "a100-research") == 1);
        clock.now = Instant.parse(created.getMetadata().getCreationTimestamp()).plusSeconds(90);
        assertThat(oldest("research", "a100-research")).isEqualTo(90.0);

        bind("train-me", "research-1");
        Timer wait = registry.get("gpuslicer.extender.pod.scheduling.wait").tag("workload_type", "research").timer();
        // The informer's thread lowers the gauge, counts the placement, then records the wait; Micrometer's
        // Prometheus timer writes its count before its histogram. Wait for the last write, the bucket, so
        // the assertions below read a finished binding.
        eventually("the binding is seen and its wait recorded",
                () -> pending("research", "a100-research") == 0 && bucket(wait, 120) == 1);
        assertThat(oldest("research", "a100-research")).isZero();
        assertThat(wait.count()).isEqualTo(1);
        assertThat(wait.totalTime(TimeUnit.SECONDS)).isEqualTo(90.0);
        assertThat(bucket(wait, 60)).isZero();
        assertThat(bucket(wait, 120)).isEqualTo(1);
        assertThat(placements("a100-research", false)).isEqualTo(1);
        assertThat(placements("a100-research", true)).isZero();
    }

    @Test
    void aPodAlreadyBoundWhenFirstSeenIsNoPlacementOfOurs() {
        create(boundTo(gpuPod("old", "research", 1), "research-1"));
        eventually("the ledger counts it", () -> source.snapshot().node("research-1").usage().podCount() == 1);
        assertThat(registry.get("gpuslicer.extender.pod.scheduling.wait").tag("workload_type", "research").timer().count()).isZero();
        assertThat(placements("a100-research", false)).isZero();
    }

    @Test
    void aFallbackPlacementIsCountedAsOneAndItsEventSaysWhyThePreferredPoolWasRefused() {
        for (Pod p : sharers("research-1", "research", 6)) {
            create(p);
        }
        eventually("the preferred pool fills", () -> source.snapshot().node("research-1").usage().gpuUnits() == 6);
        Pod late = create(gpuPod("late", "research", 1));
        eventually("the pending pod is counted", () -> pending("research", "a100-research") == 1);

        bind("late", "dev-1");
        eventually("the fallback placement is counted", () -> placements("a100-development", true) == 1);
        assertThat(pending("research", "a100-research")).isZero();
        Event event = eventually("the placement Event is written", () -> eventsOf("late"), 1).get(0);
        assertThat(event.getType()).isEqualTo("Normal");
        assertThat(event.getReason()).isEqualTo(PlacementEvents.REASON);
        assertThat(event.getInvolvedObject().getUid()).isEqualTo(late.getMetadata().getUid());
        assertThat(event.getMessage()).isEqualTo("a100-research full: 6/6 replicas; placed on the fallback pool a100-development "
                + "(node dev-1); 1 pod per GPU, expected throughput share 1.00");
    }

    @Test
    void aPodNominatedByPreemptionAndAVictimAreEachCountedOnce() {
        Pod victim = create(boundTo(gpuPod("victim", "research", 1), "research-1"));
        create(gpuPod("preemptor", "training", 1));
        eventually("the preemptor is pending", () -> pending("training", "a100-training") == 1);

        Pod nominated = client.pods().inNamespace(NS).withName("preemptor").get();
        nominated.getStatus().setNominatedNodeName("research-1");
        client.pods().inNamespace(NS).resource(nominated).updateStatus();
        Pod marked = new PodBuilder(client.pods().inNamespace(NS).withName("victim").get()).editStatus()
                .addToConditions(new PodConditionBuilder().withType("DisruptionTarget").withStatus("True")
                        .withReason("PreemptionByScheduler").withMessage("gpu-slicer-scheduler: preempting").build())
                .endStatus().build();
        client.pods().inNamespace(NS).resource(marked).updateStatus();
        eventually("the preemption is counted", () -> counter("gpuslicer.extender.preemptions", "training") == 1);
        eventually("the victim is counted", () -> counter("gpuslicer.extender.preemption.victims", "research") == 1);

        // Further updates of the same pods (status churn) count nothing more.
        nominated = client.pods().inNamespace(NS).withName("preemptor").get();
        nominated.getStatus().setMessage("still waiting");
        client.pods().inNamespace(NS).resource(nominated).updateStatus();
        client.pods().inNamespace(NS).withName("victim").delete();
        String victimUid = victim.getMetadata().getUid();
        eventually("the victim's deletion is seen", () -> source.snapshot().node("research-1").usage().pod(victimUid) == null);
        assertThat(counter("gpuslicer.extender.preemptions", "training")).isEqualTo(1);
        assertThat(counter("gpuslicer.extender.preemption.victims", "research")).isEqualTo(1);
    }

    @Test
    void aDeletedPendingPodLeavesTheGauge() {
        create(mixedMigPod("serve", "production-inference", "3g.40gb"));
        eventually("the pending MIG pod is counted", () -> pending("production-inference", "mig-3g40gb") == 1);
        client.pods().inNamespace(NS).withName("serve").delete();
        eventually("the deletion is seen", () -> pending("production-inference", "mig-3g40gb") == 0);
        assertThat(observer.pendingCount()).isZero();
    }

    // ---- helpers ---------------------------------------------------------------------------

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({
            "a pod this replica's bind verb bound is explained here, true, true, 1",
            "a pod another replica's bind verb bound is explained by that replica only, true, false, 0",
            "a pod bound without a bind verb is explained by every replica that sees it, false, false, 1"})
    void theReplicaThatBoundAPodExplainsIt(String sentence, boolean carriesItsPool, boolean reservedHere, int events) {
        Pod pod = create(gpuPod("placed", "research", 1));
        eventually("the pending pod is counted", () -> pending("research", "a100-research") == 1);
        if (reservedHere) {
            source.store().reserve(pod, "research-1", Duration.ofSeconds(10));
        }
        Pod bound = boundTo(client.pods().inNamespace(NS).withName("placed").get(), "research-1");
        if (carriesItsPool) {
            bound.getMetadata().getAnnotations().put("gpuslicer.io/pool", "a100-research");
        }
        client.pods().inNamespace(NS).resource(bound).update();
        // A pod bound after it, explained on every replica: when its Event is there, the first pod's turn has passed.
        create(gpuPod("sentinel", "research", 1));
        eventually("the sentinel is pending", () -> pending("research", "a100-research") == 1);
        bind("sentinel", "research-1");
        eventually("the sentinel's Event", () -> eventsOf("sentinel"), 1);

        assertThat(placements("a100-research", false)).as("counted on every replica").isEqualTo(2);
        assertThat(eventsOf("placed")).hasSize(events);
        assertThat(source.store().takeReservedHere(pod.getMetadata().getUid())).as("taken by the observer").isFalse();
    }

    private Pod create(Pod pod) {
        return client.pods().inNamespace(NS).resource(pod).create();
    }

    /** What kube-scheduler's Binding does to the pod object: spec.nodeName set. */
    private void bind(String pod, String node) {
        Pod p = client.pods().inNamespace(NS).withName(pod).get();
        client.pods().inNamespace(NS).resource(boundTo(p, node)).update();
    }

    static final class SettableClock extends Clock {
        volatile Instant now = Instant.now();

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private double pending(String type, String pool) {
        return registry.get("gpuslicer.extender.pending.pods").tag("workload_type", type).tag("pool", pool).gauge().value();
    }

    private double oldest(String type, String pool) {
        return registry.get("gpuslicer.extender.pending.oldest").tag("workload_type", type).tag("pool", pool)
                .tag("mode", "time-slicing").gauge().value();
    }

    private double placements(String pool, boolean fallback) {
        return registry.get("gpuslicer.extender.placements").tag("pool", pool).tag("fallback", String.valueOf(fallback)).counter().count();
    }

    private double counter(String name, String type) {
        return registry.get(name).tag("workload_type", type).counter().count();
    }

    private static double bucket(Timer timer, int seconds) {
        for (CountAtBucket b : timer.takeSnapshot().histogramCounts()) {
            if (b.bucket(TimeUnit.SECONDS) == seconds) {
                return b.count();
            }
        }
        throw new AssertionError("no bucket at " + seconds + " s");
    }

    private List<Event> eventsOf(String pod) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName())).toList();
    }

    private static <T> List<T> eventually(String what, java.util.function.Supplier<List<T>> list, int size) {
        eventually(what, () -> list.get().size() == size);
        return list.get();
    }

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
