package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Node;
import io.gpuslicer.extender.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class NodeInventoriesTest {

    record Want(GpuKind kind, int physicalGpus, int replicaCapacity, int replicasPerGpu, Map<String, Integer> mig) {
    }

    static Stream<Arguments> gpuInventory() {
        return Stream.of(
                arguments("replicas per GPU are allocatable ÷ gpu.count when GFD's replicas label is per GPU",
                        Map.of("nvidia.com/gpu.count", "8", "nvidia.com/gpu.replicas", "3"), Map.of("nvidia.com/gpu", 24),
                        new Want(GpuKind.SHARED, 8, 24, 3, Map.of())),
                arguments("replicas per GPU are allocatable ÷ gpu.count when GFD's replicas label is the total",
                        Map.of("nvidia.com/gpu.count", "8", "nvidia.com/gpu.replicas", "24"), Map.of("nvidia.com/gpu", 24),
                        new Want(GpuKind.SHARED, 8, 24, 3, Map.of())),
                arguments("without gpu.count the replicas label is read per GPU",
                        Map.of("nvidia.com/gpu.replicas", "4"), Map.of("nvidia.com/gpu", 16),
                        new Want(GpuKind.SHARED, 4, 16, 4, Map.of())),
                arguments("renamed shared replicas count as replicas",
                        Map.of("nvidia.com/gpu.count", "2"), Map.of("nvidia.com/gpu.shared", 8),
                        new Want(GpuKind.SHARED, 2, 8, 4, Map.of())),
                arguments("one replica per GPU and no sharing strategy is whole GPUs",
                        Map.of("nvidia.com/gpu.count", "8", "nvidia.com/gpu.replicas", "1"), Map.of("nvidia.com/gpu", 8),
                        new Want(GpuKind.WHOLE, 8, 8, 1, Map.of())),
                arguments("the mig.strategy label alone does not make a node MIG",
                        Map.of("nvidia.com/gpu.count", "8", "nvidia.com/mig.strategy", "single", "nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB"),
                        Map.of("nvidia.com/gpu", 8), new Want(GpuKind.WHOLE, 8, 8, 1, Map.of())),
                arguments("under MIG single every nvidia.com/gpu is an instance of the product's profile",
                        Map.of("nvidia.com/gpu.count", "8", "nvidia.com/mig.strategy", "single", "nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB-MIG-3g.40gb"),
                        Map.of("nvidia.com/gpu", 16), new Want(GpuKind.MIG_SINGLE, 8, 16, 1, Map.of("3g.40gb", 16))),
                arguments("under MIG mixed the instances are nvidia.com/mig-<profile> resources",
                        Map.of("nvidia.com/gpu.count", "2", "nvidia.com/mig.strategy", "mixed"),
                        Map.of("nvidia.com/mig-1g.10gb", 7, "nvidia.com/mig-3g.40gb", 2),
                        new Want(GpuKind.MIG_MIXED, 2, 0, 1, Map.of("1g.10gb", 7, "3g.40gb", 2))),
                arguments("under MIG mixed the count labels stand in until the device plugin reports",
                        Map.of("nvidia.com/mig.strategy", "mixed", "nvidia.com/mig-2g.20gb.count", "6"), Map.of(),
                        new Want(GpuKind.MIG_MIXED, 2, 0, 1, Map.of("2g.20gb", 6))),
                arguments("a node without GPU resources has no GPU", Map.of(), Map.of(), new Want(GpuKind.NONE, 0, 0, 0, Map.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void gpuInventory(String sentence, Map<String, String> labels, Map<String, Integer> allocatable, Want want) {
        NodeInventory inv = NodeInventories.of(node("n", labels, allocatable));
        assertThat(new Want(inv.kind(), inv.physicalGpus(), inv.replicaCapacity(), inv.replicasPerGpu(), inv.migCapacity()))
                .isEqualTo(want);
    }

    @Test
    void theCapturedSampleNodeIsReadAsEightA100sWithThreeReplicasEach() throws Exception {
        Node node = Samples.JSON.treeToValue(Samples.tree("extender-ncc-false-filter-request.json").path("Nodes").path("items").get(0), Node.class);
        NodeInventory inv = NodeInventories.of(node);
        assertThat(inv.name()).isEqualTo("gpu-node-1");
        assertThat(inv.product()).isEqualTo("NVIDIA-A100-SXM4-80GB");
        assertThat(inv.kind()).isEqualTo(GpuKind.SHARED);
        assertThat(inv.physicalGpus()).isEqualTo(8);
        assertThat(inv.replicasPerGpu()).isEqualTo(3);
    }

    @Test
    void taintsAndMigConfigStateAreKept() {
        Node n = new io.fabric8.kubernetes.api.model.NodeBuilder(node("n", Map.of("nvidia.com/mig.config.state", "pending"), Map.of()))
                .editOrNewSpec().addNewTaint().withKey("gpu").withValue("mig").withEffect("NoSchedule").endTaint().endSpec().build();
        NodeInventory inv = NodeInventories.of(n);
        assertThat(inv.taints()).containsExactly(new NodeTaint("gpu", "mig", "NoSchedule"));
        assertThat(inv.migConfigState()).isEqualTo("pending");
    }
}
