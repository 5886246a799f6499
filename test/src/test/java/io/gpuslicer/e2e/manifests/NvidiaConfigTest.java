package io.gpuslicer.e2e.manifests;

import static io.gpuslicer.e2e.manifests.ManifestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.gpuslicer.policy.MigProfiles;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import io.gpuslicer.policy.Pool;
import io.gpuslicer.policy.SharingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The GPU Operator side: device-plugin time-slicing configs and mig-parted layouts (manifests/nvidia/). */
@DisplayName("NVIDIA configuration")
class NvidiaConfigTest {

    static final List<HasMetadata> NVIDIA = build(manifests().resolve("nvidia"));
    static final Policy POLICY = PolicyLoader.defaultPolicy();

    /** A100-80GB: 7 compute slices and 8 memory slices of 10 GB per GPU. */
    static final int COMPUTE_SLICES = 7;
    static final int MEMORY_SLICES = 8;
    static final int GB_PER_MEMORY_SLICE = 10;
    static final Pattern PROFILE = Pattern.compile("(\\d+)g\\.(\\d+)gb");

    record Slices(int compute, int memory) {
        Slices plus(Slices o, int times) {
            return new Slices(compute + o.compute * times, memory + o.memory * times);
        }

        boolean fitsA100_80GB() {
            return compute <= COMPUTE_SLICES && memory <= MEMORY_SLICES;
        }
    }

