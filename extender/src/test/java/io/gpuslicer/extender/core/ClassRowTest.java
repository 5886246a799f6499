package io.gpuslicer.extender.core;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.LedgerStore;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.extender.ledger.NodeTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A class's row ({@link ClassRow}) answers by node number what the framework answers for the node's state now: a
 * verdict or score it kept is read back only for the very state it was found on, and only for states every pod sees
 * alike.
 */
class ClassRowTest {
    private static final Framework FRAMEWORK = Framework.DEFAULT;

    private static PodInfo info(Pod pod) {
        return PodInfo.of(pod, POLICY);
    }

    private static Pod nominatedTo(Pod pod, String node) {
        return new PodBuilder(pod).editStatus().withNominatedNodeName(node).endStatus().build();
    }

    /** What the framework says of the node as the pod sees it, computed afresh (nothing remembered). */
    private static Status fresh(PodInfo pod, LedgerSnapshot snapshot, String node) {
        NodeState seen = snapshot.node(node).asSeenBy(pod.uid(), pod.priority());
        return FRAMEWORK.filter(pod, new NodeState(seen.inventory(), seen.usage(), seen.pools()));
    }

    private static Status viaRow(PodInfo pod, LedgerSnapshot snapshot, String node) {
        NodeTable table = snapshot.table();
        return ClassRow.of(FRAMEWORK, pod, table.index()).filter(pod, table, table.index().of(node));
    }

    static Stream<Arguments> verdicts() {
        Pod nominated = gpuPod("nominated", "research", 1);
        return Stream.of(
                arguments("a node filled after the row found it fitting is refused",
                        (Consumer<LedgerStore>) store -> { },
                        (Consumer<LedgerStore>) store -> sharers("n", "research", 6).forEach(store::upsertPod),
                        gpuPod("first", "research", 1), gpuPod("second", "research", 1), false),
                arguments("a node freed after the row found it full fits",
                        (Consumer<LedgerStore>) store -> sharers("n", "research", 6).forEach(store::upsertPod),
                        (Consumer<LedgerStore>) store -> sharers("n", "research", 6).forEach(p -> store.removePod(p.getMetadata().getUid())),
                        gpuPod("first", "research", 1), gpuPod("second", "research", 1), true),
                arguments("a pod nominated to a node fits there, and another pod of its class and priority then sees it and is refused",
                        (Consumer<LedgerStore>) store -> {
                            sharers("n", "research", 5).forEach(store::upsertPod);
                            store.upsertPod(nominatedTo(nominated, "n"));
                        },
                        (Consumer<LedgerStore>) store -> { },
                        nominatedTo(nominated, "n"), gpuPod("second", "research", 1), false),
                arguments("a removed node's number goes to another node, whose own verdict is read",
                        (Consumer<LedgerStore>) store -> {
                            store.upsertNode(sharedNodeObject("other", "a100-research", 3));
                            sharers("other", "research", 6).forEach(store::upsertPod);
                        },
                        (Consumer<LedgerStore>) store -> store.removeNode("n"),
                        gpuPod("first", "research", 1), gpuPod("second", "research", 1), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void verdicts(String sentence, Consumer<LedgerStore> before, Consumer<LedgerStore> between, Pod first, Pod second, boolean fits) {
        LedgerStore store = new LedgerStore(POLICY);
        store.upsertNode(sharedNodeObject("n", "a100-research", 3));
        before.accept(store);
        LedgerSnapshot snapshot = store.snapshot();
        for (String node : snapshot.nodes().keySet()) {
            assertThat(viaRow(info(first), snapshot, node)).as("first, " + node).isEqualTo(fresh(info(first), snapshot, node));
        }
        between.accept(store);
        LedgerSnapshot after = store.snapshot();
        String asked = after.nodes().containsKey("n") ? "n" : "other";

        Status verdict = viaRow(info(second), after, asked);

        assertThat(verdict).isEqualTo(fresh(info(second), after, asked));
        assertThat(verdict.isSuccess()).isEqualTo(fits);
    }

    @Test
    void aNodeOfTheFirstPoolIsPrimaryAndAFallbackPoolsIsNot() {
        LedgerStore store = new LedgerStore(POLICY);
        store.upsertNode(sharedNodeObject("research", "a100-research", 3));
        store.upsertNode(sharedNodeObject("batch", "a100-batch", 3));
        LedgerSnapshot snapshot = store.snapshot();
        NodeTable table = snapshot.table();
        PodInfo pod = info(gpuPod("p", "research", 1));
        ClassRow row = ClassRow.of(FRAMEWORK, pod, table.index());
        for (String node : List.of("research", "batch")) {
            int number = table.index().of(node);
            boolean expected = pod.rankOn(snapshot.node(node).pools()) == 0;
            assertThat(row.primary(pod, table, number)).as(node + ", before filtering").isEqualTo(expected);
            if (row.filter(pod, table, number).isSuccess()) {
                assertThat(row.primary(pod, table, number)).as(node + ", after filtering").isEqualTo(expected);
            }
        }
        assertThat(row.primary(pod, table, table.index().of("research"))).isTrue();
    }

    @Test
    void scoresReadFromTheRowAreTheFrameworksForTheStateNowAndUnderItsKeyNow() {
        RememberedScoresTest.Stub stub = new RememberedScoresTest.Stub(1, new Object(), used -> used * 10);
        Framework framework = new Framework(List.of(), List.of(stub));
        LedgerStore store = new LedgerStore(POLICY);
        for (String node : List.of("a", "b", "c")) {
            store.upsertNode(sharedNodeObject(node, "a100-research", 3));
        }
        PodInfo pod = info(gpuPod("p", "research", 1));

        assertThat(scoresViaRow(framework, pod, store.snapshot())).as("first").isEqualTo(freshScores(framework, pod, store.snapshot()));
        int computed = stub.computed.get();
        assertThat(scoresViaRow(framework, pod, store.snapshot())).as("read back").isEqualTo(freshScores(framework, pod, store.snapshot()));
        sharers("b", "research", 4).forEach(store::upsertPod);
        stub.computed.set(computed);
        assertThat(scoresViaRow(framework, pod, store.snapshot())).as("after b changed").isEqualTo(freshScores(framework, pod, store.snapshot()));
        assertThat(stub.computed.get() - computed).as("scores computed: b's again, and three fresh").isEqualTo(1 + 3);
        stub.key = new Object();
        stub.score = used -> 100 - used * 10;
        assertThat(scoresViaRow(framework, pod, store.snapshot())).as("under a new key").isEqualTo(freshScores(framework, pod, store.snapshot()));
    }

    private static int[] scoresViaRow(Framework framework, PodInfo pod, LedgerSnapshot snapshot) {
        NodeTable table = snapshot.table();
        NodeState[] states = new NodeState[table.index().size()];
        int[] numbers = new int[states.length];
        for (int i = 0; i < states.length; i++) {
            states[i] = table.state(i);
            numbers[i] = i;
        }
        return framework.scoreAll(pod, states, ClassRow.of(framework, pod, table.index()), numbers);
    }

    private static int[] freshScores(Framework framework, PodInfo pod, LedgerSnapshot snapshot) {
        NodeTable table = snapshot.table();
        NodeState[] states = new NodeState[table.index().size()];
        for (int i = 0; i < states.length; i++) {
            NodeState s = table.state(i);
            states[i] = new NodeState(s.inventory(), s.usage(), s.pools());
        }
        return framework.scoreAll(pod, states);
    }
}
