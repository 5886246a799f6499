package io.gpuslicer.e2e.manifests;

import static io.gpuslicer.e2e.manifests.ManifestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ServiceReference;
import io.gpuslicer.policy.PolicyLoader;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The MutatingWebhookConfiguration")
class WebhookConfigurationTest {

    static MutatingWebhookConfiguration config;
    static MutatingWebhook webhook;

    @BeforeAll
    static void load() {
        config = named(root(), MutatingWebhookConfiguration.class, "gpu-slicer");
        assertThat(config.getWebhooks()).hasSize(1);
        webhook = config.getWebhooks().get(0);
    }

    /** A namespace as a real API server labels it: kubernetes.io/metadata.name is always set. */
    static Map<String, String> namespaceLabels(String name, String... extra) {
        Map<String, String> labels = new HashMap<>();
        labels.put("kubernetes.io/metadata.name", name);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            labels.put(extra[i], extra[i + 1]);
        }
        return labels;
    }

    @ParameterizedTest(name = "never matches {0}, even when it is labelled gpuslicer.io/inject=enabled")
    @ValueSource(strings = {"kube-system", "kube-public", "kube-node-lease", "gpu-slicer"})
    void neverMatchesSystemNamespaces(String ns) {
        assertThat(matches(webhook.getNamespaceSelector(), namespaceLabels(ns))).isFalse();
        assertThat(matches(webhook.getNamespaceSelector(),
                namespaceLabels(ns, "gpuslicer.io/inject", "enabled", "gpuslicer.io/workload-type", "research"))).isFalse();
    }

    @ParameterizedTest(name = "namespace {0} with inject={1} is matched: {2}")
    @CsvSource({
            "team-a, enabled, true",
            "ml-research, enabled, true",
            "team-a, disabled, false",
            "team-a, ENABLED, false",
            "team-a, '', false",
    })
    void matchesOnlyOptedInNamespaces(String ns, String inject, boolean matched) {
        Map<String, String> labels = inject.isEmpty() ? namespaceLabels(ns) : namespaceLabels(ns, "gpuslicer.io/inject", inject);
        assertThat(matches(webhook.getNamespaceSelector(), labels)).isEqualTo(matched);
    }

    @Test
    @DisplayName("matches the example team namespace, whose opt-in label is the policy's vocabulary")
    void matchesTheExampleNamespace() {
        Namespace teamA = named(build(manifests().resolve("examples")), Namespace.class, "team-a");
        Map<String, String> labels = new HashMap<>(teamA.getMetadata().getLabels());
        labels.put("kubernetes.io/metadata.name", "team-a");
        assertThat(matches(webhook.getNamespaceSelector(), labels)).isTrue();
        assertThat(PolicyLoader.defaultPolicy().workloadTypes())
                .containsKey(labels.get(PolicyLoader.defaultPolicy().workloadTypeLabel()));
    }

    @Test
    @DisplayName("the selector evaluation itself tells matching from non-matching selectors")
    void selectorEvaluationWorks() {
        LabelSelector in = new LabelSelectorBuilder().addNewMatchExpression().withKey("a").withOperator("In")
                .withValues("x").endMatchExpression().build();
        LabelSelector notIn = new LabelSelectorBuilder().addNewMatchExpression().withKey("a").withOperator("NotIn")
                .withValues("x").endMatchExpression().build();
        assertThat(matches(in, Map.of("a", "x"))).isTrue();
        assertThat(matches(in, Map.of())).isFalse();
        assertThat(matches(notIn, Map.of())).isTrue();
        assertThat(matches(notIn, Map.of("a", "x"))).isFalse();
        assertThat(matches(new LabelSelectorBuilder().withMatchLabels(Map.of("a", "x")).build(), Map.of("a", "y"))).isFalse();
        assertThat(matches(null, Map.of())).isTrue();
    }

    @Test
    @DisplayName("is side-effect free, v1-only, short-timeout, reinvocable, Fail-closed and matches equivalent versions")
    void hasTheSafeSettings() {
        assertThat(config.getApiVersion()).isEqualTo("admissionregistration.k8s.io/v1");
        assertThat(webhook.getName()).isEqualTo("pods.gpuslicer.io");
        assertThat(webhook.getSideEffects()).isEqualTo("None");
        assertThat(webhook.getAdmissionReviewVersions()).containsExactly("v1");
        assertThat(webhook.getTimeoutSeconds()).isBetween(1, 10);
        assertThat(webhook.getReinvocationPolicy()).isEqualTo("IfNeeded");
        assertThat(webhook.getFailurePolicy()).isEqualTo("Fail");
        assertThat(webhook.getMatchPolicy()).isEqualTo("Equivalent");
    }

    @Test
    @DisplayName("intercepts pod CREATE in the core v1 API only")
    void rulesArePodCreate() {
        assertThat(webhook.getRules()).hasSize(1);
        RuleWithOperations rule = webhook.getRules().get(0);
        assertThat(rule.getApiGroups()).containsExactly("");
        assertThat(rule.getApiVersions()).containsExactly("v1");
        assertThat(rule.getOperations()).containsExactly("CREATE");
        assertThat(rule.getResources()).containsExactly("pods");
        assertThat(rule.getScope()).isIn(null, "Namespaced");
    }

    @Test
    @DisplayName("calls /mutate on the webhook Service's 443 port, which exists, and ships without caBundle")
    void clientConfigPointsAtTheService() {
        ServiceReference ref = webhook.getClientConfig().getService();
        assertThat(webhook.getClientConfig().getUrl()).isNull();
        assertThat(ref.getNamespace()).isEqualTo("gpu-slicer");
        assertThat(ref.getName()).isEqualTo("gpu-slicer-webhook");
        assertThat(ref.getPath()).isEqualTo("/mutate");
        assertThat(ref.getPort()).isEqualTo(443);
        Service svc = named(root(), Service.class, ref.getName());
        assertThat(svc.getMetadata().getNamespace()).isEqualTo(ref.getNamespace());
        assertThat(svc.getSpec().getPorts()).anyMatch(p -> p.getPort().equals(ref.getPort()));
        assertThat(webhook.getClientConfig().getCaBundle())
                .as("filled by certs/make-certs.sh or cert-manager, never committed").isNullOrEmpty();
    }
}
