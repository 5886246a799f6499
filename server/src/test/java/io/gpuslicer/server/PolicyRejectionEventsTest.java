package io.gpuslicer.server;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.gpuslicer.policy.PolicyLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@EnableKubernetesMockClient(crud = true)
class PolicyRejectionEventsTest {
    KubernetesClient client;
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00.123Z"), ZoneOffset.UTC);

    @Test
    void aRefusedPolicyBecomesAWarningEventOnItsConfigMap() {
        PolicyHolder holder = new PolicyHolder(PolicyLoader.defaultPolicy(), "test");
        new PolicyRejectionEvents(client, new PolicyRejectionEvents.ConfigMapRef("gpu-slicer", "gpu-slicer-policy"),
                "gpu-slicer-webhook", clock).attach(holder);

        holder.offer(PolicyLoader.defaultPolicyText().replace("strategy: spread", "strategy: pack"));

        List<Event> events = client.v1().events().inNamespace("gpu-slicer").list().getItems();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("PolicyRejected");
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("ConfigMap");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("gpu-slicer-policy");
            assertThat(e.getMessage()).contains("contention.strategy", "\"pack\"", "previous policy stays");
            assertThat(e.getSource().getComponent()).isEqualTo("gpu-slicer-webhook");
            assertThat(e.getLastTimestamp()).isEqualTo("2026-11-22T10:00:00Z");
        });
    }

    @Test
    void attachedWithAWriterTheEventIsWrittenThereNotOnTheCallersThread() {
        PolicyHolder holder = new PolicyHolder(PolicyLoader.defaultPolicy(), "test");
        List<Runnable> queued = new java.util.ArrayList<>();
        new PolicyRejectionEvents(client, new PolicyRejectionEvents.ConfigMapRef("gpu-slicer", "p"), "x", clock)
                .attach(holder, queued::add);

        holder.offer(PolicyLoader.defaultPolicyText().replace("strategy: spread", "strategy: pack"));
        assertThat(client.v1().events().inNamespace("gpu-slicer").list().getItems()).as("not before the writer runs").isEmpty();

        queued.forEach(Runnable::run);
        assertThat(client.v1().events().inNamespace("gpu-slicer").list().getItems()).singleElement()
                .satisfies(e -> assertThat(e.getReason()).isEqualTo("PolicyRejected"));
    }

    @Test
    void anAppliedPolicyWritesNoEvent() {
        PolicyHolder holder = new PolicyHolder(PolicyLoader.defaultPolicy(), "test");
        new PolicyRejectionEvents(client, new PolicyRejectionEvents.ConfigMapRef("gpu-slicer", "p"), "x", clock).attach(holder);

        holder.offer(PolicyLoader.defaultPolicyText());

        assertThat(client.v1().events().inNamespace("gpu-slicer").list().getItems()).isEmpty();
    }

    @Test
    void aVeryLongErrorListIsCutToWhatTheApiServerAccepts() {
        List<io.gpuslicer.policy.PolicyError> errors = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            errors.add(new io.gpuslicer.policy.PolicyError("workloadTypes.t" + i + ".pools[0]", "nope-" + i, "unknown pool"));
        }
        var events = new PolicyRejectionEvents(client, new PolicyRejectionEvents.ConfigMapRef("ns", "cm"), "x", clock);

        String message = events.event(new PolicyLoader.Rejected(errors)).getMessage();

        assertThat(message).hasSize(PolicyRejectionEvents.MAX_MESSAGE).endsWith("...").contains("workloadTypes.t0.pools[0]");
    }

    @ParameterizedTest(name = "\"{0}\" is not NAMESPACE/NAME")
    @ValueSource(strings = {"", "cm", "/cm", "ns/", "a/b/c"})
    void aMalformedConfigMapReferenceIsRefused(String value) {
        assertThatThrownBy(() -> PolicyRejectionEvents.ConfigMapRef.parse(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NAMESPACE/NAME");
    }
}
