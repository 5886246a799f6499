package io.gpuslicer.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class WorkloadClassifierTest {
    private static final Policy POLICY = PolicyLoader.defaultPolicy();
    private static final String TYPE = "gpuslicer.io/workload-type";
    private static final String PROFILE = "gpuslicer.io/mig-profile";
    private static final GpuRequest ONE_GPU = new GpuRequest(Map.of(NvidiaKeys.GPU, 1L));

    private static GpuRequest mig(String profile) {
        return new GpuRequest(Map.of(NvidiaKeys.migResource(profile), 1L));
    }

    static Stream<Arguments> placements() {
        return Stream.of(
                arguments("the pod label names the type", Map.of(TYPE, "research"), Map.of(), ONE_GPU,
                        "research", Classification.Source.POD_LABEL, List.of("a100-research", "a100-development", "a100-batch"), null),
                arguments("the pod label wins over the namespace label", Map.of(TYPE, "training"), Map.of(TYPE, "research"), ONE_GPU,
                        "training", Classification.Source.POD_LABEL, List.of("a100-training", "h100-fine-tuning"), null),
                arguments("the namespace label is the default for unlabelled pods", Map.of(), Map.of(TYPE, "fine-tuning"), ONE_GPU,
                        "fine-tuning", Classification.Source.NAMESPACE_LABEL, List.of("h100-fine-tuning", "a100-training"), null),
                arguments("the policy default applies when neither pod nor namespace says", Map.of(), Map.of(), ONE_GPU,
                        "development", Classification.Source.POLICY_DEFAULT, List.of("a100-development", "a100-research"), null),
                arguments("an empty label value counts as absent", Map.of(TYPE, ""), Map.of(TYPE, "batch-inference"), ONE_GPU,
                        "batch-inference", Classification.Source.NAMESPACE_LABEL, List.of("a100-batch", "a100-research"), null),
                arguments("a MIG pod without profile gets the first pool's profile", Map.of(TYPE, "production-inference"), Map.of(), ONE_GPU,
                        "production-inference", Classification.Source.POD_LABEL, List.of("mig-3g40gb"), "3g.40gb"),
                arguments("a MIG pod's profile label picks its pool", Map.of(TYPE, "production-inference", PROFILE, "1g.10gb"), Map.of(), ONE_GPU,
                        "production-inference", Classification.Source.POD_LABEL, List.of("mig-1g10gb"), "1g.10gb"),
                arguments("a mixed-strategy MIG request picks its pool", Map.of(TYPE, "production-inference"), Map.of(), mig("1g.10gb"),
                        "production-inference", Classification.Source.POD_LABEL, List.of("mig-1g10gb"), "1g.10gb"),
                arguments("the MIG request wins over the profile label", Map.of(TYPE, "production-inference", PROFILE, "3g.40gb"), Map.of(), mig("1g.10gb"),
                        "production-inference", Classification.Source.POD_LABEL, List.of("mig-1g10gb"), "1g.10gb"),
                arguments("critical agents are pinned to the 2g.20gb pool", Map.of(TYPE, "critical-agents"), Map.of(), ONE_GPU,
                        "critical-agents", Classification.Source.POD_LABEL, List.of("mig-2g20gb"), "2g.20gb"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void placesThePod(String name, Map<String, String> podLabels, Map<String, String> nsLabels, GpuRequest request,
                      String type, Classification.Source source, List<String> pools, String profile) {
        Classification c = WorkloadClassifier.classify(POLICY, podLabels, nsLabels, request);

        assertThat(c).isInstanceOf(Classification.Placement.class);
        Classification.Placement p = (Classification.Placement) c;
        assertThat(p.workloadType().name()).isEqualTo(type);
        assertThat(p.source()).isEqualTo(source);
        assertThat(p.pools()).extracting(Pool::name).containsExactlyElementsOf(pools);
        assertThat(p.migProfile()).isEqualTo(profile);
    }

    static Stream<Arguments> denials() {
        return Stream.of(
                arguments("an unknown type is denied with the known types listed", Map.of(TYPE, "gaming"), ONE_GPU,
                        "unknown workload type \"gaming\"", "research, development, training"),
                arguments("a MIG profile the type does not offer is denied", Map.of(TYPE, "production-inference", PROFILE, "2g.20gb"), ONE_GPU,
                        "MIG profile 2g.20gb is not offered", "offered: 3g.40gb, 1g.10gb"),
                arguments("a MIG request on a time-sliced type is denied", Map.of(TYPE, "research"), mig("1g.10gb"),
                        "nvidia.com/mig-1g.10gb", "MIG workload type"),
                arguments("two MIG profiles in one pod are denied", Map.of(TYPE, "production-inference"),
                        new GpuRequest(Map.of(NvidiaKeys.migResource("1g.10gb"), 1L, NvidiaKeys.migResource("3g.40gb"), 1L)),
                        "several MIG profiles", "exactly one"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("denials")
    void deniesWithAClearMessage(String name, Map<String, String> podLabels, GpuRequest request, String part1, String part2) {
        Classification c = WorkloadClassifier.classify(POLICY, podLabels, Map.of(), request);

        assertThat(c).isInstanceOf(Classification.Denial.class);
        assertThat(((Classification.Denial) c).message()).contains(part1).contains(part2);
    }

    @org.junit.jupiter.api.Test
    void withoutADefaultTypeAnUnlabelledPodIsDeniedNamingTheLabel() {
        Policy noDefault = ((PolicyLoader.Loaded) PolicyLoader.parse(
                PolicyLoader.defaultPolicyText().replace("defaultWorkloadType: development\n", ""))).policy();

        Classification c = WorkloadClassifier.classify(noDefault, Map.of(), Map.of(), ONE_GPU);

        assertThat(((Classification.Denial) c).message()).contains("no workload type").contains(TYPE).contains("critical-agents");
    }

    @org.junit.jupiter.api.Test
    void aContradictingProfileLabelIsReportedAsAWarning() {
        var p = (Classification.Placement) WorkloadClassifier.classify(POLICY,
                Map.of(TYPE, "production-inference", PROFILE, "3g.40gb"), Map.of(), mig("1g.10gb"));

        assertThat(p.warnings()).singleElement().asString().contains("3g.40gb").contains("ignored");
    }
}
