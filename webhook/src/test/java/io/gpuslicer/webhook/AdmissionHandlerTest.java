package io.gpuslicer.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import io.gpuslicer.policy.PriorityClassSpec;
import io.gpuslicer.webhook.WebhookMetrics.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class AdmissionHandlerTest {
    private static final Policy POLICY = PolicyLoader.defaultPolicy();
    private static final PriorityClasses NO_CLUSTER = name -> Optional.empty();

    /** The ops our webhook sends for the kubectl-run sample (default workload type development). */
    static final String KUBECTL_RUN_PATCH = """
            [{"op":"add","path":"/metadata/annotations","value":{"gpuslicer.io/decision":
               "{\\"type\\":\\"development\\",\\"mode\\":\\"time-slicing\\",\\"pools\\":[\\"a100-development\\",\\"a100-research\\"],\\"policy\\":\\"%s\\"}"}},
             {"op":"add","path":"/spec/tolerations/2","value":{"effect":"NoSchedule","key":"gpu","operator":"Equal","value":"true"}},
             {"op":"replace","path":"/spec/priority","value":100},
             {"op":"replace","path":"/spec/schedulerName","value":"gpu-slicer-scheduler"},
             {"op":"add","path":"/spec/affinity","value":{"nodeAffinity":{
                "preferredDuringSchedulingIgnoredDuringExecution":[
                  {"preference":{"matchExpressions":[{"key":"workload-type","operator":"In","values":["development"]}]},"weight":100},
                  {"preference":{"matchExpressions":[{"key":"workload-type","operator":"In","values":["research"]}]},"weight":50}],
                "requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
                  {"matchExpressions":[{"key":"workload-type","operator":"In","values":["development"]}]},
                  {"matchExpressions":[{"key":"workload-type","operator":"In","values":["research"]}]}]}}}},
             {"op":"add","path":"/spec/priorityClassName","value":"research"}]
            """;

    private AdmissionHandler handler(NamespaceLabels namespaces, PriorityClasses cluster) {
        return new AdmissionHandler(() -> POLICY, namespaces, cluster);
    }

    private final AdmissionHandler handler = handler(NamespaceLabels.NONE, NO_CLUSTER);

    static JsonNode json(String text) {
        try {
            return Samples.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode body(AdmissionHandler.Reply reply) {
        return json(new String(reply.body(), StandardCharsets.UTF_8));
    }

    /** The request object with the reply's patch applied: what the API server persists. */
    private static JsonNode applied(ObjectNode review, AdmissionHandler.Reply reply) {
        JsonNode patch = Samples.patchOf(body(reply));
        JsonNode object = review.path("request").path("object");
        return patch == null ? object : JsonPatch.apply(patch, object);
    }

    private static ObjectNode withObject(ObjectNode review, JsonNode object) {
        ObjectNode copy = review.deepCopy();
        ((ObjectNode) copy.get("request")).set("object", object);
        return copy;
    }

    @Test
    void theKubectlRunSampleGetsExactlyThePlacementPatch() throws Exception {
        AdmissionHandler.Reply reply = handler.handle(Samples.bytes(Samples.KUBECTL_RUN));
        JsonNode response = body(reply).get("response");
        assertThat(response.get("uid").asText()).isEqualTo("7b2c4a7c-28f5-4ebb-9c97-f431362b9c74");
        assertThat(response.get("allowed").asBoolean()).isTrue();
        assertThat(response.get("patchType").asText()).isEqualTo("JSONPatch");
        assertThat(Samples.patchOf(body(reply))).isEqualTo(json(KUBECTL_RUN_PATCH.formatted(POLICY.version())));
        assertThat(reply.outcome()).isEqualTo(Outcome.PATCHED);
        assertThat(reply.workloadType()).isEqualTo("development");
    }

    @ParameterizedTest(name = "a second pass over the webhook''s own output of {0} gives no patch")
    @ValueSource(strings = {Samples.KUBECTL_RUN, Samples.PCN_ONLY, Samples.GENERATE_NAME, Samples.DRY_RUN, Samples.REINVOCATION})
    void isIdempotentOverItsOwnOutput(String sample) throws Exception {
        ObjectNode review = Samples.review(sample);
        AdmissionHandler.Reply first = handler.handle(Samples.toBytes(review));
        assertThat(first.outcome()).isEqualTo(Outcome.PATCHED);

        ObjectNode reinvocation = withObject(review, applied(review, first));
        AdmissionHandler.Reply second = handler.handle(Samples.toBytes(reinvocation));
        assertThat(body(second).get("response").has("patch")).isFalse();
        assertThat(body(second).get("response").get("allowed").asBoolean()).isTrue();
        assertThat(second.outcome()).isEqualTo(Outcome.UNCHANGED);
    }

    @Test
    void theReinvocationSampleKeepsItsPriorityClassAndStampedPriority() throws Exception {
        JsonNode patch = Samples.patchOf(body(handler.handle(Samples.bytes(Samples.REINVOCATION))));
        List<String> paths = new ArrayList<>();
        patch.forEach(op -> paths.add(op.get("op").asText() + " " + op.get("path").asText()));
        assertThat(paths).containsExactly("add /metadata/annotations", "add /spec/tolerations/3",
                "replace /spec/schedulerName", "add /spec/affinity");
    }

    @Test
    void aDeploymentPodWithOnlyGenerateNameIsPlacedLikeAnyOther() throws Exception {
        AdmissionHandler.Reply reply = handler.handle(Samples.bytes(Samples.GENERATE_NAME));
        ArrayNode expected = (ArrayNode) json(KUBECTL_RUN_PATCH.formatted(POLICY.version()));
        // This pod already carries an annotation, so ours is added into the map, its '/' escaped as ~1.
        expected.set(0, json("{\"op\":\"add\",\"path\":\"/metadata/annotations/gpuslicer.io~1decision\",\"value\":"
                + expected.get(0).at("/value/gpuslicer.io~1decision").toString() + "}"));
        assertThat(Samples.patchOf(body(reply))).isEqualTo(expected);
        assertThat(body(reply).get("response").get("uid").asText()).isEqualTo("ea60194c-f8a6-4f45-83a8-ddeffa13582e");
    }

    @Test
    void aDryRunIsAnsweredExactlyLikeARealRequest() throws Exception {
        AdmissionHandler.Reply reply = handler.handle(Samples.bytes(Samples.DRY_RUN));
        assertThat(Samples.patchOf(body(reply))).isEqualTo(json(KUBECTL_RUN_PATCH.formatted(POLICY.version())));
    }

    @Test
    void priorityAndPreemptionPolicyComeFromTheLiveClassWhenTheApiServerStampedZero() throws Exception {
        PriorityClasses cluster = name -> Optional.of(new PriorityClassSpec(name, 100, "Never"));
        AdmissionHandler.Reply reply = handler(NamespaceLabels.NONE, cluster).handle(Samples.bytes(Samples.PCN_ONLY));
        JsonNode pod = applied(Samples.review(Samples.PCN_ONLY), reply);
        assertThat(pod.at("/spec/priorityClassName").asText()).isEqualTo("research");
        assertThat(pod.at("/spec/priority").asInt()).isEqualTo(100);
        assertThat(pod.at("/spec/preemptionPolicy").asText()).isEqualTo("Never");
    }

    @Test
    void theNamespaceLabelsChooseTheWorkloadType() throws Exception {
        NamespaceLabels labels = ns -> "gpu-test".equals(ns) ? Map.of("gpuslicer.io/workload-type", "training") : Map.of();
        AdmissionHandler.Reply reply = handler(labels, NO_CLUSTER).handle(Samples.bytes(Samples.KUBECTL_RUN));
        assertThat(reply.workloadType()).isEqualTo("training");
        assertThat(applied(Samples.review(Samples.KUBECTL_RUN), reply).at("/spec/priority").asInt()).isEqualTo(500);
    }

    @Test
    void fieldsTheModelDoesNotKnowAreNeverRemoved() throws Exception {
        ObjectNode review = Samples.review(Samples.KUBECTL_RUN);
        ObjectNode object = (ObjectNode) review.at("/request/object");
        ((ObjectNode) object.get("spec")).putObject("futureSpecField").put("enabled", true);
        ((ObjectNode) object.get("metadata")).put("futureMetaField", "x");
        ((ObjectNode) object.at("/spec/tolerations/0")).put("futureTolerationField", 1);
        ((ObjectNode) object.at("/spec/containers/0")).putArray("futureContainerList").add("a");

        AdmissionHandler.Reply reply = handler.handle(Samples.toBytes(review));
        JsonNode patch = Samples.patchOf(body(reply));
        patch.forEach(op -> assertThat(op.get("op").asText()).isNotEqualTo("remove"));
        JsonNode result = applied(review, reply);
        assertThat(result.at("/spec/futureSpecField/enabled").asBoolean()).isTrue();
        assertThat(result.at("/metadata/futureMetaField").asText()).isEqualTo("x");
        assertThat(result.at("/spec/tolerations/0/futureTolerationField").asInt()).isEqualTo(1);
        assertThat(result.at("/spec/containers/0/futureContainerList/0").asText()).isEqualTo("a");
        assertThat(result.at("/status").isObject()).isTrue();
    }

    @Test
    void anUnknownWorkloadTypeIsDeniedWithCode400AndTheKnownTypes() throws Exception {
        ObjectNode review = Samples.review(Samples.KUBECTL_RUN);
        ((ObjectNode) review.at("/request/object/metadata/labels")).put("gpuslicer.io/workload-type", "gaming");
        AdmissionHandler.Reply reply = handler.handle(Samples.toBytes(review));
        JsonNode response = body(reply).get("response");
        assertThat(response.get("allowed").asBoolean()).isFalse();
        assertThat(response.at("/status/code").asInt()).isEqualTo(400);
        assertThat(response.at("/status/message").asText()).contains("unknown workload type \"gaming\"")
                .contains("known types: research, development, training");
        assertThat(reply.outcome()).isEqualTo(Outcome.DENIED);
    }

    @Test
    void aPodWithoutGpuIsAllowedUnchanged() throws Exception {
        ObjectNode review = Samples.review(Samples.KUBECTL_RUN);
        ((ObjectNode) review.at("/request/object/spec/containers/0")).remove("resources");
        AdmissionHandler.Reply reply = handler.handle(Samples.toBytes(review));
        assertThat(body(reply)).isEqualTo(json("""
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview",
                 "response":{"uid":"7b2c4a7c-28f5-4ebb-9c97-f431362b9c74","allowed":true}}"""));
        assertThat(reply.outcome()).isEqualTo(Outcome.SKIPPED);
    }

    @Test
    void aNonPodObjectIsAllowedUnchangedBecauseTheWebhookIsOnlyRegisteredForPods() throws Exception {
        ObjectNode review = Samples.review(Samples.KUBECTL_RUN);
        ((ObjectNode) review.at("/request/kind")).put("kind", "ConfigMap");
        review.set("request", ((ObjectNode) review.get("request")).set("object", json("{\"kind\":\"ConfigMap\",\"data\":{}}")));
        AdmissionHandler.Reply reply = handler.handle(Samples.toBytes(review));
        assertThat(body(reply).get("response").get("allowed").asBoolean()).isTrue();
        assertThat(body(reply).get("response").has("patch")).isFalse();
        assertThat(reply.outcome()).isEqualTo(Outcome.SKIPPED);
    }

    @Test
    void anObjectThatIsNotAValidPodIsDeniedWithCode400() throws Exception {
        ObjectNode review = withObject(Samples.review(Samples.KUBECTL_RUN), json("{\"kind\":\"Pod\",\"spec\":{\"containers\":\"oops\"}}"));
        JsonNode response = body(handler.handle(Samples.toBytes(review))).get("response");
        assertThat(response.get("allowed").asBoolean()).isFalse();
        assertThat(response.at("/status/code").asInt()).isEqualTo(400);
        assertThat(response.at("/status/message").asText()).startsWith("request.object is not a valid Pod");
    }

    static Stream<Arguments> invalidPods() {
        return Stream.of(
                arguments("a null container", "/spec/containers", "[{\"name\":\"c\"},null]", "spec.containers[1] is null"),
                arguments("a null init container", "/spec/initContainers", "[null]", "spec.initContainers[0] is null"),
                arguments("a null toleration", "/spec/tolerations", "[null]", "spec.tolerations[0] is null"),
                arguments("a null environment entry", "/spec/containers/0/env", "[null]", "spec.containers[0].env[0] is null"),
                arguments("containers that are a string", "/spec/containers", "\"c\"",
                        "spec.containers: Cannot deserialize value of type `ArrayList<Container>` from String value"),
                arguments("resources that are a number", "/spec/containers/0/resources", "7",
                        "spec.containers[0].resources: Cannot construct instance of `ResourceRequirements`"),
                arguments("labels that are a list", "/metadata/labels", "[1]",
                        "metadata.labels: Cannot deserialize value of type `LinkedHashMap<String,String>` from Array value"),
                arguments("a priority that is not a number", "/spec/priority", "\"high\"",
                        "spec.priority: Cannot deserialize value of type `Integer` from String \"high\""));
    }

    @ParameterizedTest(name = "a pod with {0} is denied with code 400 naming the field")
    @MethodSource("invalidPods")
    void aPodTheApiServerWouldNeverSendIsDeniedNamingTheField(String what, String pointer, String value, String message) throws Exception {
        ObjectNode review = Samples.review(Samples.KUBECTL_RUN);
        ObjectNode object = (ObjectNode) review.path("request").path("object");
        JsonNode parent = object.at(pointer.substring(0, pointer.lastIndexOf('/')));
        ((ObjectNode) parent).set(pointer.substring(pointer.lastIndexOf('/') + 1), json(value));

        AdmissionHandler.Reply reply = handler.handle(Samples.toBytes(review));

        JsonNode response = body(reply).get("response");
        assertThat(response.get("allowed").asBoolean()).isFalse();
        assertThat(response.at("/status/code").asInt()).isEqualTo(400);
        assertThat(response.at("/status/message").asText()).startsWith("request.object is not a valid Pod: " + message);
        assertThat(reply.outcome()).isEqualTo(Outcome.ERROR);
    }

    static Stream<Arguments> badEnvelopes() {
        return Stream.of(
                arguments("an empty body", "", "empty body: expected an AdmissionReview"),
                arguments("a body that is not JSON", "<xml/>", "the body is not JSON"),
                arguments("truncated JSON", "{\"apiVersion\":", "the body is not JSON"),
                arguments("a JSON array", "[]", "the body must be a JSON object: an AdmissionReview"),
                arguments("the v1beta1 AdmissionReview", "{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\"}}",
                        "unsupported apiVersion \"admission.k8s.io/v1beta1\""),
                arguments("another kind", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"Pod\",\"request\":{\"uid\":\"u\"}}",
                        "unsupported kind \"Pod\": expected AdmissionReview"),
                arguments("no request", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}", "the AdmissionReview has no request"),
                arguments("a request without uid", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"kind\":{\"kind\":\"Pod\"}}}",
                        "request.uid is missing"));
    }

    @ParameterizedTest(name = "{0} is refused with 400: {2}")
    @MethodSource("badEnvelopes")
    void refusesBadEnvelopes(String name, String body, String message) {
        assertThatThrownBy(() -> handler.handle(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(BadAdmissionRequest.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).startsWith(message);
                });
    }

    @Test
    void thePatchOnlyUsesAddReplaceAndRemove() throws Exception {
        ArrayNode patch = (ArrayNode) Samples.patchOf(body(handler.handle(Samples.bytes(Samples.REINVOCATION))));
        patch.forEach(op -> assertThat(op.get("op").asText()).isIn("add", "replace", "remove"));
    }
}
