package io.gpuslicer.webhook;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.gpuslicer.policy.Decision;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import io.gpuslicer.policy.PriorityClassSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static io.gpuslicer.webhook.Pods.gpuPod;
import static io.gpuslicer.webhook.Pods.preferredTerms;
import static io.gpuslicer.webhook.Pods.requiredTerms;
import static io.gpuslicer.webhook.Pods.tolerations;
import static io.gpuslicer.webhook.Pods.typed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class PodMutatorTest {
    private static final Policy POLICY = PolicyLoader.defaultPolicy();
    private static final PriorityClasses FROM_POLICY = PriorityClasses.of(POLICY);
    private static final String TS = "gpu=true:NoSchedule";
    private static final String MIG = "gpu=mig:NoSchedule";

    private final PodMutator mutator = new PodMutator();

    private Mutation.Placed place(Pod pod, Map<String, String> nsLabels, PriorityClasses classes) {
        Mutation m = mutator.mutate(pod, nsLabels, POLICY, classes);
        assertThat(m).isInstanceOf(Mutation.Placed.class);
        return (Mutation.Placed) m;
    }

    private Mutation.Placed place(Pod pod) {
        return place(pod, Map.of(), FROM_POLICY);
    }

    private static Map<String, String> pool(String workloadType) {
        return Map.of("workload-type", "In " + workloadType);
    }

    private static Map<String, String> migPool(String workloadType, String profile) {
        return Map.of("workload-type", "In " + workloadType, "mig-profile", "In " + profile);
    }

    static Stream<Arguments> workloadTypes() {
        return Stream.of(
                arguments("a research pod may use the research, development and batch pools, research first",
                        typed("research").build(), Map.of(),
                        List.of(pool("research"), pool("development"), pool("batch-inference")), List.of(100, 50, 25), TS, "research", 100),
                arguments("a development pod may use the development and research pools",
                        typed("development").build(), Map.of(),
                        List.of(pool("development"), pool("research")), List.of(100, 50), TS, "research", 100),
                arguments("a training pod may use the training and fine-tuning pools with the training class",
                        typed("training").build(), Map.of(),
                        List.of(pool("training"), pool("fine-tuning")), List.of(100, 50), TS, "training", 500),
                arguments("a fine-tuning pod prefers the H100 pool and falls back to training",
                        typed("fine-tuning").build(), Map.of(),
                        List.of(pool("fine-tuning"), pool("training")), List.of(100, 50), TS, "training", 500),
                arguments("a batch-inference pod may use the batch and research pools",
                        typed("batch-inference").build(), Map.of(),
                        List.of(pool("batch-inference"), pool("research")), List.of(100, 50), TS, "research", 100),
                arguments("a production-inference pod without a profile is pinned to the first MIG pool by nodeSelector",
                        typed("production-inference").build(),
                        Map.of("workload-type", "production-inference", "mig-profile", "3g.40gb"), List.of(), List.of(), MIG, "production-inference", 1000),
                arguments("a production-inference pod requesting nvidia.com/mig-1g.10gb is pinned to the 1g.10gb pool",
                        gpuPod("nvidia.com/mig-1g.10gb", 1).editMetadata().addToLabels("gpuslicer.io/workload-type", "production-inference").endMetadata().build(),
                        Map.of("workload-type", "production-inference", "mig-profile", "1g.10gb"), List.of(), List.of(), MIG, "production-inference", 1000),
                arguments("a critical-agents pod is pinned to the 2g.20gb MIG pool",
                        typed("critical-agents").build(),
                        Map.of("workload-type", "critical-agents", "mig-profile", "2g.20gb"), List.of(), List.of(), MIG, "production-inference", 1000),
                arguments("a GPU pod without a type gets the policy default (development)",
                        gpuPod().build(), Map.of(),
                        List.of(pool("development"), pool("research")), List.of(100, 50), TS, "research", 100));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloadTypes")
    void placesEveryWorkloadTypeOfTheDefaultPolicy(String name, Pod pod, Map<String, String> nodeSelector,
                                                   List<Map<String, String>> required, List<Integer> weights,
                                                   String toleration, String priorityClass, int priority) {
        Pod out = place(pod).pod();

        assertThat(out.getSpec().getNodeSelector()).isEqualTo(nodeSelector);
        assertThat(requiredTerms(out)).isEqualTo(required);
        assertThat(preferredTerms(out)).isEqualTo(java.util.stream.IntStream.range(0, weights.size())
                .mapToObj(i -> weights.get(i) + ":" + required.get(i)).toList());
        assertThat(tolerations(out)).containsExactly("node.kubernetes.io/not-ready:NoExecute", toleration);
        assertThat(out.getSpec().getPriorityClassName()).isEqualTo(priorityClass);
        assertThat(out.getSpec().getPriority()).isEqualTo(priority);
        assertThat(out.getSpec().getPreemptionPolicy()).isEqualTo("PreemptLowerPriority");
        assertThat(out.getSpec().getSchedulerName()).isEqualTo("gpu-slicer-scheduler");
        assertThat(Decision.parse(out.getMetadata().getAnnotations().get("gpuslicer.io/decision"))).isPresent();
    }

    @ParameterizedTest(name = "{0}: a second pass changes nothing")
    @MethodSource("workloadTypes")
    void isIdempotent(String name, Pod pod) {
        Pod once = place(pod).pod();
        Pod twice = place(once).pod();
        assertThat(twice).isEqualTo(once);
    }

    @ParameterizedTest(name = "{0}: the input pod is left untouched")
    @MethodSource("workloadTypes")
    void neverModifiesItsInput(String name, Pod pod) {
        Pod copy = new PodBuilder(pod).build();
        place(pod);
        assertThat(pod).isEqualTo(copy);
    }

    static Stream<Arguments> notPlaced() {
        return Stream.of(
                arguments("a pod without a GPU request is skipped",
                        new PodBuilder().withNewMetadata().withName("web").endMetadata()
                                .withNewSpec().addNewContainer().withName("c").endContainer().endSpec().build(),
                        Map.of(), null),
                arguments("a pod labelled with an unknown workload type is denied, naming the known types",
                        typed("gaming").build(), Map.of(),
                        "unknown workload type \"gaming\" (gpuslicer.io/workload-type on the pod); known types: research, development, "
                                + "training, fine-tuning, batch-inference, production-inference, critical-agents"),
                arguments("a namespace defaulting to an unknown workload type denies its GPU pods",
                        gpuPod().build(), Map.of("gpuslicer.io/workload-type", "gaming"),
                        "unknown workload type \"gaming\" (gpuslicer.io/workload-type on the namespace); known types: research, "
                                + "development, training, fine-tuning, batch-inference, production-inference, critical-agents"),
                arguments("a time-sliced workload type requesting a MIG device is denied",
                        gpuPod("nvidia.com/mig-1g.10gb", 1).editMetadata().addToLabels("gpuslicer.io/workload-type", "research").endMetadata().build(),
                        Map.of(), "workload type research uses time-slicing GPUs but the pod requests nvidia.com/mig-1g.10gb; "
                                + "request nvidia.com/gpu or choose a MIG workload type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notPlaced")
    void leavesAloneOrDenies(String name, Pod pod, Map<String, String> nsLabels, String denial) {
        Mutation m = mutator.mutate(pod, nsLabels, POLICY, FROM_POLICY);
        if (denial == null) {
            assertThat(m).isEqualTo(new Mutation.Skipped());
        } else {
            assertThat(m).isEqualTo(new Mutation.Denied(denial));
        }
    }

    @Test
    void takesTheWorkloadTypeFromTheNamespaceWhenThePodHasNone() {
        Mutation.Placed placed = place(gpuPod().build(), Map.of("gpuslicer.io/workload-type", "training"), FROM_POLICY);
        assertThat(placed.decision().workloadType()).isEqualTo("training");
        assertThat(placed.decision().pools()).containsExactly("a100-training", "h100-fine-tuning");
    }

    @Test
    void aPodLabelBeatsTheNamespaceDefault() {
        Mutation.Placed placed = place(typed("research").build(), Map.of("gpuslicer.io/workload-type", "training"), FROM_POLICY);
        assertThat(placed.decision().workloadType()).isEqualTo("research");
    }

    @Test
    void writesTheDecisionAnnotationWithThePolicyVersion() {
        Pod out = place(typed("critical-agents").build()).pod();
        assertThat(out.getMetadata().getAnnotations()).containsEntry("gpuslicer.io/decision",
                "{\"type\":\"critical-agents\",\"mode\":\"mig\",\"pools\":[\"mig-2g20gb\"],\"migProfile\":\"2g.20gb\",\"policy\":\""
                        + POLICY.version() + "\"}");
    }

    @Test
    void aUserNodeSelectorValueWinsOverThePoolsAndIsReported() {
        Pod pod = typed("critical-agents").editSpec().addToNodeSelector("mig-profile", "1g.10gb").addToNodeSelector("zone", "a").endSpec().build();
        Mutation.Placed placed = place(pod);
        assertThat(placed.pod().getSpec().getNodeSelector())
                .isEqualTo(Map.of("mig-profile", "1g.10gb", "zone", "a", "workload-type", "critical-agents"));
        assertThat(placed.warnings()).containsExactly("nodeSelector mig-profile=1g.10gb kept; pool mig-2g20gb wants mig-profile=2g.20gb");
    }

    @Test
    void aUserNodeSelectorNamingOneFallbackPoolNarrowsThePlacementToIt() {
        Pod pod = typed("research").editSpec().addToNodeSelector("workload-type", "batch-inference").endSpec().build();
        Mutation.Placed placed = place(pod);
        assertThat(placed.pod().getSpec().getNodeSelector()).isEqualTo(Map.of("workload-type", "batch-inference"));
        assertThat(requiredTerms(placed.pod())).isEmpty();
        assertThat(placed.warnings()).containsExactly("nodeSelector excludes pool(s) a100-research, a100-development");
    }

    @Test
    void otherUserNodeSelectorKeysStayNextToTheAffinity() {
        Pod pod = typed("development").editSpec().addToNodeSelector("zone", "a").endSpec().build();
        Mutation.Placed placed = place(pod);
        assertThat(placed.pod().getSpec().getNodeSelector()).isEqualTo(Map.of("zone", "a"));
        assertThat(requiredTerms(placed.pod())).containsExactly(pool("development"), pool("research"));
        assertThat(placed.warnings()).isEmpty();
    }

    @Test
    void existingRequiredAffinityTermsAreAndedWithEachPoolTerm() {
        Pod pod = typed("development").editSpec().withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addToMatchExpressions(new NodeSelectorRequirementBuilder().withKey("zone").withOperator("In").withValues("a").build()).endNodeSelectorTerm()
                .addNewNodeSelectorTerm().addToMatchExpressions(new NodeSelectorRequirementBuilder().withKey("rack").withOperator("Exists").build()).endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec().build();
        Pod out = place(pod).pod();
        assertThat(requiredTerms(out)).containsExactly(
                Map.of("zone", "In a", "workload-type", "In development"),
                Map.of("zone", "In a", "workload-type", "In research"),
                Map.of("rack", "Exists ", "workload-type", "In development"),
                Map.of("rack", "Exists ", "workload-type", "In research"));
        assertThat(place(out).pod()).as("a second pass keeps the combined terms").isEqualTo(out);
    }

    @Test
    void poolTolerationsAreAddedOnceAndTheUsersAreKept() {
        Pod pod = typed("research").editSpec()
                .addToTolerations(new TolerationBuilder().withKey("gpu").withValue("true").withEffect("NoSchedule").build())
                .addToTolerations(new TolerationBuilder().withKey("team").withOperator("Exists").build())
                .endSpec().build();
        assertThat(tolerations(place(pod).pod()))
                .containsExactly("node.kubernetes.io/not-ready:NoExecute", "gpu=true:NoSchedule", "team:null");
    }

    @Test
    void aUserPriorityClassStaysAndItsStampedPriorityIsLeftAlone() {
        Pod pod = typed("training").editSpec().withPriorityClassName("batch-low").withPriority(7).endSpec().build();
        Mutation.Placed placed = place(pod);
        assertThat(placed.pod().getSpec().getPriorityClassName()).isEqualTo("batch-low");
        assertThat(placed.pod().getSpec().getPriority()).isEqualTo(7);
        assertThat(placed.warnings()).containsExactly("priorityClassName batch-low kept; the workload type's class is training");
    }

    @Test
    void priorityAndPreemptionPolicyComeFromTheClusterClass() {
        PriorityClasses cluster = name -> Optional.of(new PriorityClassSpec(name, 4242, "Never"));
        Pod out = place(typed("research").build(), Map.of(), cluster).pod();
        assertThat(out.getSpec().getPriorityClassName()).isEqualTo("research");
        assertThat(out.getSpec().getPriority()).isEqualTo(4242);
        assertThat(out.getSpec().getPreemptionPolicy()).isEqualTo("Never");
    }

    @Test
    void aClassNobodyKnowsGetsItsStampedPriorityRemovedSoTheApiServerComputesIt() {
        Pod out = place(typed("research").build(), Map.of(), name -> Optional.empty()).pod();
        assertThat(out.getSpec().getPriorityClassName()).isEqualTo("research");
        assertThat(out.getSpec().getPriority()).isNull();
        assertThat(out.getSpec().getPreemptionPolicy()).isNull();
    }

    static Stream<Arguments> schedulers() {
        return Stream.of(
                arguments("a pod on the default scheduler is handed to the policy's scheduler", "default-scheduler", "gpu-slicer-scheduler", false),
                arguments("a pod naming no scheduler is handed to the policy's scheduler", null, "gpu-slicer-scheduler", false),
                arguments("a pod naming another scheduler keeps it, with a warning", "volcano", "volcano", true),
                arguments("a pod already on the policy's scheduler keeps it silently", "gpu-slicer-scheduler", "gpu-slicer-scheduler", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void setsTheSchedulerOnlyInPlaceOfTheDefault(String name, String podScheduler, String expected, boolean warned) {
        Mutation.Placed placed = place(typed("research").editSpec().withSchedulerName(podScheduler).endSpec().build());
        assertThat(placed.pod().getSpec().getSchedulerName()).isEqualTo(expected);
        assertThat(placed.warnings()).hasSize(warned ? 1 : 0);
    }

    @Test
    void aPolicyWithoutSchedulerLeavesSchedulerNameAlone() {
        Policy noScheduler = ((PolicyLoader.Loaded) PolicyLoader.parse(
                PolicyLoader.defaultPolicyText().replace("schedulerName: gpu-slicer-scheduler\n", ""))).policy();
        Mutation m = mutator.mutate(typed("research").build(), Map.of(), noScheduler, PriorityClasses.of(noScheduler));
        assertThat(((Mutation.Placed) m).pod().getSpec().getSchedulerName()).isEqualTo("default-scheduler");
    }

    @Test
    void aPodFromAControllerWithOnlyGenerateNameIsPlaced() {
        Pod pod = typed("research").editMetadata().withName(null).withGenerateName("job-").endMetadata().build();
        Mutation.Placed placed = place(pod);
        assertThat(placed.pod().getMetadata().getName()).isNull();
        assertThat(placed.pod().getMetadata().getGenerateName()).isEqualTo("job-");
    }

    @Test
    void preferredWeightsStayStrictlyDecreasingForLongFallbackLists() {
        for (int count = 1; count <= 20; count++) {
            for (int rank = 0; rank < count; rank++) {
                int w = PlacementPlan.weight(rank, count);
                assertThat(w).isBetween(1, 100);
                if (rank > 0) {
                    assertThat(w).isLessThan(PlacementPlan.weight(rank - 1, count));
                }
            }
        }
    }
}
