package io.gpuslicer.cli.demo;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.zjsonpatch.JsonPatch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The API server's side of an admission call, without HTTP: the AdmissionReview v1 request it sends
 * for a pod CREATE, and what it does with the answer (a denial, or the base64 JSONPatch applied with
 * a JSON-patch library to get the stored pod).
 */
final class AdmissionReviews {
    static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private AdmissionReviews() {
    }

    static ObjectNode request(String uid, Pod pod) {
        ObjectNode review = JSON.createObjectNode();
        review.put("apiVersion", "admission.k8s.io/v1");
        review.put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request");
        request.put("uid", uid);
        request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
        request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        request.put("name", pod.getMetadata().getName());
        request.put("namespace", pod.getMetadata().getNamespace());
        request.put("operation", "CREATE");
        request.putObject("userInfo").put("username", "gpu-slicer-demo");
        request.set("object", JSON.valueToTree(pod));
        request.put("dryRun", false);
        return review;
    }

    /** Reads the AdmissionReview answer for {@code pod}; throws when it is not one (a webhook defect). */
    static Admission response(String uid, Pod pod, byte[] body) throws IOException {
        JsonNode response = JSON.readTree(body).path("response");
        if (!uid.equals(response.path("uid").asText())) {
            throw new IOException("the webhook answered for uid \"" + response.path("uid").asText() + "\", not " + uid);
        }
        if (!response.path("allowed").asBoolean(false)) {
            return new Admission.Denied(response.path("status").path("code").asInt(403),
                    response.path("status").path("message").asText("denied without a message"));
        }
        List<String> warnings = new ArrayList<>();
        response.path("warnings").forEach(w -> warnings.add(w.asText()));
        String patch = response.path("patch").asText("");
        if (patch.isEmpty()) {
            return new Admission.Allowed(pod, false, warnings);
        }
        if (!"JSONPatch".equals(response.path("patchType").asText())) {
            throw new IOException("unsupported patchType " + response.path("patchType"));
        }
        JsonNode operations = JSON.readTree(Base64.getDecoder().decode(patch));
        JsonNode mutated = JsonPatch.apply(operations, JSON.valueToTree(pod));
        return new Admission.Allowed(JSON.treeToValue(mutated, Pod.class), true, warnings);
    }
}
