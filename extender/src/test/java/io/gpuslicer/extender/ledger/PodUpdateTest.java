package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.function.UnaryOperator;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Most of a running pod's updates are the kubelet's status (conditions, container states, IPs) and change nothing the
 * ledger counts. Such an update must leave the published snapshot and the node's state as they were, so that the next
 * request reuses both and what node states remember (filter verdicts, raw scores); an update that moves what the ledger
 * counts must not.
 */
class PodUpdateTest {
    private static final Duration TTL = Duration.ofSeconds(30);

    enum Before { BOUND, NOMINATED, PENDING, RESERVED }

    enum Update {
        /** The kubelet reports the pod running: conditions, container status, IPs, start time. */
        KUBELET_STATUS(p -> new PodBuilder(p).editStatus().withPhase("Running").withHostIP("10.0.0.7").withPodIP("10.1.2.3")
                .withStartTime("2026-11-28T04:00:00Z")
                .addToConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
                .addToContainerStatuses(new ContainerStatusBuilder().withName("c").withReady(true).withRestartCount(0)
                        .withNewState().withNewRunning().withStartedAt("2026-11-28T04:00:01Z").endRunning().endState().build())
                .endStatus().build()),
        /** A label or an annotation of someone else's (a controller's, kubectl's). */
        FOREIGN_LABEL(p -> new PodBuilder(p).editMetadata().addToLabels("team", "vision").endMetadata().build()),
        /** The pod's CPU request resized in place (InPlacePodVerticalScaling): the ledger counts CPU. */
        CPU_RESIZED(p -> new PodBuilder(p).editSpec().editFirstContainer().editResources()
                .addToRequests("cpu", new Quantity("3")).endResources().endContainer().endSpec().build()),
        /** Preemption nominates it to another node. */
        NOMINATED_ELSEWHERE(p -> new PodBuilder(p).editStatus().withNominatedNodeName("m").endStatus().build()),
        /** The informer shows it bound to n. */
        BOUND_TO_N(p -> boundTo(p, "n")),
        /** It finished. */
        SUCCEEDED(p -> new PodBuilder(p).editStatus().withPhase("Succeeded").endStatus().build());

        final UnaryOperator<Pod> apply;

        Update(UnaryOperator<Pod> apply) {
            this.apply = apply;
        }
    }

    @ParameterizedTest(name = "a {0} pod''s {1} update changes the ledger: {2}")
    @CsvSource({
            "BOUND,     KUBELET_STATUS,      false",
            "BOUND,     FOREIGN_LABEL,       false",
            "BOUND,     CPU_RESIZED,         true",
            "BOUND,     SUCCEEDED,           true",
            "NOMINATED, KUBELET_STATUS,      false",
            "NOMINATED, NOMINATED_ELSEWHERE, true",
            "NOMINATED, BOUND_TO_N,          true",
            "PENDING,   FOREIGN_LABEL,       false",
            "PENDING,   BOUND_TO_N,          true",
            "RESERVED,  BOUND_TO_N,          true",
            "RESERVED,  FOREIGN_LABEL,       false",
    })
    void anUpdateThatMovesNothingTheLedgerCountsKeepsTheSnapshot(Before before, Update update, boolean changes) {
        LedgerStore store = new LedgerStore(POLICY);
        store.upsertNode(sharedNodeObject("n", "a100-research", 3));
        store.upsertNode(sharedNodeObject("m", "a100-research", 3));
        Pod pod = switch (before) {
            case BOUND -> boundTo(gpuPod("p", "research", 1), "n");
            case NOMINATED -> new PodBuilder(gpuPod("p", "research", 1)).editStatus().withNominatedNodeName("n").endStatus().build();
            case PENDING, RESERVED -> gpuPod("p", "research", 1);
        };
        store.upsertPod(pod);
        if (before == Before.RESERVED) {
            store.reserve(pod, "n", TTL);
        }
        LedgerSnapshot snapshot = store.snapshot();
        NodeState n = store.current("n");

        store.upsertPod(update.apply.apply(pod));

        assertThat(store.snapshot() != snapshot).as("a new snapshot").isEqualTo(changes);
        if (!changes) {
            assertThat(store.current("n")).isSameAs(n);
        }
    }

    @Test
    void anUpdateOfABoundPodEndsAReservationMadeAfterItWasBoundEvenWhenNothingElseMoved() {
        LedgerStore store = new LedgerStore(POLICY);
        store.upsertNode(sharedNodeObject("n", "a100-research", 3));
        Pod bound = boundTo(gpuPod("p", "research", 1), "n");
        store.upsertPod(bound);
        store.reserve(bound, "n", TTL);

        store.upsertPod(Update.KUBELET_STATUS.apply.apply(bound));

        assertThat(store.reservationCount()).isZero();
        assertThat(store.snapshot().node("n").usage().gpuUnits()).isEqualTo(1);
    }
}
