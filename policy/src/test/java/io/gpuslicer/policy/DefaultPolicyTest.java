package io.gpuslicer.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in policy reproduces the reference strategy of DESIGN.md. */
class DefaultPolicyTest {
    private final Policy policy = PolicyLoader.defaultPolicy();

    @ParameterizedTest(name = "{0} uses pools {1} at priority class {2}")
    @CsvSource(delimiter = ';', value = {
            "research;             a100-research a100-development a100-batch; research",
            "development;          a100-development a100-research;             research",
            "training;             a100-training h100-fine-tuning;             training",
            "fine-tuning;          h100-fine-tuning a100-training;             training",
            "batch-inference;      a100-batch a100-research;                   research",
            "production-inference; mig-3g40gb mig-1g10gb;                      production-inference",
            "critical-agents;      mig-2g20gb;                                 production-inference"})
    void workloadTypesMapToTheReferencePools(String type, String pools, String priorityClass) {
        WorkloadType t = policy.workloadType(type).orElseThrow();

        assertThat(t.pools()).extracting(Pool::name).containsExactly(pools.split(" "));
        assertThat(t.priorityClass()).isEqualTo(priorityClass);
    }

    @Test
    void priorityClassesHaveTheReferenceValues() {
        assertThat(policy.priorityClasses()).hasSize(3);
        assertThat(policy.priorityClass("production-inference").orElseThrow().value()).isEqualTo(1000);
        assertThat(policy.priorityClass("training").orElseThrow().value()).isEqualTo(500);
        assertThat(policy.priorityClass("research").orElseThrow().value()).isEqualTo(100);
        assertThat(policy.priorityClass("research").orElseThrow().preemptionPolicy()).isEqualTo("PreemptLowerPriority");
    }

    @Test
    void migPoolsAreToldApartByProfileAndTaintedForMig() {
        Pool small = policy.pools().get("mig-1g10gb");

        assertThat(small.mode()).isEqualTo(SharingMode.MIG);
        assertThat(small.nodeSelector()).isEqualTo(Map.of("workload-type", "production-inference", "mig-profile", "1g.10gb"));
        assertThat(small.tolerations()).containsExactly(new TolerationSpec("gpu", "Equal", "mig", "NoSchedule", null));
        assertThat(policy.pools().get("a100-research").tolerations())
                .containsExactly(new TolerationSpec("gpu", "Equal", "true", "NoSchedule", null));
    }

    @Test
    void topLevelSettingsAreThoseOfTheReference() {
        assertThat(policy.defaultWorkloadType()).isEqualTo("development");
        assertThat(policy.schedulerName()).isEqualTo("gpu-slicer-scheduler");
        assertThat(policy.nodeSelectorConflict()).isEqualTo(Policy.SelectorConflict.WARN);
        assertThat(policy.workloadTypeLabel()).isEqualTo("gpuslicer.io/workload-type");
        assertThat(policy.contention()).isEqualTo(new Contention(4, Contention.Strategy.SPREAD));
        assertThat(policy.scoring()).isEqualTo(new ScoringWeights(5, 3, 2, 2));
        assertThat(policy.version()).hasSize(12);
    }

    @Test
    void theVersionChangesWithTheTextAndOnlyWithIt() {
        String text = PolicyLoader.defaultPolicyText();
        Policy again = ((PolicyLoader.Loaded) PolicyLoader.parse(text)).policy();
        Policy changed = ((PolicyLoader.Loaded) PolicyLoader.parse(text.replace("maxSharersPerGpu: 4", "maxSharersPerGpu: 3"))).policy();

        assertThat(again.version()).isEqualTo(policy.version());
        assertThat(changed.version()).isNotEqualTo(policy.version());
    }

    @Test
    void priorityClassesMayBeWrittenWithAPreemptionPolicy() {
        String text = PolicyLoader.defaultPolicyText().replace("research: 100\n", "research: {value: 100, preemptionPolicy: Never}\n");

        Policy p = ((PolicyLoader.Loaded) PolicyLoader.parse(text)).policy();

        assertThat(p.priorityClass("research").orElseThrow()).isEqualTo(new PriorityClassSpec("research", 100, "Never"));
        assertThat(List.copyOf(p.priorityClasses().keySet())).containsExactly("production-inference", "training", "research");
    }
}
