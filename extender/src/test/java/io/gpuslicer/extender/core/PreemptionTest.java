package io.gpuslicer.extender.core;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.ledger.NodeState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class PreemptionTest {
    private final Preemption preemption = new Preemption(Framework.DEFAULT);

    /** A full research node (2 GPUs x 3 replicas) holding the given pods. */
    private static NodeState fullResearchNode(List<Pod> pods) {
        return state(sharedNodeObject("n", "a100-research", 3), pods);
    }

    @Test
    void borrowedCapacityIsReclaimedFirst() {
        // Development pods run on a100-research as their fallback; research pods are at home.
        List<Pod> pods = new ArrayList<>(sharers("n", "research", 4));
        pods.addAll(sharers("n", "development", 2));
        Pod training = withPriority(gpuPod("t", "research", 1), 500);
        Optional<List<String>> victims = preemption.victims(PodInfo.of(training, POLICY), fullResearchNode(pods), List.of());
        assertThat(victims).hasValueSatisfying(v -> assertThat(v).hasSize(1).allMatch(uid -> uid.contains("development")));
    }

    @Test
    void onlyLowerPriorityPodsAreVictims() {
        Pod samePriority = gpuPod("r", "research", 1);
        assertThat(preemption.victims(PodInfo.of(samePriority, POLICY), fullResearchNode(sharers("n", "research", 6)), List.of()))
                .isEmpty();
    }

    @Test
    void aMigPodIsNeverPreemptedForATimeSlicedOne() {
        NodeState migNode = migNode("n", "3g.40gb", free(0));
        Pod urgent = withPriority(gpuPod("t", "research", 1), 100_000);
        assertThat(preemption.victims(PodInfo.of(urgent, POLICY), migNode, List.of("uid-n-holder-0"))).isEmpty();
        assertThat(Preemption.eligible(PodInfo.of(urgent, POLICY),
                migNode.usage().pods().get(0))).isFalse();
    }

    @Test
    void aMigPodPreemptsOnlyWhatItNeeds() {
        NodeState node = state(migNodeObject("n", "3g.40gb"), List.of(
                boundTo(withPriority(migPod("low-a", "production-inference", "3g.40gb"), 10), "n"),
                boundTo(withPriority(migPod("low-b", "production-inference", "3g.40gb"), 20), "n"),
                boundTo(migPod("peer-a", "production-inference", "3g.40gb"), "n"),
                boundTo(migPod("peer-b", "production-inference", "3g.40gb"), "n")));
        Optional<List<String>> victims = preemption.victims(PodInfo.of(migPod("p", "production-inference", "3g.40gb"), POLICY),
                node, List.of("uid-low-b", "uid-peer-a"));
        assertThat(victims).contains(List.of("uid-low-a"));
    }

    @Test
    void proposedVictimsWithoutGpusAreKept() {
        Pod training = withPriority(gpuPod("t", "research", 1), 500);
        NodeState node = fullResearchNode(sharers("n", "research", 6));
        assertThat(preemption.victims(PodInfo.of(training, POLICY), node, List.of("uid-some-cpu-pod")))
                .hasValueSatisfying(v -> assertThat(v).hasSize(2).startsWith("uid-some-cpu-pod"));
    }

    @Test
    void aNodeInAPoolThePodMayNotUseIsDropped() {
        Pod training = withPriority(gpuPod("t", "training", 1), 500);
        assertThat(preemption.victims(PodInfo.of(training, POLICY), fullResearchNode(sharers("n", "research", 6)), List.of()))
                .isEmpty();
    }

    @Test
    void aPodThatIsNotOursKeepsTheSchedulersProposal() {
        assertThat(preemption.victims(PodInfo.of(undecidedGpuPod("x"), POLICY), fullResearchNode(List.of()), List.of("a", "b")))
                .contains(List.of("a", "b"));
    }
}
