package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Point 8 of issue 7: a reservation follows kube-scheduler's assumed-pod state machine
 * (pkg/scheduler/backend/cache/interface.go): Initial → Assumed → Added / Forgotten / Expired.
 * Each row reserves pod "p" on node "n" (TTL 10 s), then applies one transition.
 */
class ReservationLifecycleTest {
    private static final Duration TTL = Duration.ofSeconds(10);

    /** A clock the rows move by hand. */
    static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

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

    static final Pod P = gpuPod("p", "research", 1);

    static Stream<Arguments> transitions() {
        return Stream.<Arguments>of(
                arguments("a reserved pod counts on its node at once (Assumed)",
                        (BiConsumer<LedgerStore, ManualClock>) (s, c) -> { }, 1, 0, true),
                arguments("the informer showing the pod bound there ends the reservation and keeps the count (Added)",
                        (BiConsumer<LedgerStore, ManualClock>) (s, c) -> s.upsertPod(boundTo(P, "n")), 1, 0, false),
                arguments("the informer showing the pod bound elsewhere moves the count there",
                        (BiConsumer<LedgerStore, ManualClock>) (s, c) -> s.upsertPod(boundTo(P, "m")), 0, 1, false),
                arguments("a failed binding forgets the reservation (Forgotten)",
                        (BiConsumer<LedgerStore, ManualClock>) (s, c) -> s.forget("uid-p"), 0, 0, false),
                arguments("a reservation the informer never confirms expires after its TTL (Expired)",
                        (BiConsumer<LedgerStore, ManualClock>) (s, c) -> c.advance(TTL.plusMillis(1)), 0, 0, false),
                arguments("a reservation still counts before its TTL",
                        (BiConsumer<LedgerStore, ManualClock>) (s, c) -> c.advance(TTL.minusSeconds(1)), 1, 0, true),
                arguments("a pod deleted while its binding is in flight drops the reservation",
                        (BiConsumer<LedgerStore, ManualClock>) (s, c) -> s.removePod("uid-p"), 0, 0, false),
                arguments("a pod that finishes while its binding is in flight drops the reservation",
                        (BiConsumer<LedgerStore, ManualClock>) (s, c) -> s.upsertPod(new PodBuilder(P).editStatus().withPhase("Failed").endStatus().build()), 0, 0, false),
                arguments("an update that does not bind the pod keeps the reservation",
                        (BiConsumer<LedgerStore, ManualClock>) (s, c) -> s.upsertPod(new PodBuilder(P).editMetadata().addToAnnotations("x", "y").endMetadata().build()), 1, 0, true),
                arguments("a reserved pod that was nominated counts once, as reserved",
                        (BiConsumer<LedgerStore, ManualClock>) (s, c) -> s.upsertPod(new PodBuilder(P).editStatus().withNominatedNodeName("n").endStatus().build()), 1, 0, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void transitions(String sentence, BiConsumer<LedgerStore, ManualClock> then, int onN, int onM, boolean reserved) {
        ManualClock clock = new ManualClock();
        LedgerStore store = new LedgerStore(POLICY, clock);
        store.upsertNode(sharedNodeObject("n", "a100-research", 3));
        store.upsertNode(sharedNodeObject("m", "a100-research", 3));
        store.upsertPod(P);
        store.reserve(P, "n", TTL);
        then.accept(store, clock);
        LedgerSnapshot snap = store.snapshot();
        assertThat(snap.node("n").usage().gpuUnits()).isEqualTo(onN);
        assertThat(snap.node("m").usage().gpuUnits()).isEqualTo(onM);
        assertThat(store.reservation("uid-p") != null).isEqualTo(reserved);
        assertThat(snap.node("n").usage().nominated()).isEmpty();
        assertThat(snap.node("n").usage().bound()).as("a reservation is never a preemption victim")
                .extracting(PodUsage::uid).containsExactlyElementsOf(reserved || onN == 0 ? java.util.List.of() : java.util.List.of("uid-p"));
    }

    static Stream<Arguments> reservedHere() {
        return Stream.<Arguments>of(
                arguments("a pod reserved here is this replica's to explain", (BiConsumer<LedgerStore, ManualClock>) (s, c) -> { }, true),
                arguments("it still is once the informer shows it bound", (BiConsumer<LedgerStore, ManualClock>) (s, c) -> s.upsertPod(boundTo(P, "n")), true),
                arguments("it still is after its reservation expired (a late informer)",
                        (BiConsumer<LedgerStore, ManualClock>) (s, c) -> c.advance(TTL.plusMillis(1)), true),
                arguments("a failed binding is not", (BiConsumer<LedgerStore, ManualClock>) (s, c) -> s.forget("uid-p"), false),
                arguments("a deleted pod is not", (BiConsumer<LedgerStore, ManualClock>) (s, c) -> s.removePod("uid-p"), false),
                arguments("a finished pod is not", (BiConsumer<LedgerStore, ManualClock>) (s, c) -> s.upsertPod(
                        new PodBuilder(P).editStatus().withPhase("Failed").endStatus().build()), false),
                arguments("a ledger-only binding (snapshot source, simulator) is not: no informer will show it",
                        (BiConsumer<LedgerStore, ManualClock>) (s, c) -> s.confirm("uid-p", "n"), false),
                arguments("a pod taken once is not taken again", (BiConsumer<LedgerStore, ManualClock>) (s, c) -> s.takeReservedHere("uid-p"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void reservedHere(String sentence, BiConsumer<LedgerStore, ManualClock> then, boolean taken) {
        ManualClock clock = new ManualClock();
        LedgerStore store = new LedgerStore(POLICY, clock);
        store.upsertNode(sharedNodeObject("n", "a100-research", 3));
        store.upsertPod(P);
        store.reserve(P, "n", TTL);
        then.accept(store, clock);
        store.expireDue();
        assertThat(store.takeReservedHere("uid-p")).isEqualTo(taken);
        assertThat(store.takeReservedHere("uid-p")).as("taken at most once").isFalse();
    }

    @org.junit.jupiter.api.Test
    void aPodTheInformerAloneShowsIsNotReservedHere() {
        LedgerStore store = new LedgerStore(POLICY);
        store.upsertNode(sharedNodeObject("n", "a100-research", 3));
        store.upsertPod(P);
        store.upsertPod(boundTo(P, "n"));
        assertThat(store.takeReservedHere("uid-p")).isFalse();
    }
}
