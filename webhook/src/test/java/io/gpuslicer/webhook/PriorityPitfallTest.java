package io.gpuslicer.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.zjsonpatch.JsonPatch;
import io.gpuslicer.policy.PolicyLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The priority pitfall (DESIGN.md, Protocol notes): kube-apiserver stamps {@code priority: 0} and
 * {@code preemptionPolicy: PreemptLowerPriority} before the webhook runs, and rejects a pod whose
 * {@code priorityClassName} then disagrees with them. The webhook must write all three from the live
 * PriorityClass, here served by fabric8's mock API server in CRUD mode.
 */
@EnableKubernetesMockClient(crud = true)
class PriorityPitfallTest {
    KubernetesClient client; // per test: every test starts from an empty API server

    @TempDir
    Path dir;

    @Test
    void aPodStampedWithPriorityZeroLeavesWithTheClassValueAndPreemptionPolicy() throws Exception {
        // The cluster's "research" class differs from the policy's (100, PreemptLowerPriority): the cluster wins.
        client.scheduling().v1().priorityClasses().resource(new PriorityClassBuilder().withNewMetadata().withName("research").endMetadata()
                .withValue(250).withPreemptionPolicy("Never").build()).create();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("gpu-test")
                .addToLabels("gpuslicer.io/inject", "enabled").endMetadata().build()).create();

        try (TestWebhook webhook = new TestWebhook(dir, PolicyLoader.defaultPolicyText(), client)) {
            awaitReady(webhook);
            JsonNode request = Samples.review(Samples.PCN_ONLY);
            assertThat(request.at("/request/object/spec/priority").asInt()).as("stamped by the API server").isZero();

            JsonNode patch = Samples.patchOf(AdmissionHandlerTest.json(webhook.mutate(Samples.bytes(Samples.PCN_ONLY)).bodyAsString()));
            List<String> priorityOps = new ArrayList<>();
            patch.forEach(op -> {
                if (op.get("path").asText().matches("/spec/(priority|priorityClassName|preemptionPolicy)")) {
                    priorityOps.add(op.toString());
                }
            });
            assertThat(priorityOps).containsExactlyInAnyOrder(
                    "{\"op\":\"replace\",\"path\":\"/spec/priority\",\"value\":250}",
                    "{\"op\":\"replace\",\"path\":\"/spec/preemptionPolicy\",\"value\":\"Never\"}",
                    "{\"op\":\"add\",\"path\":\"/spec/priorityClassName\",\"value\":\"research\"}");

            JsonNode pod = JsonPatch.apply(patch, request.at("/request/object"));
            assertThat(pod.at("/spec/priority").asInt()).isEqualTo(250);
            assertThat(pod.at("/spec/preemptionPolicy").asText()).isEqualTo("Never");
        }
    }

    @Test
    void theNamespaceLabelFromTheClusterChoosesTheWorkloadType() throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("gpu-test")
                .addToLabels("gpuslicer.io/workload-type", "fine-tuning").endMetadata().build()).createOr(r -> r.update());

        try (TestWebhook webhook = new TestWebhook(dir, PolicyLoader.defaultPolicyText(), client)) {
            awaitReady(webhook);
            JsonNode patch = Samples.patchOf(AdmissionHandlerTest.json(webhook.mutate(Samples.bytes(Samples.KUBECTL_RUN)).bodyAsString()));
            String decision = patch.get(0).at("/value/gpuslicer.io~1decision").asText();
            assertThat(AdmissionHandlerTest.json(decision).get("type").asText()).isEqualTo("fine-tuning");
        }
    }

    @Test
    void aPodStampedWithTheClustersGlobalDefaultClassLeavesWithTheWorkloadTypesClass() throws Exception {
        // A cluster whose admins made a global default: the Priority plugin stamps its name and value on every
        // pod without a class, so the kubectl-run sample arrives naming "cluster-default" at priority 7.
        client.scheduling().v1().priorityClasses().resource(new PriorityClassBuilder().withNewMetadata().withName("cluster-default")
                .endMetadata().withValue(7).withGlobalDefault(true).build()).createOr(r -> r.update());
        client.scheduling().v1().priorityClasses().resource(new PriorityClassBuilder().withNewMetadata().withName("research").endMetadata()
                .withValue(250).withPreemptionPolicy("Never").build()).createOr(r -> r.update());
        JsonNode request = Samples.review(Samples.KUBECTL_RUN);
        ((com.fasterxml.jackson.databind.node.ObjectNode) request.at("/request/object/spec"))
                .put("priorityClassName", "cluster-default").put("priority", 7);

        try (TestWebhook webhook = new TestWebhook(dir, PolicyLoader.defaultPolicyText(), client)) {
            awaitReady(webhook);
            long deadline = System.nanoTime() + 30_000_000_000L;
            JsonNode pod;
            do {
                assertThat(System.nanoTime()).as("both classes cached within 30 s").isLessThan(deadline);
                JsonNode patch = Samples.patchOf(AdmissionHandlerTest.json(
                        webhook.mutate(request.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).bodyAsString()));
                pod = JsonPatch.apply(patch, request.at("/request/object"));
            } while (!"research".equals(pod.at("/spec/priorityClassName").asText()) || pod.at("/spec/priority").asInt() != 250);

            assertThat(pod.at("/spec/priorityClassName").asText()).isEqualTo("research");
            assertThat(pod.at("/spec/priority").asInt()).isEqualTo(250);
            assertThat(pod.at("/spec/preemptionPolicy").asText()).isEqualTo("Never");
        }
    }

    /** /readyz turns 200 once both informers have listed; polled, with a generous bound for a loaded machine. */
    private static void awaitReady(TestWebhook webhook) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (webhook.get(false, "/readyz").statusCode() != 200) {
            assertThat(System.nanoTime()).as("webhook ready within 30 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
