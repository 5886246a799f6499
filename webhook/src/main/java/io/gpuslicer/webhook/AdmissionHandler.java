package io.gpuslicer.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.server.JsonProblems;
import io.gpuslicer.webhook.WebhookMetrics.Outcome;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One AdmissionReview in, one out, no HTTP: decode, mutate a typed copy, diff, answer.
 * <p>
 * Envelope mistakes (not JSON, wrong apiVersion/kind, no uid) throw {@link BadAdmissionRequest}: no
 * AdmissionReview can be formed, the HTTP layer answers 400. Once the uid is known every answer is an
 * AdmissionReview: a non-pod object or a non-CREATE operation is allowed unchanged (the webhook is only
 * registered for pod CREATE, so those are configuration slips, not reasons to block), an object that
 * is not a valid Pod is denied with code 400.
 */
public final class AdmissionHandler {
    private final ObjectMapper json;
    private final Supplier<Policy> policy;
    private final NamespaceLabels namespaces;
    private final PriorityClasses clusterPriorityClasses;
    private final PodMutator mutator = new PodMutator();

    /** The outcome of one admission: the body to send (HTTP 200) and what happened, for metrics. */
    public record Reply(byte[] body, String workloadType, Outcome outcome) {
    }

    /**
     * @param clusterPriorityClasses live classes; the policy's values are used for classes it does not know
     */
    public AdmissionHandler(Supplier<Policy> policy, NamespaceLabels namespaces, PriorityClasses clusterPriorityClasses) {
        this.json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.policy = policy;
        this.namespaces = namespaces;
        this.clusterPriorityClasses = clusterPriorityClasses;
    }

    public Reply handle(byte[] body) throws BadAdmissionRequest {
        if (body == null || body.length == 0) {
            throw new BadAdmissionRequest(400, "empty body: expected an AdmissionReview");
        }
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadAdmissionRequest(400, "the body is not JSON: " + JsonProblems.describe(e));
        } catch (IOException e) {
            throw new BadAdmissionRequest(400, "the body cannot be read: " + e.getMessage());
        }
        AdmissionRequest request = AdmissionRequest.of(tree);
        if (!request.isPodCreate()) {
            return reply(AdmissionResponses.allowed(request.uid()), WebhookMetrics.NO_WORKLOAD_TYPE, Outcome.SKIPPED);
        }
        if (request.object() == null) {
            return reply(AdmissionResponses.denied(request.uid(), 400, "request.object is missing"),
                    WebhookMetrics.NO_WORKLOAD_TYPE, Outcome.ERROR);
        }
        Optional<String> shape = PodShape.problem(request.object());
        if (shape.isPresent()) {
            return invalidPod(request, shape.get());
        }
        Pod pod;
        try {
            pod = json.treeToValue(request.object(), Pod.class);
        } catch (JsonProcessingException e) {
            return invalidPod(request, JsonProblems.describe(e));
        } catch (IllegalArgumentException e) {
            return invalidPod(request, firstLine(e.getMessage()));
        }
        return admit(request, pod);
    }

    /** Denied, code 400, the field named: the object cannot be a Pod the API server would have sent. */
    private Reply invalidPod(AdmissionRequest request, String problem) {
        return reply(AdmissionResponses.denied(request.uid(), 400, "request.object is not a valid Pod: " + problem),
                WebhookMetrics.NO_WORKLOAD_TYPE, Outcome.ERROR);
    }

    private Reply admit(AdmissionRequest request, Pod pod) {
        Policy current = policy.get();
        Mutation mutation = mutator.mutate(pod, namespaces.of(request.namespace()), current,
                clusterPriorityClasses.orElse(PriorityClasses.of(current)));
        if (mutation instanceof Mutation.Skipped) {
            return reply(AdmissionResponses.allowed(request.uid()), WebhookMetrics.NO_WORKLOAD_TYPE, Outcome.SKIPPED);
        }
        if (mutation instanceof Mutation.Denied denied) {
            return reply(AdmissionResponses.denied(request.uid(), 400, denied.message()), WebhookMetrics.NO_WORKLOAD_TYPE, Outcome.DENIED);
        }
        Mutation.Placed placed = (Mutation.Placed) mutation;
        String type = placed.decision().workloadType();
        ArrayNode patch = PodPatch.diff(json, pod, placed.pod());
        if (patch.isEmpty()) {
            return reply(AdmissionResponses.allowedWithWarnings(request.uid(), placed.warnings()), type, Outcome.UNCHANGED);
        }
        try {
            return reply(AdmissionResponses.patched(request.uid(), json.writeValueAsBytes(patch), placed.warnings()), type, Outcome.PATCHED);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON patch always serialises", e);
        }
    }

    private Reply reply(ObjectNode review, String workloadType, Outcome outcome) {
        try {
            return new Reply(json.writeValueAsBytes(review), workloadType, outcome);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an AdmissionReview always serialises", e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
