package io.gpuslicer.e2e.manifests;

import static io.gpuslicer.e2e.manifests.ManifestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import io.gpuslicer.policy.PriorityClassSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("The policy ConfigMap and the PriorityClasses")
class PolicyManifestTest {

    static final List<HasMetadata> ROOT = root();
    static final Policy POLICY = PolicyLoader.defaultPolicy();
    static final Path DEFAULT_POLICY =
            repoRoot().resolve("policy/src/main/resources/io/gpuslicer/policy/default-policy.yaml");

    static Stream<PriorityClassSpec> policyPriorityClasses() {
        return POLICY.priorityClasses().values().stream();
    }

    @Test
    @DisplayName("manifests/policy/policy.yaml is a byte-for-byte copy of the default policy")
    void policyCopyIsIdentical() throws IOException {
        byte[] copy = Files.readAllBytes(manifests().resolve("policy/policy.yaml"));
        assertThat(copy).isEqualTo(Files.readAllBytes(DEFAULT_POLICY));
        assertThat(new String(copy, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(PolicyLoader.defaultPolicyText());
    }

    @Test
    @DisplayName("the copy loads and validates as a policy")
    void policyCopyLoads() {
        assertThat(PolicyLoader.load(manifests().resolve("policy/policy.yaml"))).isInstanceOf(PolicyLoader.Loaded.class);
    }

    @Test
    @DisplayName("is generated with the stable name gpu-slicer-policy (no hash suffix) in gpu-slicer, key policy.yaml")
    void generatorKeepsAStableName() {
        var generators = Kustomization.in(manifests()).configMapGenerators();
        assertThat(generators).hasSize(1);
        var g = generators.get(0);
        assertThat(g.name()).isEqualTo("gpu-slicer-policy");
        assertThat(g.namespace()).isEqualTo("gpu-slicer");
        assertThat(g.hashDisabled()).as("a hashed name would change on every edit and break hot reload").isTrue();
        assertThat(g.files()).containsOnlyKeys("policy.yaml");
        assertThat(g.files().get("policy.yaml")).isEqualTo(manifests().resolve("policy/policy.yaml").normalize());
        ConfigMap cm = named(ROOT, ConfigMap.class, "gpu-slicer-policy");
        assertThat(PolicyLoader.parse(cm.getData().get("policy.yaml"))).isInstanceOf(PolicyLoader.Loaded.class);
    }

    @Test
    @DisplayName("there is exactly one PriorityClass per policy priority class, none global default")
    void priorityClassesAreThePolicys() {
        assertThat(ofType(ROOT, PriorityClass.class)).extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(POLICY.priorityClasses().keySet());
        assertThat(ofType(ROOT, PriorityClass.class)).allSatisfy(p -> {
            assertThat(p.getApiVersion()).isEqualTo("scheduling.k8s.io/v1");
            assertThat(p.getGlobalDefault()).isFalse();
            assertThat(p.getMetadata().getName()).doesNotStartWith("system-");
        });
    }

    @ParameterizedTest(name = "PriorityClass {0} has the policy''s value and preemption policy")
    @MethodSource("policyPriorityClasses")
    void priorityClassValues(PriorityClassSpec spec) {
        PriorityClass pc = named(ROOT, PriorityClass.class, spec.name());
        assertThat(pc.getValue()).isEqualTo(spec.value());
        String expected = spec.preemptionPolicy() == null ? PriorityClassSpec.PREEMPT_LOWER_PRIORITY : spec.preemptionPolicy();
        assertThat(pc.getPreemptionPolicy()).isEqualTo(expected);
    }

    @Test
    @DisplayName("the reference strategy's classes are production-inference 1000, training 500, research 100")
    void referenceValues() {
        assertThat(named(ROOT, PriorityClass.class, "production-inference").getValue()).isEqualTo(1000);
        assertThat(named(ROOT, PriorityClass.class, "training").getValue()).isEqualTo(500);
        assertThat(named(ROOT, PriorityClass.class, "research").getValue()).isEqualTo(100);
    }
}
