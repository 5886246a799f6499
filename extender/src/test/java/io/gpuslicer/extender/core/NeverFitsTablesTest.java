package io.gpuslicer.extender.core;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.policy.NvidiaKeys;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Point 5 of issue 7: a node that can never fit the request is UnschedulableAndUnresolvable
 * (FailedAndUnresolvableNodes: preemption skips it); one that may free up stays Unschedulable.
 * Test nodes: 2 GPUs; time-sliced ones with 3 replicas per GPU unless said otherwise; the cap is 4 sharers per GPU.
 */
class NeverFitsTablesTest {

    static Pod researchPod(int replicas) {
        return gpuPod("p", "research", replicas);
    }

    static Pod migPodOf(int instances) {
        return decided(pod("p", Map.of(NvidiaKeys.GPU, instances), Map.of(POLICY.workloadTypeLabel(), "production-inference",
                POLICY.vocabulary().migProfileLabel(), "3g.40gb")));
    }

    static Stream<Arguments> neverFits() {
        return Stream.of(
                arguments("a pod asking for more replicas than the node has in total is unresolvable",
                        researchPod(7), sharedNode("n", "a100-research", 0),
                        Status.unresolvable(Reason.EXCEEDS_NODE_CAPACITY, new Detail.InsufficientResource("time-slice replicas", 7, 0, 6))),
                arguments("a pod whose own replicas exceed the sharer cap even on an empty node is unresolvable",
                        researchPod(9), state(sharedNodeObject("n", "a100-research", 8), List.of()),
                        Status.unresolvable(Reason.SHARERS_OVER_CAP, new Detail.SharersOverCap(5, 4))),
                arguments("a pod that fits the empty node but not the busy one may wait: unschedulable",
                        researchPod(2), sharedNode("n", "a100-research", 5),
                        Status.unschedulable(Reason.REPLICAS_FULL, new Detail.InsufficientResource("time-slice replicas", 2, 5, 6))),
                arguments("a pod over the cap only because of other pods may wait: unschedulable",
                        researchPod(1), state(sharedNodeObject("n", "a100-research", 8), sharers("n", "research", 8)),
                        Status.unschedulable(Reason.SHARERS_OVER_CAP, new Detail.SharersOverCap(5, 4))),
                arguments("a MIG pod asking for more instances than the node has of its profile is unresolvable",
                        migPodOf(5), migNode("n", "3g.40gb", free(4)),
                        Status.unresolvable(Reason.EXCEEDS_NODE_CAPACITY, new Detail.InsufficientResource("nvidia.com/gpu (MIG 3g.40gb)", 5, 0, 4))),
                arguments("a MIG pod on a node whose instances are all held may wait: unschedulable",
                        migPodOf(1), migNode("n", "3g.40gb", free(0)),
                        Status.unschedulable(Reason.MIG_PROFILE_FULL, new Detail.InsufficientResource("nvidia.com/gpu (MIG 3g.40gb)", 1, 4, 4))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void neverFits(String sentence, Pod pod, NodeState node, Status want) {
        assertThat(Framework.DEFAULT.filter(PodInfo.of(pod, POLICY), node)).isEqualTo(want);
    }
}
