package io.gpuslicer.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class PolicyValidatorTest {
    private static final String DEFAULT = PolicyLoader.defaultPolicyText();

    /** The default policy with one textual replacement; the replacement must apply. */
    private static String defaultWith(String from, String to) {
        assertThat(DEFAULT).as("fixture text to replace").contains(from);
        return DEFAULT.replace(from, to);
    }

    static Stream<Arguments> invalidPolicies() {
        return Stream.of(
                arguments("an unknown apiVersion is refused",
                        defaultWith("apiVersion: gpuslicer.io/v1alpha1", "apiVersion: gpuslicer.io/v9"),
                        "apiVersion", "gpuslicer.io/v9"),
                arguments("a wrong kind is refused",
                        defaultWith("kind: SharingPolicy", "kind: Policy"), "kind", "Policy"),
                arguments("a MIG workload type listing a time-sliced pool is refused",
                        defaultWith("{pools: [mig-2g20gb], priorityClass: production-inference}",
                                "{pools: [mig-2g20gb, a100-batch], priorityClass: production-inference}"),
                        "workloadTypes.critical-agents.pools[1]", "a100-batch"),
                arguments("a time-sliced workload type listing a MIG pool is refused",
                        defaultWith("[a100-batch, a100-research]", "[a100-batch, mig-1g10gb]"),
                        "workloadTypes.batch-inference.pools[1]", "mig-1g10gb"),
                arguments("a MIG workload type listing two pools of one profile is refused",
                        defaultWith("  mig-1g10gb:\n    mode: mig\n    migProfile: 1g.10gb\n    nodeSelector: {workload-type: production-inference, mig-profile: 1g.10gb}",
                                "  mig-1g10gb:\n    mode: mig\n    migProfile: 3g.40gb\n    nodeSelector: {workload-type: production-inference, mig-profile: 1g.10gb}"),
                        "workloadTypes.production-inference.pools[1]", "mig-1g10gb"),
                arguments("an unknown pool in a workload type is refused",
                        defaultWith("[a100-training, h100-fine-tuning]", "[a100-training, h200-fine-tuning]"),
                        "workloadTypes.training.pools[1]", "h200-fine-tuning"),
                arguments("the same pool listed twice is refused",
                        defaultWith("[a100-development, a100-research]", "[a100-development, a100-development]"),
                        "workloadTypes.development.pools[1]", "a100-development"),
                arguments("an unknown priority class is refused",
                        defaultWith("{pools: [a100-training, h100-fine-tuning], priorityClass: training}",
                                "{pools: [a100-training, h100-fine-tuning], priorityClass: train}"),
                        "workloadTypes.training.priorityClass", "train"),
                arguments("an unknown MIG profile is refused",
                        defaultWith("migProfile: 2g.20gb", "migProfile: 2g.25gb"), "pools.mig-2g20gb.migProfile", "2g.25gb"),
                arguments("a MIG pool without a profile is refused",
                        defaultWith("    migProfile: 2g.20gb\n", ""), "pools.mig-2g20gb.migProfile", null),
                arguments("a time-sliced pool with a MIG profile is refused",
                        defaultWith("  a100-batch:\n    mode: time-slicing\n", "  a100-batch:\n    mode: time-slicing\n    migProfile: 1g.10gb\n"),
                        "pools.a100-batch.migProfile", "1g.10gb"),
                arguments("an unknown sharing mode is refused",
                        defaultWith("  a100-batch:\n    mode: time-slicing", "  a100-batch:\n    mode: timeslicing"),
                        "pools.a100-batch.mode", "timeslicing"),
                arguments("an empty node selector is refused",
                        defaultWith("nodeSelector: {workload-type: batch-inference}", "nodeSelector: {}"),
                        "pools.a100-batch.nodeSelector", null),
                arguments("two pools with the same node selector are refused as duplicates",
                        defaultWith("nodeSelector: {workload-type: batch-inference}", "nodeSelector: {workload-type: research}"),
                        "pools.a100-batch.nodeSelector", "{workload-type=research}"),
                arguments("an invalid node label key is refused",
                        defaultWith("nodeSelector: {workload-type: batch-inference}", "nodeSelector: {\"bad key!\": batch-inference}"),
                        "pools.a100-batch.nodeSelector", "bad key!"),
                arguments("a toleration with an unknown effect is refused",
                        defaultWith("  a100-batch:\n    mode: time-slicing\n    nodeSelector: {workload-type: batch-inference}\n    tolerations: [{key: gpu, operator: Equal, value: \"true\", effect: NoSchedule}]",
                                "  a100-batch:\n    mode: time-slicing\n    nodeSelector: {workload-type: batch-inference}\n    tolerations: [{key: gpu, operator: Equal, value: \"true\", effect: NoSchedul}]"),
                        "pools.a100-batch.tolerations[0].effect", "NoSchedul"),
                arguments("an unknown default workload type is refused",
                        defaultWith("defaultWorkloadType: development", "defaultWorkloadType: dev"), "defaultWorkloadType", "dev"),
                arguments("a priority above the user maximum is refused",
                        defaultWith("production-inference: 1000\n", "production-inference: 2000000000\n"),
                        "priorityClasses.production-inference.value", 2_000_000_000),
                arguments("a zero sharer cap is refused",
                        defaultWith("maxSharersPerGpu: 4", "maxSharersPerGpu: 0"), "contention.maxSharersPerGpu", 0),
                arguments("an unknown nodeSelector conflict mode is refused",
                        defaultWith("nodeSelectorConflict: warn", "nodeSelectorConflict: reject"), "nodeSelectorConflict", "reject"),
                arguments("an unknown contention strategy is refused",
                        defaultWith("strategy: spread", "strategy: pack"), "contention.strategy", "pack"),
                arguments("all-zero scoring weights are refused",
                        defaultWith("  poolRank: 5\n  contention: 3\n  migBestFit: 2", "  poolRank: 0\n  contention: 0\n  migBestFit: 0")
                                .replace("  fragmentation: 2", "  fragmentation: 0"),
                        "scoring", 0),
                arguments("a fragmentation weight above 100 is refused",
                        defaultWith("  fragmentation: 2", "  fragmentation: 101"), "scoring.fragmentation", 101),
                arguments("a workload type name that cannot be a label value is refused",
                        defaultWith("  research:             {pools", "  \"research team\":        {pools"),
                        "workloadTypes.research team", "research team"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPolicies")
    void refusesWithTheFieldAndTheBadValue(String name, String yaml, String field, Object value) {
        PolicyLoader.Result result = PolicyLoader.parse(yaml);

        assertThat(result).isInstanceOf(PolicyLoader.Rejected.class);
        List<PolicyError> errors = ((PolicyLoader.Rejected) result).errors();
        assertThat(errors).extracting(PolicyError::field).contains(field);
        PolicyError error = errors.stream().filter(e -> e.field().equals(field)).findFirst().orElseThrow();
        assertThat(error.value()).isEqualTo(value);
        assertThat(error.message()).isNotBlank();
    }

    @Test
    void reportsEveryErrorAtOnceNotOnlyTheFirst() {
        String yaml = defaultWith("apiVersion: gpuslicer.io/v1alpha1", "apiVersion: v1")
                .replace("defaultWorkloadType: development", "defaultWorkloadType: nope")
                .replace("migProfile: 2g.20gb", "migProfile: 2g.99gb");

        var rejected = (PolicyLoader.Rejected) PolicyLoader.parse(yaml);

        assertThat(rejected.errors()).extracting(PolicyError::field)
                .containsExactlyInAnyOrder("apiVersion", "defaultWorkloadType", "pools.mig-2g20gb.migProfile");
        assertThat(rejected.summary()).contains("\"v1\"", "\"nope\"", "\"2g.99gb\"");
    }

    @Test
    void unknownFieldsAreRefusedSoTyposDoNotSilentlyDoNothing() {
        var rejected = (PolicyLoader.Rejected) PolicyLoader.parse(DEFAULT.replace("schedulerName:", "shedulerName:"));

        assertThat(rejected.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("shedulerName");
            assertThat(e.message()).contains("Unrecognized field").contains("line");
        });
    }

    @Test
    void duplicateKeysAreRefused() {
        var rejected = (PolicyLoader.Rejected) PolicyLoader.parse(DEFAULT.replace("  training: 500\n", "  training: 500\n  training: 600\n"));

        assertThat(rejected.summary()).contains("Duplicate field 'training'");
    }

    @Test
    void malformedYamlIsRefusedWithItsLocation() {
        var rejected = (PolicyLoader.Rejected) PolicyLoader.parse("apiVersion: gpuslicer.io/v1alpha1\npools: {a: [\n");

        assertThat(rejected.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("line"));
    }

    @Test
    void anEmptyFileIsRefused() {
        assertThat(PolicyLoader.parse("")).isInstanceOf(PolicyLoader.Rejected.class);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "a mistyped profile {0} is answered with {1}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = ';', value = {
            "3g.41gb; 3g.20gb, 3g.40gb, 3g.47gb, 3g.48gb, 3g.71gb, 3g.90gb",
            "9g.1gb;  1g.10gb, 1g.20gb, 2g.20gb, 3g.40gb, 4g.40gb, 7g.80gb"})
    void anUnknownMigProfileIsAnsweredWithCloseKnownOnes(String profile, String suggested) {
        var rejected = (PolicyLoader.Rejected) PolicyLoader.parse(DEFAULT.replace("migProfile: 2g.20gb", "migProfile: " + profile));

        assertThat(rejected.errors()).singleElement().satisfies(e ->
                assertThat(e.message()).isEqualTo("unknown MIG profile (known, for example: " + suggested + ")"));
    }
}
