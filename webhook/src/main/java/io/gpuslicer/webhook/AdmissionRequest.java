package io.gpuslicer.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The parts of an {@code admission.k8s.io/v1} AdmissionReview request the webhook uses.
 *
 * @param object the raw {@code request.object}; null for requests that carry none
 */
record AdmissionRequest(String uid, String group, String kind, String operation, String namespace, boolean dryRun,
                        ObjectNode object) {
    static final String API_VERSION = "admission.k8s.io/v1";
    static final String KIND = "AdmissionReview";

    boolean isPodCreate() {
        return group.isEmpty() && "Pod".equals(kind) && "CREATE".equals(operation);
    }

    /** Validates the envelope; the object itself is checked when it is converted to a Pod. */
    static AdmissionRequest of(JsonNode review) throws BadAdmissionRequest {
        if (review == null || !review.isObject()) {
            throw new BadAdmissionRequest(400, "the body must be a JSON object: an AdmissionReview");
        }
        String apiVersion = review.path("apiVersion").asText("");
        if (!API_VERSION.equals(apiVersion)) {
            throw new BadAdmissionRequest(400, "unsupported apiVersion \"" + apiVersion + "\": this webhook speaks "
                    + API_VERSION + " (admissionReviewVersions: [v1])");
        }
        String kind = review.path("kind").asText("");
        if (!KIND.equals(kind)) {
            throw new BadAdmissionRequest(400, "unsupported kind \"" + kind + "\": expected " + KIND);
        }
        JsonNode request = review.get("request");
        if (request == null || !request.isObject()) {
            throw new BadAdmissionRequest(400, "the AdmissionReview has no request");
        }
        JsonNode uid = request.get("uid");
        if (uid == null || !uid.isTextual() || uid.asText().isBlank()) {
            throw new BadAdmissionRequest(400, "request.uid is missing");
        }
        JsonNode object = request.get("object");
        return new AdmissionRequest(uid.asText(),
                request.path("kind").path("group").asText(""),
                request.path("kind").path("kind").asText(""),
                request.path("operation").asText(""),
                namespace(request, object),
                request.path("dryRun").asBoolean(false),
                object instanceof ObjectNode o ? o : null);
    }

    /** request.namespace; pods from controllers may carry it only in the object's metadata. */
    private static String namespace(JsonNode request, JsonNode object) {
        String ns = request.path("namespace").asText("");
        if (ns.isEmpty() && object != null) {
            ns = object.path("metadata").path("namespace").asText("");
        }
        return ns;
    }
}
