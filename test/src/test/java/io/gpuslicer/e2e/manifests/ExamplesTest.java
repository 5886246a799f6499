package io.gpuslicer.e2e.manifests;

import static io.gpuslicer.e2e.manifests.ManifestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.gpuslicer.policy.PolicyLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The example team namespace")
class ExamplesTest {

    static final List<HasMetadata> EXAMPLES = build(manifests().resolve("examples"));

    @Test
    @DisplayName("its GPU quota limits extended resources through requests.<resource> only")
    void quotaUsesRequestsPrefix() {
        ResourceQuota q = named(EXAMPLES, ResourceQuota.class, "team-a-gpu");
        assertThat(q.getMetadata().getNamespace()).isEqualTo("team-a");
        Map<String, Quantity> hard = q.getSpec().getHard();
        assertThat(hard).containsEntry("requests.nvidia.com/gpu", new Quantity("8"))
                .containsEntry("requests.nvidia.com/mig-3g.40gb", new Quantity("4"));
        assertThat(hard.keySet()).filteredOn(k -> k.contains("nvidia.com/")).allMatch(k -> k.startsWith("requests."));
    }

    @Test
    @DisplayName("its quota covers every MIG profile of the policy")
    void quotaCoversMigProfiles() {
        Map<String, Quantity> hard = named(EXAMPLES, ResourceQuota.class, "team-a-gpu").getSpec().getHard();
        PolicyLoader.defaultPolicy().pools().values().stream().filter(p -> p.migProfile() != null)
                .forEach(p -> assertThat(hard).containsKey("requests.nvidia.com/mig-" + p.migProfile()));
    }

    @Test
    @DisplayName("its priority quota names a PriorityClass the root kustomization creates")
    void priorityQuotaNamesAnExistingClass() {
        ResourceQuota q = named(EXAMPLES, ResourceQuota.class, "team-a-production-priority");
        var expr = q.getSpec().getScopeSelector().getMatchExpressions().get(0);
        assertThat(expr.getScopeName()).isEqualTo("PriorityClass");
        assertThat(PolicyLoader.defaultPolicy().priorityClasses()).containsKeys(expr.getValues().toArray(String[]::new));
    }
}
