package io.gpuslicer.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Base64;
import java.util.List;

/** AdmissionReview v1 responses: allowed, patched, denied. The request's uid is always echoed. */
final class AdmissionResponses {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AdmissionResponses() {
    }

    static ObjectNode allowed(String uid) {
        return review(uid, true);
    }

    /** @param patchBytes the RFC 6902 array, serialised */
    static ObjectNode patched(String uid, byte[] patchBytes, List<String> warnings) {
        ObjectNode review = review(uid, true);
        ObjectNode response = (ObjectNode) review.get("response");
        response.put("patchType", "JSONPatch");
        response.put("patch", Base64.getEncoder().encodeToString(patchBytes));
        warnings(response, warnings);
        return review;
    }

    static ObjectNode allowedWithWarnings(String uid, List<String> warnings) {
        ObjectNode review = review(uid, true);
        warnings((ObjectNode) review.get("response"), warnings);
        return review;
    }

    /** {@code allowed: false} with a status the API server shows to the user. */
    static ObjectNode denied(String uid, int code, String message) {
        ObjectNode review = review(uid, false);
        ObjectNode status = ((ObjectNode) review.get("response")).putObject("status");
        status.put("code", code);
        status.put("message", message);
        return review;
    }

    private static void warnings(ObjectNode response, List<String> warnings) {
        if (!warnings.isEmpty()) {
            response.putArray("warnings").addAll(warnings.stream().map(w -> (JsonNode) NODES.textNode(w)).toList());
        }
    }

    private static ObjectNode review(String uid, boolean allowed) {
        ObjectNode review = NODES.objectNode();
        review.put("apiVersion", AdmissionRequest.API_VERSION);
        review.put("kind", AdmissionRequest.KIND);
        ObjectNode response = review.putObject("response");
        response.put("uid", uid);
        response.put("allowed", allowed);
        return review;
    }
}
