package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.gpuslicer.extender.Extender;
import io.gpuslicer.extender.core.ExtenderMetrics;
import io.gpuslicer.extender.wire.ExtenderArgs;
import io.gpuslicer.extender.wire.ExtenderFilterResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Point 2 of issue 7: nominated pods count as kube-scheduler counts them (addGENominatedPods in
 * pkg/scheduler/framework/runtime/framework.go): only when their priority is at least the pod's, and
 * never the pod itself. The node holds 2 GPUs x 3 replicas, five of them bound; one pod is nominated.
 */
class NominatedPodsTest {

    static Pod nominatedTo(Pod pod, String node) {
        return new PodBuilder(pod).editStatus().withNominatedNodeName(node).endStatus().build();
    }

    static Stream<Arguments> nominated() {
        return Stream.of(
                arguments("a nominated pod of higher priority holds its replica against a lower-priority pod", 500, "other", 100, false),
                arguments("a nominated pod of equal priority holds its replica", 100, "other", 100, false),
                arguments("a nominated pod of lower priority does not block a higher-priority pod", 100, "other", 500, true),
                arguments("the pod nominated to the node is not counted against itself", 500, "self", 500, true),
                arguments("the pod nominated to the node is not counted against itself even at a lower priority", 500, "self", 100, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void nominated(String sentence, int nominatedPriority, String who, int podPriority, boolean passes) {
        SnapshotLedgerSource ledger = new SnapshotLedgerSource(POLICY).addNode(sharedNodeObject("n", "a100-research", 3));
        sharers("n", "research", 5).forEach(ledger::addPod);
        Pod pod = withPriority(gpuPod("self", "research", 1), podPriority);
        Pod nominated = "self".equals(who) ? withPriority(pod, nominatedPriority) : withPriority(gpuPod("other", "research", 1), nominatedPriority);
        ledger.addPod(nominatedTo(nominated, "n"));
        ExtenderFilterResult r = new Extender(ledger, ExtenderMetrics.NOOP).filter(ExtenderArgs.ofNames(pod, List.of("n")));
        if (passes) {
            assertThat(r.nodeNames()).containsExactly("n");
        } else {
            assertThat(r.failedNodes()).containsKey("n");
            assertThat(r.failedNodes().get("n")).contains("no free time-slice replica");
        }
    }

    @org.junit.jupiter.api.Test
    void oneExtenderAskedForTheNominatedPodAndThenForAnotherOfItsClassAnswersEachAsAFreshOneWould() {
        SnapshotLedgerSource ledger = new SnapshotLedgerSource(POLICY).addNode(sharedNodeObject("n", "a100-research", 3))
                .addNode(sharedNodeObject("m", "a100-research", 3));
        sharers("n", "research", 5).forEach(ledger::addPod);
        sharers("m", "research", 2).forEach(ledger::addPod);
        Pod self = gpuPod("self", "research", 1);
        ledger.addPod(nominatedTo(self, "n"));
        Pod other = gpuPod("other", "research", 1);
        Extender extender = new Extender(ledger, ExtenderMetrics.NOOP);
        for (Pod pod : List.of(self, other, self, other)) {
            ExtenderArgs args = ExtenderArgs.ofNames(pod, List.of("n", "m"));
            Extender fresh = new Extender(ledger, ExtenderMetrics.NOOP);
            String who = pod.getMetadata().getName();

            assertThat(extender.filter(args).nodeNames()).as(who).isEqualTo(fresh.filter(args).nodeNames());
            assertThat(extender.prioritize(args)).as(who).isEqualTo(new Extender(ledger, ExtenderMetrics.NOOP).prioritize(args));
        }
        assertThat(extender.filter(ExtenderArgs.ofNames(other, List.of("n", "m"))).nodeNames()).containsExactly("m");
        assertThat(extender.filter(ExtenderArgs.ofNames(self, List.of("n", "m"))).nodeNames()).containsExactly("n", "m");
    }

    static Stream<Arguments> reserved() {
        return Stream.of(
                arguments("a pod reserved on the node is not counted against itself", "self", true),
                arguments("another pod reserved on the node takes the last replica", "other", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void reserved(String sentence, String who, boolean passes) {
        SnapshotLedgerSource ledger = new SnapshotLedgerSource(POLICY).addNode(sharedNodeObject("n", "a100-research", 3));
        sharers("n", "research", 5).forEach(ledger::addPod);
        Pod pod = gpuPod("self", "research", 1);
        ledger.store().reserve("self".equals(who) ? pod : gpuPod("other", "research", 1), "n", Duration.ofSeconds(10));
        ExtenderFilterResult r = new Extender(ledger, ExtenderMetrics.NOOP).filter(ExtenderArgs.ofNames(pod, List.of("n")));
        assertThat(r.nodeNames().contains("n")).isEqualTo(passes);
    }

    static Stream<Arguments> allocation() {
        return Stream.of(
                arguments("a node without reservations or nominations is seen as it is, without a copy", false),
                arguments("a node whose only nominated pod has lower priority is seen as it is, without a copy", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void allocation(String sentence, boolean lowNominated) {
        LedgerStore store = new LedgerStore(POLICY);
        store.upsertNode(sharedNodeObject("n", "a100-research", 3));
        sharers("n", "research", 2).forEach(store::upsertPod);
        if (lowNominated) {
            store.upsertPod(nominatedTo(withPriority(gpuPod("low", "research", 1), 10), "n"));
        }
        NodeState node = store.snapshot().node("n");
        assertThat(node.asSeenBy("uid-p", 100)).isSameAs(node);
    }
}
