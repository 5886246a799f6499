package io.gpuslicer.extender.core;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.ledger.NodeState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A node state remembers filter verdicts and raw scores per pod class ({@link FilterClass}): a verdict or score
 * read back must be the one a fresh computation gives, whatever pod of whatever class asked first.
 */
class RememberedVerdictsTest {

    private static PodInfo info(Pod pod) {
        return PodInfo.of(pod, POLICY);
    }

    /** The same node, without anything remembered. */
    private static NodeState fresh(NodeState node) {
        return new NodeState(node.inventory(), node.usage(), node.pools());
    }

    static Stream<Arguments> verdictsAfterAnotherPod() {
        NodeState oneReplicaFree = sharedNode("n", "a100-research", 5);
        return Stream.of(
                arguments("a 2-replica pod after a 1-replica pod fitted is refused for want of replicas",
                        gpuPod("first", "research", 1), gpuPod("second", "research", 2), oneReplicaFree, false),
                arguments("a 1-replica pod after a 2-replica pod was refused fits",
                        gpuPod("first", "research", 2), gpuPod("second", "research", 1), oneReplicaFree, true),
                arguments("a training pod after a research pod fitted is refused the research pool",
                        gpuPod("first", "research", 1), gpuPod("second", "training", 1), oneReplicaFree, false),
                arguments("a MIG pod after a time-sliced pod fitted is refused the time-sliced node",
                        gpuPod("first", "research", 1), migPod("second", "production-inference", "1g.10gb"), oneReplicaFree, false),
                arguments("a second research pod of one replica gets the first one's verdict",
                        gpuPod("first", "research", 1), gpuPod("second", "research", 1), oneReplicaFree, true),
                arguments("a higher-priority pod of the same class gets the same verdict (priority is not read by filters)",
                        gpuPod("first", "research", 1), withPriority(gpuPod("second", "research", 1), 1000), oneReplicaFree, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void verdictsAfterAnotherPod(String sentence, Pod first, Pod second, NodeState node, boolean fits) {
        Framework framework = Framework.DEFAULT;
        framework.filter(info(first), node);

        Status remembered = framework.filter(info(second), node);

        assertThat(remembered).isEqualTo(framework.filter(info(second), fresh(node)));
        assertThat(remembered.isSuccess()).isEqualTo(fits);
    }

    @Test
    void aFrameworkWithOtherFiltersDoesNotReadAnothersVerdict() {
        NodeState full = sharedNode("n", "a100-research", 6);
        PodInfo pod = info(gpuPod("p", "research", 1));
        Framework poolsOnly = new Framework(List.of(new PoolAllowed()), List.of());
        assertThat(poolsOnly.filter(pod, full).isSuccess()).isTrue();

        assertThat(Framework.DEFAULT.filter(pod, full).reason()).isEqualTo(Reason.REPLICAS_FULL);
    }

    /**
     * The extender decides with a standard framework over the ledger's mix, and its placement Events explain a fallback
     * with {@link Framework#DEFAULT} over every node of the cluster: that must leave what the node states remember for
     * the extender in place (it once replaced it on every node, and the next filter call decided them all afresh).
     */
    @Test
    void explainingWithTheDefaultFrameworkKeepsTheDecidingFrameworksRememberedVerdicts() {
        Framework deciding = Framework.standard(() -> WorkloadMix.of(Map.of(new PodShape(0, 0, 1, 500, null), 1), 1.0));
        NodeState node = fresh(sharedNode("n", "a100-research", 5));
        PodInfo pod = info(gpuPod("p", "research", 1));
        Status decided = deciding.filter(pod, node);
        Object remembered = node.recall(pod.filterClass());

        Status explained = Framework.DEFAULT.filter(pod, node);

        assertThat(explained).isSameAs(decided);
        assertThat(node.recall(pod.filterClass())).as("still the deciding framework's memo").isSameAs(remembered);
        assertThat(deciding.filter(pod, node)).isSameAs(decided);
    }

    @Test
    void standardFrameworksOfDifferentMixesShareVerdictsButNotScores() {
        Framework halves = Framework.standard(() -> WorkloadMix.of(Map.of(new PodShape(0, 0, 1, 500, null), 1), 1.0));
        Framework wholes = Framework.standard(() -> WorkloadMix.of(Map.of(new PodShape(0, 0, 1, 1000, null), 1), 1.0));
        NodeState[] nodes = {sharedNode("a", "a100-research", 0), sharedNode("b", "a100-research", 1)};
        PodInfo pod = info(gpuPod("p", "research", 1));
        NodeState[] unremembered = {fresh(nodes[0]), fresh(nodes[1])};

        int[] byHalves = halves.scoreAll(pod, nodes);
        int[] byWholes = wholes.scoreAll(pod, nodes);

        assertThat(byHalves).isEqualTo(halves.scoreAll(pod, new NodeState[]{fresh(nodes[0]), fresh(nodes[1])}));
        assertThat(byWholes).isEqualTo(wholes.scoreAll(pod, unremembered));
        assertThat(halves.scoreAll(pod, nodes)).as("asked again after the other framework").isEqualTo(byHalves);
        assertThat(byHalves).as("the two mixes rank the nodes differently, or this test shows nothing").isNotEqualTo(byWholes);
    }

    @Test
    void scoresRememberedUnderOneWorkloadMixAreNotTheScoresUnderAnother() {
        AtomicReference<WorkloadMix> mix = new AtomicReference<>(WorkloadMix.of(Map.of(new PodShape(0, 0, 1, 1000, null), 1), 1.0));
        Framework framework = new Framework(List.of(), List.of(new Fragmentation(mix::get)));
        // Whole-GPU tasks want the node with a GPU kept whole (b); half-GPU tasks the empty one (a).
        NodeState[] nodes = {sharedNode("a", "a100-research", 0), sharedNode("b", "a100-research", 1)};
        PodInfo pod = info(gpuPod("p", "research", 1));
        int[] before = framework.scoreAll(pod, nodes);

        mix.set(WorkloadMix.of(Map.of(new PodShape(0, 0, 1, 500, null), 1), 1.0));
        int[] after = framework.scoreAll(pod, nodes);

        assertThat(after).isEqualTo(framework.scoreAll(pod, new NodeState[]{fresh(nodes[0]), fresh(nodes[1])}));
        assertThat(framework.scoreAll(pod, nodes)).as("asked again under the same mix").isEqualTo(after);
        assertThat(before).as("the two mixes rank the nodes differently, or this test shows nothing").isNotEqualTo(after);
    }

    @Test
    void aNodeStateRemembersTheNewestFewKeys() {
        NodeState node = fresh(sharedNode("n", "a100-research", 0));
        Object[] keys = new Object[NodeState.MEMO_SLOTS + 1];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new Object();
            node.remember(keys[i], i);
        }
        assertThat(node.recall(keys[0])).as("the oldest is gone").isNull();
        for (int i = 1; i < keys.length; i++) {
            assertThat(node.recall(keys[i])).isEqualTo(i);
        }
        assertThat(node.recall(new Object())).isNull();
    }
}
