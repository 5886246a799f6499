package io.gpuslicer.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;

/** The AdmissionReview bodies captured from kube-apiserver v1.32 (copied from shared/samples). */
final class Samples {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String KUBECTL_RUN = "webhook-admissionreview-request-kubectl-run.json";
    static final String PCN_ONLY = "webhook-admissionreview-request-kubectl-run-pcn-only.json";
    static final String GENERATE_NAME = "webhook-admissionreview-request-deployment-pod-generateName.json";
    static final String DRY_RUN = "webhook-admissionreview-request-dryrun.json";
    static final String REINVOCATION = "webhook-admissionreview-request-reinvocation.json";

    private Samples() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Samples.class.getResourceAsStream("/samples/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode review(String name) {
        try {
            return (ObjectNode) JSON.readTree(bytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] toBytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The decoded JSON patch of an AdmissionReview response, or null when it has none. */
    static JsonNode patchOf(JsonNode responseReview) {
        JsonNode patch = responseReview.path("response").get("patch");
        if (patch == null) {
            return null;
        }
        try {
            return JSON.readTree(Base64.getDecoder().decode(patch.asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
