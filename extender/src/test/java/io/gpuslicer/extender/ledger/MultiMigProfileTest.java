package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Node;
import io.gpuslicer.policy.NvidiaKeys;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Point 6 of issue 7: a pod holding several MIG profiles (mixed strategy) is counted for every one of them. */
class MultiMigProfileTest {

    /** A mixed-strategy node with 7 x 1g.10gb and 2 x 3g.40gb instances. */
    static Node mixedNode() {
        Map<String, String> labels = new HashMap<>(poolLabels("mig-1g10gb"));
        labels.put(NvidiaKeys.GPU_PRODUCT, "NVIDIA-A100-SXM4-80GB");
        labels.put(NvidiaKeys.GPU_COUNT, "2");
        labels.put(NvidiaKeys.MIG_STRATEGY, "mixed");
        return node("n", labels, Map.of(NvidiaKeys.migResource("1g.10gb"), 7, NvidiaKeys.migResource("3g.40gb"), 2));
    }

    static Stream<Arguments> profiles() {
        return Stream.of(
                arguments("a pod holding 1g.10gb and 3g.40gb instances uses its 1g.10gb instances", "1g.10gb", 2),
                arguments("a pod holding 1g.10gb and 3g.40gb instances uses its 3g.40gb instance too", "3g.40gb", 1),
                arguments("a profile the pod does not hold is left free", "2g.20gb", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void profiles(String sentence, String profile, int used) {
        NodeState node = state(mixedNode(), List.of(boundTo(pod("two-profiles",
                Map.of(NvidiaKeys.migResource("1g.10gb"), 2, NvidiaKeys.migResource("3g.40gb"), 1), Map.of()), "n")));
        assertThat(node.usedMig(profile)).isEqualTo(used);
        assertThat(node.usage().pods().get(0).allMigUnits()).isEqualTo(3);
    }

    static Stream<Arguments> filter() {
        return Stream.of(
                arguments("a 3g.40gb pod finds one instance left beside the two-profile pod", 0, true),
                arguments("a 3g.40gb pod finds none left when another pod holds the second instance", 1, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void filter(String sentence, int otherHolders, boolean fits) {
        List<io.fabric8.kubernetes.api.model.Pod> pods = new java.util.ArrayList<>();
        pods.add(boundTo(pod("two-profiles", Map.of(NvidiaKeys.migResource("1g.10gb"), 2, NvidiaKeys.migResource("3g.40gb"), 1), Map.of()), "n"));
        for (int i = 0; i < otherHolders; i++) {
            pods.add(boundTo(mixedMigPod("holder-" + i, "production-inference", "3g.40gb"), "n"));
        }
        NodeState node = state(mixedNode(), pods);
        assertThat(node.freeMig("3g.40gb") >= 1).isEqualTo(fits);
    }
}
