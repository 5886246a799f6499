package io.gpuslicer.extender.core;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.policy.Contention.Strategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ScorerTablesTest {

    private static PodInfo info(Pod pod) {
        return PodInfo.of(pod, POLICY);
    }

    static Stream<Arguments> poolRank() {
        return Stream.of(
                arguments("the preferred pool scores highest", "a100-research", 100),
                arguments("the first fallback scores well below it", "a100-development", 40),
                arguments("the second fallback scores less again", "a100-batch", 20),
                arguments("a pool the type may not use scores nothing", "a100-training", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void poolRank(String sentence, String pool, int want) {
        assertThat(new PoolRank().score(info(gpuPod("p", "research", 1)), sharedNode("n", pool, 0))).isEqualTo(want);
    }

    @ParameterizedTest(name = "with {0} replicas in use on 2 GPUs a new pod shares its GPU with {1} others: spread {2}, binpack {3}")
    @CsvSource({
            "0, 0, 100, 0",
            "1, 0, 100, 0",
            "2, 1, 46, 54",
            "4, 2, 31, 69",
            "5, 2, 31, 69"})
    void contentionFollowsTheCalibratedCurve(int used, int others, int spread, int binpack) {
        NodeState node = sharedNode("n", "a100-research", used);
        assertThat(new Contention().score(info(gpuPod("p", "research", 1)), node)).isEqualTo(spread);
        assertThat(new Contention().score(withStrategy(info(gpuPod("p", "research", 1)), Strategy.BINPACK), node)).isEqualTo(binpack);
        // The co-tenants column is what the ledger computes (the device plugin spreads replicas over the GPUs).
        assertThat(io.gpuslicer.extender.ledger.GpuOccupancy.sharersPerGpu(node.usage().gpuUnits(), 1, node.inventory().physicalGpus()) - 1)
                .isEqualTo(others);
    }

    @Test
    void contentionHasNoOpinionOnMigPods() {
        assertThat(new Contention().appliesTo(info(migPod("p", "production-inference", "3g.40gb")))).isFalse();
        assertThat(new MigBestFit().appliesTo(info(gpuPod("p", "research", 1)))).isFalse();
    }

    static Stream<Arguments> migBestFit() {
        // 1g.10gb: 7 per GPU, 14 on a test node.
        return Stream.of(
                arguments("the node left with no free instance scores highest", free(1), 100),
                arguments("a node left with one free instance scores less", free(2), 92),
                arguments("an untouched node scores lowest, keeping whole GPUs free", free(14), 7));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void migBestFit(String sentence, io.gpuslicer.extender.Fixtures.Free free, int want) {
        assertThat(new MigBestFit().score(info(migPod("p", "production-inference", "1g.10gb")), migNode("n", "1g.10gb", free)))
                .isEqualTo(want);
    }

    static Stream<Arguments> combined() {
        return Stream.of(
                arguments("an empty preferred node gets the top score", gpuPod("p", "research", 1), sharedNode("n", "a100-research", 0), 10),
                arguments("an empty first fallback node scores below it", gpuPod("p", "research", 1), sharedNode("n", "a100-development", 0), 6),
                arguments("a preferred node with its last replica free still beats an empty fallback", gpuPod("p", "research", 1),
                        sharedNode("n", "a100-research", 5), 7),
                arguments("the second fallback, empty", gpuPod("p", "research", 1), sharedNode("n", "a100-batch", 0), 5),
                arguments("a MIG pod on its fullest node gets the top score", migPod("p", "production-inference", "3g.40gb"),
                        migNode("n", "3g.40gb", free(1)), 10),
                arguments("a MIG pod on an untouched node scores lower", migPod("p", "production-inference", "3g.40gb"),
                        migNode("n", "3g.40gb", free(4)), 8));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource
    void combined(String sentence, Pod pod, NodeState node, int want) {
        assertThat(Framework.DEFAULT.score(info(pod), node)).isEqualTo(want);
    }

    @Test
    void scoresAreZeroWhenEveryWeightIsZero() {
        PodInfo pod = info(gpuPod("p", "research", 1));
        PodInfo unweighted = new PodInfo(false, null, pod.uid(), pod.key(), pod.priority(), pod.workloadType(), pod.mode(),
                pod.pools(), null, false, 1, pod.contention(), new io.gpuslicer.policy.ScoringWeights(0, 0, 0), null);
        assertThat(Framework.DEFAULT.score(unweighted, sharedNode("n", "a100-research", 0))).isZero();
    }

    private static PodInfo withStrategy(PodInfo p, Strategy strategy) {
        return new PodInfo(p.passThrough(), p.passReason(), p.uid(), p.key(), p.priority(), p.workloadType(), p.mode(), p.pools(),
                p.migProfile(), p.mixedResource(), p.units(), new io.gpuslicer.policy.Contention(4, strategy), p.weights(), null);
    }

}
