package io.gpuslicer.extender.core;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.gpuslicer.extender.ledger.GpuShares;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.policy.NvidiaKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Declared GPU shares in the filters and the contention scorer, and the fragmentation scorer. */
class SharesAndFragmentationTest {
    private static final String SHARE = POLICY.vocabulary().gpuShareKey();

    /** A research pod declaring {@code share} (e.g. "0.5"), or none when null. */
    static Pod sharePod(String name, String share) {
        Pod p = gpuPod(name, "research", 1);
        return share == null ? p : new PodBuilder(p).editMetadata().addToLabels(SHARE, share).endMetadata().build();
    }

    /** A research node of {@code gpus} GPUs with 10 replicas each, holding pods of the given declared shares. */
    static NodeState node(int gpus, String... shares) {
        Node n = sharedNodeObject("n", "a100-research", 10);
        n.getMetadata().getLabels().put(NvidiaKeys.GPU_COUNT, String.valueOf(gpus));
        n.getStatus().getAllocatable().put(NvidiaKeys.GPU, new Quantity(String.valueOf(gpus * 10)));
        n.getStatus().getAllocatable().put("cpu", new Quantity("64"));
        n.getStatus().getAllocatable().put("memory", new Quantity("256Gi"));
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < shares.length; i++) {
            pods.add(boundTo(sharePod("held-" + i, shares[i]), "n"));
        }
        return state(n, pods);
    }

    static Stream<Arguments> declaredShares() {
        return Stream.of(
                arguments("a half GPU fits next to a half GPU", 1, List.of("0.5"), "0.5", true),
                arguments("a share that would pass one GPU is refused", 1, List.of("0.5", "0.3"), "0.3", false),
                arguments("a share that fills the GPU exactly fits", 1, List.of("0.5", "0.3"), "200m", true),
                arguments("a whole GPU needs a GPU with no sharer", 2, List.of("0.6", "0.6"), "1", false),
                arguments("small shares pack onto one GPU and leave the other whole", 2, List.of("0.1", "0.1"), "1", true),
                arguments("a whole GPU takes the idle GPU", 2, List.of("0.5"), "1", true),
                arguments("an undeclared replica counts as a tenth of a GPU on a node of 10 replicas", 1,
                        List.of("0.5", "0.4"), null, true),
                arguments("an undeclared replica does not fit beside 0.95", 1, List.of("0.95"), null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void declaredShares(String sentence, int gpus, List<String> held, String share, boolean fits) {
        Status s = new TimeSliceCapacity().filter(PodInfo.of(sharePod("p", share), POLICY), node(gpus, held.toArray(new String[0])));
        assertThat(s.isSuccess()).isEqualTo(fits);
        if (!fits) {
            assertThat(s.reason()).isEqualTo(Reason.GPU_SHARE_FULL);
            assertThat(s.message()).contains("declared GPU shares would pass one GPU");
        }
    }

    @ParameterizedTest(name = "a 0.25 pod beside co-tenants declaring {0} can expect {1}% of the GPU")
    @CsvSource({
            "'', 100",
            "0.5, 46",
            "0.7, 28"})
    void contentionUsesTheMeasuredCurveWithDeclaredShares(String held, int want) {
        NodeState n = held.isEmpty() ? node(1) : node(1, held);
        assertThat(new Contention().score(PodInfo.of(sharePod("p", "0.25"), POLICY), n)).isEqualTo(want);
    }

    /** A mix of two shapes: whole GPUs (4 CPU) 3/4 of the time, quarter GPUs (2 CPU) 1/4. */
    static WorkloadMix wholeAndQuarter() {
        return WorkloadMix.of(Map.of(new PodShape(4000, 0, 1, 1000, null), 3, new PodShape(2000, 0, 1, 250, null), 1), 1.0);
    }

    @ParameterizedTest(name = "free {0}, {1} CPU free: fragmentation {2} milli-GPU")
    @CsvSource({
            // whole-GPU shape: slivers < 1000 are unusable; quarter shape: slivers < 250.
            "1000 1000,  64000, 0",
            "1000 500,   64000, 375",       // 0.75 × 500
            "1000 200,   64000, 200",       // 0.75 × 200 + 0.25 × 200
            "500 500,    64000, 750",       // whole GPUs cannot run at all: 0.75 × 1000
            "1000 1000,  3000,  1500",      // not enough CPU for a whole-GPU task: 0.75 × 2000
            "1000 1000,  1000,  2000",      // neither shape fits
            "0 0,        64000, 0"})
    void fragmentationIsTheFreeCapacityEachShapeCannotUseWeightedByFrequency(String free, long cpuFree, double want) {
        int[] f = java.util.Arrays.stream(free.split(" ")).mapToInt(Integer::parseInt).toArray();
        FragState s = new FragState(cpuFree, FragState.UNKNOWN, "A100", 100, f);
        assertThat(wholeAndQuarter().fragmentation(s)).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aShapeOfAnotherGpuModelCannotUseAnythingOnTheNode() {
        WorkloadMix h100Only = WorkloadMix.of(Map.of(new PodShape(0, 0, 1, 500, "H100|H200"), 1), 1.0);
        assertThat(h100Only.fragmentation(new FragState(1000, 1000, "A100", 100, new int[]{1000}))).isEqualTo(1000);
        assertThat(h100Only.fragmentation(new FragState(1000, 1000, "H200", 100, new int[]{1000}))).isEqualTo(0);
    }

    @Test
    void theMixKeepsTheMostFrequentShapesUpToItsCoverage() {
        WorkloadMix mix = WorkloadMix.of(Map.of(new PodShape(1, 0, 1, 1000, null), 6, new PodShape(2, 0, 1, 500, null), 3,
                new PodShape(3, 0, 0, 0, null), 1), 0.9);
        assertThat(mix.size()).isEqualTo(2);
        assertThat(mix.weight(0)).isCloseTo(6 / 9.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void fragmentationPrefersTheNodeWhereAShareFillsASliverOverBreakingAnIdleGpu() {
        WorkloadMix mix = wholeAndQuarter();
        Fragmentation scorer = new Fragmentation(() -> mix);
        PodInfo quarter = fragmentationOnly(PodInfo.of(sharePod("p", "0.25"), POLICY));
        NodeState idle = node(2);
        NodeState halfUsed = node(2, "0.75");
        int[] raw = {scorer.score(quarter, idle), scorer.score(quarter, halfUsed)};
        // On the idle node the quarter breaks a whole GPU: +0.75 × 750 = +562.5; on the other it fills the
        // 250m sliver nobody else could use: -(0.75 × 250) = -187.5.
        assertThat(raw).containsExactly(-562, 188);
        scorer.normalize(quarter, raw);
        // 750 milli-GPU behind the best node is 150 points behind: nothing left of 100.
        assertThat(raw).containsExactly(0, 100);
        int[] close = {188, 188 - 5 * Fragmentation.MILLI_PER_POINT};
        scorer.normalize(quarter, close);
        assertThat(close).containsExactly(100, 95);
        Framework framework = Framework.standard(() -> mix);
        assertThat(framework.scoreAll(quarter, new NodeState[]{idle, halfUsed})).containsExactly(0, 10);
    }

    static PodInfo fragmentationOnly(PodInfo p) {
        return new PodInfo(p.passThrough(), p.passReason(), p.uid(), p.key(), p.priority(), p.workloadType(), p.mode(), p.pools(),
                p.migProfile(), p.mixedResource(), p.units(), p.contention(), new io.gpuslicer.policy.ScoringWeights(0, 0, 0, 1),
                null, p.shape());
    }

    @Test
    void withoutAWorkloadMixFragmentationHasNoOpinion() {
        assertThat(new Fragmentation(() -> WorkloadMix.EMPTY).appliesTo(PodInfo.of(sharePod("p", "0.25"), POLICY))).isFalse();
        assertThat(GpuShares.shareOf(0, node(1).inventory())).isEqualTo(100);
    }
}
