package io.gpuslicer.webhook;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import io.gpuslicer.policy.PriorityClassSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.gpuslicer.webhook.Pods.typed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * In a cluster with a {@code globalDefault} PriorityClass the API server writes that class's name, value and
 * preemption policy onto every pod created without a class, before the webhook sees it. That name is not the
 * author's choice: the workload type's class replaces it. A class the author did name is kept.
 */
class GlobalDefaultPriorityTest {
    private static final Policy POLICY = PolicyLoader.defaultPolicy();

    /** The cluster: a global default "cluster-default" (7, Never) and an unrelated "batch-low" (5). */
    private static final PriorityClasses CLUSTER = new PriorityClasses() {
        private final Map<String, PriorityClassSpec> classes = Map.of(
                "cluster-default", new PriorityClassSpec("cluster-default", 7, "Never"),
                "batch-low", new PriorityClassSpec("batch-low", 5, "PreemptLowerPriority"));

        @Override
        public Optional<PriorityClassSpec> find(String name) {
            return Optional.ofNullable(classes.get(name));
        }

        @Override
        public Optional<String> globalDefault() {
            return Optional.of("cluster-default");
        }
    }.orElse(PriorityClasses.of(POLICY));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "a pod stamped with the global default gets the workload type's class and values; cluster-default; 7; Never;                research; 100; PreemptLowerPriority; 0",
            "a pod whose author named another class keeps it, with a warning;                  batch-low;       5; PreemptLowerPriority; batch-low; 5;   PreemptLowerPriority; 1",
            "a pod without any class gets the workload type's class;                           '';              0; PreemptLowerPriority; research; 100; PreemptLowerPriority; 0"})
    void theGlobalDefaultIsNotTheAuthorsChoice(String name, String stampedClass, int stampedPriority, String stampedPreemption,
                                               String wantClass, int wantPriority, String wantPreemption, int warnings) {
        Pod pod = typed("research").editSpec()
                .withPriorityClassName(stampedClass.isEmpty() ? null : stampedClass)
                .withPriority(stampedPriority).withPreemptionPolicy(stampedPreemption).endSpec().build();

        Mutation m = new PodMutator().mutate(pod, Map.of(), POLICY, CLUSTER);

        Pod out = ((Mutation.Placed) m).pod();
        assertThat(out.getSpec().getPriorityClassName()).isEqualTo(wantClass);
        assertThat(out.getSpec().getPriority()).isEqualTo(wantPriority);
        assertThat(out.getSpec().getPreemptionPolicy()).isEqualTo(wantPreemption);
        List<String> priorityWarnings = new ArrayList<>(((Mutation.Placed) m).warnings());
        priorityWarnings.removeIf(w -> !w.startsWith("priorityClassName"));
        assertThat(priorityWarnings).hasSize(warnings);
    }
}
