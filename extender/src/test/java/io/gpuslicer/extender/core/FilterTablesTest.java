package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.NodeState;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** One table per filter: {sentence, pod, node, expected status}, the whole status compared at once. */
class FilterTablesTest {

    private static PodInfo info(Pod pod) {
        return PodInfo.of(pod, POLICY);
    }

    static Stream<Arguments> poolAllowed() {
        return Stream.of(
                arguments("a research pod may use its preferred pool", gpuPod("p", "research", 1),
                        sharedNode("n", "a100-research", 0), Status.SUCCESS),
                arguments("a research pod may use a fallback pool", gpuPod("p", "research", 1),
                        sharedNode("n", "a100-batch", 0), Status.SUCCESS),
                arguments("a research pod may not use the training pool", gpuPod("p", "research", 1),
                        sharedNode("n", "a100-training", 0),
                        Status.unresolvable(Reason.POOL_NOT_ALLOWED, new Detail.PoolMismatch(List.of("a100-training"),
                                List.of("a100-research", "a100-development", "a100-batch")))),
                arguments("a 3g.40gb pod may not use the 1g.10gb pool although its type lists it", migPod("p", "production-inference", "3g.40gb"),
                        migNode("n", "1g.10gb", free(3)),
                        Status.unresolvable(Reason.POOL_NOT_ALLOWED, new Detail.PoolMismatch(List.of("mig-1g10gb"), List.of("mig-3g40gb")))),
                arguments("a node in no pool is refused", gpuPod("p", "research", 1),
                        state(node("n", java.util.Map.of(), java.util.Map.of("nvidia.com/gpu", 8)), List.of()),
                        Status.unresolvable(Reason.POOL_NOT_ALLOWED, new Detail.PoolMismatch(List.of(),
                                List.of("a100-research", "a100-development", "a100-batch")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void poolAllowed(String sentence, Pod pod, NodeState node, Status want) {
        assertThat(new PoolAllowed().filter(info(pod), node)).isEqualTo(want);
    }

    static Stream<Arguments> notReconfiguring() {
        return Stream.of(
                arguments("a node whose MIG layout is applied passes", "success", Status.SUCCESS),
                arguments("a node mig-manager does not manage passes", null, Status.SUCCESS),
                arguments("a node with a pending layout change may free up later", "pending",
                        Status.unschedulable(Reason.MIG_RECONFIGURING, new Detail.MigConfigState("pending"))),
                arguments("a rebooting node may free up later", "rebooting",
                        Status.unschedulable(Reason.MIG_RECONFIGURING, new Detail.MigConfigState("rebooting"))),
                arguments("a node whose layout change failed will not settle by itself and is unresolvable", "failed",
                        Status.unresolvable(Reason.MIG_CONFIG_FAILED, new Detail.MigConfigState("failed"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void notReconfiguring(String sentence, String state, Status want) {
        var node = migNodeObject("n", "3g.40gb");
        if (state == null) {
            node.getMetadata().getLabels().remove("nvidia.com/mig.config.state");
        } else {
            node = withLabel(node, "nvidia.com/mig.config.state", state);
        }
        assertThat(new NotReconfiguring().filter(info(migPod("p", "production-inference", "3g.40gb")), state(node, List.of())))
                .isEqualTo(want);
    }

    static Stream<Arguments> gpuKindMatches() {
        return Stream.of(
                arguments("a time-sliced pod fits a node of replicas", gpuPod("p", "research", 1),
                        sharedNode("n", "a100-research", 0), Status.SUCCESS),
                arguments("a time-sliced pod fits a node of whole GPUs", gpuPod("p", "research", 1),
                        state(sharedNodeObject("n", "a100-research", 1), List.of()), Status.SUCCESS),
                arguments("a time-sliced pod never fits a MIG node", gpuPod("p", "research", 1),
                        migNode("n", "3g.40gb", free(1)),
                        Status.unresolvable(Reason.WRONG_GPU_KIND, new Detail.GpuKindMismatch("time-slice replicas", "MIG 3g.40gb (single strategy)"))),
                arguments("a single-strategy MIG pod fits a single node of its profile", migPod("p", "production-inference", "3g.40gb"),
                        migNode("n", "3g.40gb", free(1)), Status.SUCCESS),
                arguments("a single-strategy MIG pod never fits a node of another profile", migPod("p", "production-inference", "3g.40gb"),
                        migNode("n", "1g.10gb", free(1)),
                        Status.unresolvable(Reason.WRONG_GPU_KIND, new Detail.GpuKindMismatch("MIG 3g.40gb (single strategy)", "MIG 1g.10gb (single strategy)"))),
                arguments("a mixed-strategy MIG pod fits a mixed node of its profile", mixedMigPod("p", "production-inference", "3g.40gb"),
                        state(mixedMigNodeObject("n", "3g.40gb"), List.of()), Status.SUCCESS),
                arguments("a mixed-strategy MIG pod never fits a single node", mixedMigPod("p", "production-inference", "3g.40gb"),
                        migNode("n", "3g.40gb", free(2)),
                        Status.unresolvable(Reason.WRONG_GPU_KIND, new Detail.GpuKindMismatch("nvidia.com/mig-3g.40gb", "MIG 3g.40gb (single strategy)"))),
                arguments("a MIG pod never fits a time-sliced node", migPod("p", "production-inference", "3g.40gb"),
                        sharedNode("n", "a100-research", 0),
                        Status.unresolvable(Reason.WRONG_GPU_KIND, new Detail.GpuKindMismatch("MIG 3g.40gb (single strategy)", "3 time-slice replicas per GPU"))),
                arguments("a node without GPUs never fits", gpuPod("p", "research", 1),
                        state(node("n", poolLabels("a100-research"), java.util.Map.of()), List.of()),
                        Status.unresolvable(Reason.NO_GPU, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void gpuKindMatches(String sentence, Pod pod, NodeState node, Status want) {
        assertThat(new GpuKindMatches().filter(info(pod), node)).isEqualTo(want);
    }

    static Stream<Arguments> migProfileFree() {
        return Stream.of(
                arguments("a MIG pod fits where one instance of its profile is free", migPod("p", "production-inference", "3g.40gb"),
                        migNode("n", "3g.40gb", free(1)), Status.SUCCESS),
                arguments("a MIG pod waits where every instance is held", migPod("p", "production-inference", "3g.40gb"),
                        migNode("n", "3g.40gb", free(0)),
                        Status.unschedulable(Reason.MIG_PROFILE_FULL, new Detail.InsufficientResource("nvidia.com/gpu (MIG 3g.40gb)", 1, 4, 4))),
                arguments("a mixed-strategy pod counts only instances of its own profile", mixedMigPod("p", "production-inference", "1g.10gb"),
                        state(mixedMigNodeObject("n", "1g.10gb"), mixedHolders("n", "1g.10gb", 14)),
                        Status.unschedulable(Reason.MIG_PROFILE_FULL, new Detail.InsufficientResource("nvidia.com/mig-1g.10gb", 1, 14, 14))),
                arguments("a MIG pod wanting two instances fits where exactly two are free", migPod("p", "production-inference", "3g.40gb", 2),
                        migNode("n", "3g.40gb", free(2)), Status.SUCCESS),
                arguments("a MIG pod wanting two instances waits where one is free", migPod("p", "production-inference", "3g.40gb", 2),
                        migNode("n", "3g.40gb", free(1)),
                        Status.unschedulable(Reason.MIG_PROFILE_FULL, new Detail.InsufficientResource("nvidia.com/gpu (MIG 3g.40gb)", 2, 3, 4))),
                arguments("a mixed-strategy pod wanting three devices fits where exactly three are free",
                        mixedMigPod("p", "production-inference", "1g.10gb", 3),
                        state(mixedMigNodeObject("n", "1g.10gb"), mixedHolders("n", "1g.10gb", 11)), Status.SUCCESS),
                arguments("a mixed-strategy pod wanting three devices waits where two are free",
                        mixedMigPod("p", "production-inference", "1g.10gb", 3),
                        state(mixedMigNodeObject("n", "1g.10gb"), mixedHolders("n", "1g.10gb", 12)),
                        Status.unschedulable(Reason.MIG_PROFILE_FULL, new Detail.InsufficientResource("nvidia.com/mig-1g.10gb", 3, 12, 14))),
                arguments("a time-sliced pod is not this filter's concern", gpuPod("p", "research", 1),
                        migNode("n", "3g.40gb", free(0)), Status.SUCCESS));
    }

    private static List<Pod> mixedHolders(String node, String profile, int n) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> boundTo(mixedMigPod(node + "-h" + i, "production-inference", profile), node)).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void migProfileFree(String sentence, Pod pod, NodeState node, Status want) {
        assertThat(new MigProfileFree().filter(info(pod), node)).isEqualTo(want);
    }

    static Stream<Arguments> timeSliceCapacity() {
        // Test nodes: 2 GPUs x 3 replicas; the default policy caps sharers at 4 per GPU.
        return Stream.of(
                arguments("a pod fits on an empty node", gpuPod("p", "research", 1), sharedNode("n", "a100-research", 0), Status.SUCCESS),
                arguments("a pod fits the last free replica", gpuPod("p", "research", 1), sharedNode("n", "a100-research", 5), Status.SUCCESS),
                arguments("a pod waits when every replica is held", gpuPod("p", "research", 1), sharedNode("n", "a100-research", 6),
                        Status.unschedulable(Reason.REPLICAS_FULL, new Detail.InsufficientResource("time-slice replicas", 1, 6, 6))),
                arguments("a pod wanting two replicas waits when one is free", gpuPod("p", "research", 2), sharedNode("n", "a100-research", 5),
                        Status.unschedulable(Reason.REPLICAS_FULL, new Detail.InsufficientResource("time-slice replicas", 2, 5, 6))),
                arguments("the sharer cap holds below the device plugin's replicas",
                        gpuPod("p", "research", 1), state(sharedNodeObject("n", "a100-research", 8), sharers("n", "research", 8)),
                        Status.unschedulable(Reason.SHARERS_OVER_CAP, new Detail.SharersOverCap(5, 4))),
                arguments("the cap allows exactly maxSharersPerGpu per GPU",
                        gpuPod("p", "research", 1), state(sharedNodeObject("n", "a100-research", 8), sharers("n", "research", 7)), Status.SUCCESS),
                arguments("a pod wanting two replicas fits the last two", gpuPod("p", "research", 2), sharedNode("n", "a100-research", 4),
                        Status.SUCCESS),
                arguments("a pod wanting two replicas goes over the sharer cap where one would not",
                        gpuPod("p", "research", 2), state(sharedNodeObject("n", "a100-research", 8), sharers("n", "research", 7)),
                        Status.unschedulable(Reason.SHARERS_OVER_CAP, new Detail.SharersOverCap(5, 4))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void timeSliceCapacity(String sentence, Pod pod, NodeState node, Status want) {
        assertThat(new TimeSliceCapacity().filter(info(pod), node)).isEqualTo(want);
    }
}