    /** Slices of one A100-80GB MIG profile, from its name: "<c>g.<m>gb" → c compute, m/10 memory slices. */
    static Slices slices(String profile) {
        Matcher m = PROFILE.matcher(profile);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a MIG profile name: " + profile);
        }
        return new Slices(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)) / GB_PER_MEMORY_SLICE);
    }

    /** Slices one mig-devices map uses on one GPU. */
    static Slices used(Map<String, Integer> devices) {
        Slices s = new Slices(0, 0);
        for (Map.Entry<String, Integer> e : devices.entrySet()) {
            s = s.plus(slices(e.getKey()), e.getValue());
        }
        return s;
    }

    static JsonNode migConfigs() {
        ConfigMap cm = named(NVIDIA, ConfigMap.class, "custom-mig-config");
        JsonNode root = yamlTree(cm.getData().get("config.yaml"));
        assertThat(root.path("version").asText()).isEqualTo("v1");
        return root.path("mig-configs");
    }

    static Stream<String> layouts() {
        List<String> names = new ArrayList<>();
        migConfigs().fieldNames().forEachRemaining(names::add);
        return names.stream();
    }

    static Map<String, Integer> devices(JsonNode entry) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = entry.path("mig-devices").fields(); it.hasNext(); ) {
            var e = it.next();
            out.put(e.getKey(), e.getValue().asInt());
        }
        return out;
    }

    @Test
    @DisplayName("both ConfigMaps live in the gpu-operator namespace, outside the root kustomization")
    void nvidiaObjectsAreSeparate() {
        assertThat(ofType(NVIDIA, ConfigMap.class)).extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrder("time-slicing-config", "custom-mig-config");
        assertThat(NVIDIA).allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("gpu-operator"));
        assertThat(root()).noneMatch(o -> "gpu-operator".equals(o.getMetadata().getNamespace()));
    }

    @ParameterizedTest(name = "device-plugin config {0} time-slices nvidia.com/gpu into {1} replicas, unrenamed, failing requests > 1")
    @CsvSource({"a100, 3", "h100, 2"})
    void timeSlicingConfigs(String key, int replicas) {
        ConfigMap cm = named(NVIDIA, ConfigMap.class, "time-slicing-config");
        assertThat(cm.getData()).containsOnlyKeys("a100", "h100");
        JsonNode cfg = yamlTree(cm.getData().get(key));
        assertThat(cfg.path("version").asText()).isEqualTo("v1");
        JsonNode ts = cfg.path("sharing").path("timeSlicing");
        assertThat(ts.path("renameByDefault").isBoolean()).isTrue();
        assertThat(ts.path("renameByDefault").asBoolean()).isFalse();
        assertThat(ts.path("failRequestsGreaterThanOne").asBoolean(false)).isTrue();
        assertThat(ts.path("resources")).hasSize(1);
        assertThat(ts.path("resources").get(0).path("name").asText()).isEqualTo("nvidia.com/gpu");
        assertThat(ts.path("resources").get(0).path("replicas").asInt()).isEqualTo(replicas);
    }

    @Test
    @DisplayName("the reference layouts all-3g.40gb, all-2g.20gb, all-1g.10gb, a mixed one and all-disabled exist")
    void referenceLayoutsExist() {
        assertThat(layouts()).contains("all-3g.40gb", "all-2g.20gb", "all-1g.10gb", "mixed-prod", "all-disabled");
        assertThat(devices(migConfigs().path("all-3g.40gb").get(0))).containsExactly(Map.entry("3g.40gb", 2));
        assertThat(devices(migConfigs().path("all-2g.20gb").get(0))).containsExactly(Map.entry("2g.20gb", 3));
        assertThat(devices(migConfigs().path("all-1g.10gb").get(0))).containsExactly(Map.entry("1g.10gb", 7));
        assertThat(migConfigs().path("all-disabled").get(0).path("mig-enabled").asBoolean(true)).isFalse();
    }

    @ParameterizedTest(name = "layout {0} fits the A100-80GB budget of 7 compute and 8 memory slices per GPU")
    @MethodSource("layouts")
    void layoutFitsTheSliceBudget(String layout) {
        JsonNode entries = migConfigs().path(layout);
        assertThat(entries.isArray() && entries.size() > 0).isTrue();
        for (JsonNode entry : entries) {
            assertThat(entry.path("devices").asText()).isEqualTo("all");
            assertThat(entry.path("mig-enabled").isBoolean()).isTrue();
            Map<String, Integer> devices = devices(entry);
            if (!entry.path("mig-enabled").asBoolean()) {
                assertThat(devices).isEmpty();
                continue;
            }
            assertThat(devices).isNotEmpty();
            devices.forEach((profile, n) -> {
                assertThat(MigProfiles.isKnown(profile)).as("profile %s", profile).isTrue();
                assertThat(n).isPositive();
            });
            Slices s = used(devices);
            assertThat(s.compute()).as("compute slices of %s", layout).isLessThanOrEqualTo(COMPUTE_SLICES);
            assertThat(s.memory()).as("memory slices of %s", layout).isLessThanOrEqualTo(MEMORY_SLICES);
            assertThat(devices.values().stream().mapToInt(Integer::intValue).sum()).isLessThanOrEqualTo(7);
        }
    }

    @ParameterizedTest(name = "profile {0} uses {1} compute and {2} memory slices")
    @CsvSource({"1g.10gb, 1, 1", "1g.20gb, 1, 2", "2g.20gb, 2, 2", "3g.40gb, 3, 4", "4g.40gb, 4, 4", "7g.80gb, 7, 8"})
    void sliceArithmetic(String profile, int compute, int memory) {
        assertThat(slices(profile)).isEqualTo(new Slices(compute, memory));
    }

    @Test
    @DisplayName("the budget check refuses layouts that overflow compute or memory, so it can fail")
    void budgetCheckRefusesOverflow() {
        assertThat(used(Map.of("3g.40gb", 3)).fitsA100_80GB()).as("9 compute slices").isFalse();
        assertThat(used(Map.of("3g.40gb", 2, "1g.10gb", 1)).fitsA100_80GB()).as("9 memory slices").isFalse();
        assertThat(used(Map.of("3g.40gb", 1, "2g.20gb", 1, "1g.10gb", 2)).fitsA100_80GB()).isTrue();
        assertThatThrownBy(() -> slices("3g")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("every MIG pool of the policy has an all-<profile> layout for its nodes")
    void everyMigPoolHasALayout() {
        List<String> profiles = POLICY.pools().values().stream().filter(p -> p.mode() == SharingMode.MIG)
                .map(Pool::migProfile).distinct().toList();
        assertThat(profiles).isNotEmpty();
        assertThat(layouts()).containsAll(profiles.stream().map(p -> "all-" + p).toList());
    }
}
