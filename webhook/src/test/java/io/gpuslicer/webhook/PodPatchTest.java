package io.gpuslicer.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static io.gpuslicer.webhook.Pods.typed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The patch diffs only the fields the mutator writes; that must equal diffing the whole pods. */
class PodPatchTest {
    private static final Policy POLICY = PolicyLoader.defaultPolicy();
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> pods() {
        Stream<Arguments> extra = Stream.of(
                arguments("a pod with its own required affinity", typed("research").editSpec().withNewAffinity().withNewNodeAffinity()
                        .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
                        .addToMatchExpressions(new NodeSelectorRequirementBuilder().withKey("zone").withOperator("In").withValues("a").build())
                        .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec().build()),
                arguments("a pod with annotations and a user nodeSelector", typed("critical-agents").editMetadata().addToAnnotations("a", "b")
                        .endMetadata().editSpec().addToNodeSelector("mig-profile", "1g.10gb").endSpec().build()),
                arguments("a pod naming its own priority class", typed("training").editSpec().withPriorityClassName("x").endSpec().build()));
        return Stream.concat(PodMutatorTest.workloadTypes().map(a -> arguments(a.get()[0], a.get()[1])), extra);
    }

    @ParameterizedTest(name = "{0}: the projected patch equals the whole-pod patch")
    @MethodSource("pods")
    void projectionEqualsWholePodDiff(String name, Pod pod) {
        for (PriorityClasses classes : new PriorityClasses[]{PriorityClasses.of(POLICY), n -> Optional.empty()}) {
            Pod placed = ((Mutation.Placed) new PodMutator().mutate(pod, Map.of(), POLICY, classes)).pod();
            // The ops touch disjoint paths, so their order carries no meaning.
            assertThat(PodPatch.diff(JSON, pod, placed)).isNotEmpty()
                    .containsExactlyInAnyOrderElementsOf(PodPatch.diffWhole(JSON, pod, placed));
        }
    }
}
