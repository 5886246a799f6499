package io.gpuslicer.bench.extender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.webhook.Mutation;
import io.gpuslicer.webhook.PodMutator;
import io.gpuslicer.webhook.PriorityClasses;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.UUID;

/**
 * GPU pods as kube-scheduler receives them after our webhook: the pod of a real {@code kubectl run}
 * AdmissionReview (captured from kube-apiserver v1.32: managed fields, the service-account volume,
 * default tolerations, one {@code nvidia.com/gpu}) labelled with a workload type and mutated by the
 * webhook's own {@link PodMutator} (node affinity, tolerations, priority, scheduler name, decision).
 */
final class WebhookPods {
    private static final String SAMPLE = "/io/gpuslicer/bench/webhook/kubectl-run.json";

    private final Policy policy;
    private final Pod template;
    private final PodMutator mutator = new PodMutator();

    WebhookPods(Policy policy) throws IOException {
        this.policy = policy;
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = WebhookPods.class.getResourceAsStream(SAMPLE)) {
            JsonNode review = json.readTree(in);
            this.template = json.treeToValue(review.path("request").path("object"), Pod.class);
        }
    }

    /** A pending pod of {@code workloadType} as the webhook leaves it, with {@code spec.nodeName} when bound. */
    Pod pod(String namespace, String name, String workloadType, String node) {
        Pod pod = new PodBuilder(template).editMetadata().withNamespace(namespace).withName(name)
                .withUid(UUID.randomUUID().toString()).addToLabels(policy.workloadTypeLabel(), workloadType).endMetadata()
                .build();
        Mutation m = mutator.mutate(pod, Map.of(), policy, PriorityClasses.of(policy));
        if (!(m instanceof Mutation.Placed placed)) {
            throw new IllegalStateException("the webhook did not place a " + workloadType + " pod: " + m);
        }
        return new PodBuilder(placed.pod()).editSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase(node == null ? "Pending" : "Running").withQosClass("BestEffort").endStatus().build();
    }
}
