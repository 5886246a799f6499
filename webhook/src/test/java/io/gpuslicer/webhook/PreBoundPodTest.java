package io.gpuslicer.webhook;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static io.gpuslicer.webhook.Pods.typed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Point 7 of issue 7: a pod created with spec.nodeName bypasses the scheduler; its placement is left as written. */
class PreBoundPodTest {
    private static final Policy POLICY = PolicyLoader.defaultPolicy();

    static Stream<Arguments> preBoundPods() {
        return Stream.of(
                arguments("a time-sliced pod created on a node keeps no selector, affinity, tolerations or scheduler of ours",
                        new PodBuilder(typed("research").build()).editSpec().withNodeName("gpu-7").endSpec().build()),
                arguments("a MIG pod created on a node is not pinned to its MIG pool",
                        new PodBuilder(typed("production-inference").build()).editSpec().withNodeName("mig-3").endSpec().build()),
                arguments("a pod created on a node keeps the selector it wrote and nothing is added to it",
                        new PodBuilder(typed("training").build()).editSpec().withNodeName("gpu-7")
                                .withNodeSelector(Map.of("zone", "a")).endSpec().build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("preBoundPods")
    void placementIsUntouchedPriorityAndDecisionAreSet(String sentence, Pod pod) {
        Mutation m = new PodMutator().mutate(pod, Map.of(), POLICY, PriorityClasses.of(POLICY));
        assertThat(m).isInstanceOf(Mutation.Placed.class);
        Pod out = ((Mutation.Placed) m).pod();
        assertThat(out.getSpec().getNodeName()).isEqualTo(pod.getSpec().getNodeName());
        assertThat(out.getSpec().getNodeSelector()).isEqualTo(pod.getSpec().getNodeSelector());
        assertThat(out.getSpec().getAffinity()).isEqualTo(pod.getSpec().getAffinity());
        assertThat(out.getSpec().getTolerations()).isEqualTo(pod.getSpec().getTolerations());
        assertThat(out.getSpec().getSchedulerName()).isEqualTo(pod.getSpec().getSchedulerName());
        assertThat(out.getSpec().getPriorityClassName()).isNotNull();
        assertThat(out.getSpec().getPriority()).isNotNull();
        assertThat(out.getMetadata().getAnnotations()).containsKey(POLICY.vocabulary().decisionAnnotation());
        assertThat(((Mutation.Placed) m).warnings()).anyMatch(w -> w.contains("spec.nodeName"));
        Mutation again = new PodMutator().mutate(out, Map.of(), POLICY, PriorityClasses.of(POLICY));
        assertThat(((Mutation.Placed) again).pod()).as("idempotent").isEqualTo(out);
    }
}
