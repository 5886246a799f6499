package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.NodeState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Node states remember the raw scores of a framework's scorers together, in one value per pod class: whatever the
 * mix of scorers, a score read back is the one a fresh computation gives, each scorer's its own.
 */
class RememberedScoresTest {

    /** A scorer with a weight, a memo key and a score of the node's used replicas; counts the scores it computes. */
    static final class Stub implements Scorer {
        final int weight;
        volatile Object key;
        volatile ToIntFunction<Integer> score;
        final AtomicInteger computed = new AtomicInteger();

        Stub(int weight, Object key, ToIntFunction<Integer> score) {
            this.weight = weight;
            this.key = key;
            this.score = score;
        }

        @Override
        public boolean appliesTo(PodInfo pod) {
            return true;
        }

        @Override
        public int weight(PodInfo pod) {
            return weight;
        }

        @Override
        public int score(PodInfo pod, NodeState node) {
            computed.incrementAndGet();
            return score.applyAsInt(node.usage().gpuUnits());
        }

        @Override
        public Object memoKey() {
            return key;
        }
    }

    static Stream<Arguments> scorerMixes() {
        return Stream.of(
                arguments("two remembered scorers of different weights are each read back as their own", List.of(
                        new Stub(1, STATE_ONLY, used -> used * 30), new Stub(7, STATE_ONLY, used -> 100 - used * 30))),
                arguments("a remembered scorer between two that are never remembered", List.of(
                        new Stub(2, UNCACHED, used -> used * 10), new Stub(5, STATE_ONLY, used -> 90 - used * 40),
                        new Stub(3, UNCACHED, used -> 50))),
                arguments("six remembered scorers, the two past the fourth computed each time", List.of(
                        new Stub(1, STATE_ONLY, used -> used), new Stub(2, STATE_ONLY, used -> 100 - used),
                        new Stub(3, STATE_ONLY, used -> used * 20), new Stub(4, STATE_ONLY, used -> 7),
                        new Stub(5, STATE_ONLY, used -> 100 - used * 20), new Stub(6, STATE_ONLY, used -> used * 33))),
                arguments("scores outside 0..MAX are used as they are", List.of(
                        new Stub(1, STATE_ONLY, used -> -5 - used), new Stub(2, STATE_ONLY, used -> 70_000 + used),
                        new Stub(3, STATE_ONLY, used -> used * 25))));
    }

    private static final Object STATE_ONLY = Scorer.STATE_ONLY;
    private static final Object UNCACHED = Scorer.UNCACHED;

    private static NodeState[] nodes() {
        return new NodeState[]{sharedNode("a", "a100-research", 0), sharedNode("b", "a100-research", 1),
                sharedNode("c", "a100-research", 3)};
    }

    private static NodeState[] fresh(NodeState[] nodes) {
        NodeState[] out = new NodeState[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            out[i] = new NodeState(nodes[i].inventory(), nodes[i].usage(), nodes[i].pools());
        }
        return out;
    }

    private static final PodInfo POD = PodInfo.of(gpuPod("p", "research", 1), POLICY);

    @ParameterizedTest(name = "{0}")
    @MethodSource("scorerMixes")
    void scoresReadBackAreTheScoresComputedAfresh(String sentence, List<Stub> stubs) {
        Framework framework = new Framework(List.of(), new ArrayList<>(stubs));
        NodeState[] nodes = nodes();
        int[] first = framework.scoreAll(POD, nodes);
        stubs.forEach(s -> s.computed.set(0));

        int[] again = framework.scoreAll(POD, nodes);

        for (int j = 0; j < stubs.size(); j++) {
            Stub stub = stubs.get(j);
            // A score is remembered per node, unless it is negative or above 65,535 (far outside 0..MAX).
            long outOfRange = Stream.of(nodes).map(n -> stub.score.applyAsInt(n.usage().gpuUnits()))
                    .filter(score -> score < 0 || score > 0xFFFF).count();
            boolean remembers = stub.key == STATE_ONLY && j < 4;
            assertThat(stub.computed.get()).as("scores computed by scorer %d asked again", j)
                    .isEqualTo(remembers ? (int) outOfRange : nodes.length);
        }
        assertThat(again).isEqualTo(first).isEqualTo(framework.scoreAll(POD, fresh(nodes)));
        assertThat(first).as("the nodes score differently, or this test shows nothing").doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}, after the first scorer's memo key changed, scores what a fresh computation scores")
    @MethodSource("scorerMixes")
    void aChangedMemoKeyIsNotReadBackUnder(String sentence, List<Stub> stubs) {
        Framework framework = new Framework(List.of(), new ArrayList<>(stubs));
        NodeState[] nodes = nodes();
        int[] before = framework.scoreAll(POD, nodes);
        // The first scorer now scores under another key, and scores otherwise: its old scores must not be read back.
        Stub first = stubs.get(0);
        ToIntFunction<Integer> old = first.score;
        first.score = used -> 100 - old.applyAsInt(used);
        first.key = new Object();

        int[] after = framework.scoreAll(POD, nodes);

        assertThat(after).isEqualTo(framework.scoreAll(POD, fresh(nodes)));
        assertThat(after).as("the change changes the scores, or this test shows nothing").isNotEqualTo(before);
    }
}
