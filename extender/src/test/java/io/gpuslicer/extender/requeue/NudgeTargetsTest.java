package io.gpuslicer.extender.requeue;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.ledger.LedgerStore;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.extender.ledger.PodUsage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Which pending pods are nudged when capacity frees on a node. */
class NudgeTargetsTest {

    static Stream<Arguments> targets() {
        return Stream.of(
                arguments("a pending MIG pod of the freed profile is nudged", migNodeObject("n", "3g.40gb"),
                        List.of(migPod("serve", "production-inference", "3g.40gb")), 16, List.of("default/serve")),
                arguments("a pending MIG pod of another profile is not", migNodeObject("n", "3g.40gb"),
                        List.of(migPod("small", "production-inference", "1g.10gb")), 16, List.of()),
                arguments("a pending time-sliced pod whose fallback pool freed is nudged", sharedNodeObject("n", "a100-development", 3),
                        List.of(gpuPod("r", "research", 1), gpuPod("t", "training", 1)), 16, List.of("default/r")),
                arguments("a pod already bound is not pending and is not nudged", sharedNodeObject("n", "a100-research", 3),
                        List.of(boundTo(gpuPod("r", "research", 1), "n")), 16, List.of()),
                arguments("the highest priorities go first when there are more pods than nudges", sharedNodeObject("n", "a100-research", 3),
                        List.of(withPriority(gpuPod("low", "research", 1), 1), withPriority(gpuPod("high", "research", 1), 900),
                                withPriority(gpuPod("mid", "research", 1), 50)), 2, List.of("default/high", "default/mid")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void targets(String sentence, io.fabric8.kubernetes.api.model.Node node, List<Pod> pods, int max, List<String> want) {
        LedgerStore store = new LedgerStore(POLICY);
        store.upsertNode(node);
        pods.forEach(store::upsertPod);
        NodeState state = store.snapshot().node("n");
        assertThat(NudgeTargets.of(state, store.pendingPods(), max)).extracting(PodUsage::key).containsExactlyElementsOf(want);
    }
}
