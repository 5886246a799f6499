package io.gpuslicer.extender.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.gpuslicer.extender.Samples;
import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.policy.GpuRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The streaming decoder reads every body the way Jackson's full binding does, as far as decisions look. */
class ExtenderArgsDecoderTest {

    static Stream<Arguments> bodiesReadAsTheFullBindingReadsThem() throws Exception {
        Pod sidecars = decided(new PodBuilder(gpuPod("sidecars", "research", 1)).editSpec()
                .addToInitContainers(new ContainerBuilder().withName("init").withNewResources()
                        .addToLimits("nvidia.com/gpu", new Quantity("3")).endResources().build())
                .addToInitContainers(new ContainerBuilder().withName("sidecar").withRestartPolicy("Always").withNewResources()
                        .addToRequests("nvidia.com/gpu", new Quantity("1")).addToLimits("nvidia.com/gpu", new Quantity("1"))
                        .endResources().build())
                .endSpec().build());
        String numericQuantity = body(gpuPod("numeric", "research", 2), List.of("n1")).replace("\"2\"", "2");
        return Stream.of(
                arguments("the captured nodeCacheCapable filter request", Samples.withDecision("extender-ncc-true-filter-request.json", POLICY, "research")),
                arguments("the captured nodeCacheCapable prioritize request", Samples.withDecision("extender-ncc-true-prioritize-request.json", POLICY, "training")),
                arguments("the captured full-Node filter request", Samples.withDecision("extender-ncc-false-filter-request.json", POLICY, "research")),
                arguments("the captured request without a decision", Samples.text("extender-ncc-true-filter-request.json")),
                arguments("a time-sliced pod with priority", body(withPriority(gpuPod("p", "development", 2), 100), List.of("a", "b"))),
                arguments("a mixed-strategy MIG pod", body(mixedMigPod("m", "production-inference", "1g.10gb"), List.of("a"))),
                arguments("a pod with init containers and a GPU sidecar", body(sidecars, List.of("a"))),
                arguments("a quantity written as a number", numericQuantity),
                arguments("a bound pod with lower-case top-level names", body(boundTo(gpuPod("b", "research", 1), "n1"), List.of("n1"))
                        .replace("\"Pod\"", "\"pod\"").replace("\"NodeNames\"", "\"nodenames\"")),
                arguments("a CPU-only pod", body(cpuPod("c"), List.of())),
                arguments("a preemption victim (DisruptionTarget condition, creation time)", body(new PodBuilder(boundTo(gpuPod("v", "research", 1), "n1"))
                        .editMetadata().withCreationTimestamp("2026-11-21T22:56:39Z").endMetadata()
                        .editStatus().addNewCondition().withType("DisruptionTarget").withStatus("True").withReason("PreemptionByScheduler")
                        .withMessage("preempted").withLastTransitionTime("2026-11-21T22:57:00Z").endCondition().endStatus().build(), List.of("n1"))),
                arguments("a null pod and null node names", "{\"Pod\":null,\"Nodes\":null,\"NodeNames\":null}"));
    }

    @ParameterizedTest(name = "{0} is read as the full binding reads it")
    @MethodSource
    void bodiesReadAsTheFullBindingReadsThem(String sentence, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ExtenderArgs bound = ExtenderJson.MAPPER.readValue(bytes, ExtenderArgs.class);
        ExtenderArgs streamed = ExtenderArgsDecoder.decode(bytes);

        assertThat(streamed.nodeNames()).isEqualTo(bound.nodeNames());
        assertThat(streamed.nodes()).isEqualTo(bound.nodes());
        if (bound.pod() == null) {
            assertThat(streamed.pod()).isNull();
            return;
        }
        assertThat(decisionView(PodInfo.of(streamed.pod(), POLICY))).isEqualTo(decisionView(PodInfo.of(bound.pod(), POLICY)));
        assertThat(GpuRequest.of(streamed.pod().getSpec())).isEqualTo(GpuRequest.of(bound.pod().getSpec()));
        assertThat(streamed.pod().getMetadata().getLabels()).isEqualTo(bound.pod().getMetadata().getLabels());
        assertThat(streamed.pod().getMetadata().getAnnotations()).isEqualTo(bound.pod().getMetadata().getAnnotations());
        assertThat(streamed.pod().getSpec().getNodeName()).isEqualTo(bound.pod().getSpec().getNodeName());
        assertThat(streamed.pod().getMetadata().getCreationTimestamp()).isEqualTo(bound.pod().getMetadata().getCreationTimestamp());
        assertThat(streamed.pod().getStatus()).usingRecursiveComparison()
                .comparingOnlyFields("phase", "nominatedNodeName", "conditions.type", "conditions.status", "conditions.reason", "conditions.message")
                .isEqualTo(bound.pod().getStatus());
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                arguments("a JSON array", "[]"),
                arguments("a pod that is a number", "{\"Pod\": 5}"),
                arguments("node names that are objects", "{\"Pod\":{},\"NodeNames\":[{}]}"),
                arguments("labels that are a list", "{\"Pod\":{\"metadata\":{\"labels\":[]}}}"),
                arguments("a priority that is text", "{\"Pod\":{\"spec\":{\"priority\":\"high\"}}}"),
                arguments("containers that are an object", "{\"Pod\":{\"spec\":{\"containers\":{}}}}"),
                arguments("a container that is a number", "{\"Pod\":{\"spec\":{\"containers\":[7]}}}"),
                arguments("a quantity fabric8 cannot read", "{\"Pod\":{\"spec\":{\"containers\":[{\"resources\":{\"limits\":{\"nvidia.com/gpu\":{\"a\":{\"a\":1}}}}}]}}}"),
                arguments("a truncated body", "{\"Pod\":{\"metadata\":{"),
                arguments("not JSON", "not json"));
    }

    @ParameterizedTest(name = "{0} is refused as the full binding refuses it")
    @MethodSource
    void malformedBodies(String sentence, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Throwable bound = catchThrowable(() -> ExtenderJson.MAPPER.readValue(bytes, ExtenderArgs.class));
        assertThat(bound).as("the full binding refuses it").isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> ExtenderArgsDecoder.decode(bytes))
                .isInstanceOf(bound.getClass())
                .hasMessage(bound.getMessage());
    }

    @ParameterizedTest(name = "the stream alone refuses {0}")
    @MethodSource("malformedBodies")
    void theStreamAloneRefusesMalformedBodies(String sentence, String body) {
        assertThatThrownBy(() -> ExtenderArgsDecoder.stream(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JsonProcessingException.class);
    }

    static Stream<Arguments> bodiesAfterAFilterOfTheSamePod() throws Exception {
        Pod pod = withPriority(gpuPod("again", "research", 2), 7);
        String filter = body(pod, List.of("n1", "n2", "n3"));
        String podJson = filter.substring("{\"Pod\":".length(), filter.indexOf(",\"Nodes\""));
        return Stream.of(
                arguments("the same pod with other node names", filter, "{\"Pod\":" + podJson + ",\"Nodes\":null,\"NodeNames\":[\"n2\"]}", true),
                arguments("the same pod and nothing else", filter, "{\"Pod\":" + podJson + "}", true),
                arguments("the same pod followed by a second Pod field", filter,
                        "{\"Pod\":" + podJson + ",\"NodeNames\":[\"n1\"],\"Pod\":" + body(gpuPod("other", "research", 1), List.of()).substring(7).replaceAll(",\"Nodes\".*", "") + "}", false),
                arguments("a pod that differs in one label", filter, "{\"Pod\":" + podJson.replace("\"again\"", "\"agaim\"") + ",\"NodeNames\":[\"n1\"]}", false));
    }

    @ParameterizedTest(name = "after a filter of a pod, {0} is read as the full binding reads it")
    @MethodSource
    void bodiesAfterAFilterOfTheSamePod(String sentence, String first, String second, boolean samePod) throws Exception {
        ExtenderArgs filtered = ExtenderArgsDecoder.decode(first.getBytes(StandardCharsets.UTF_8));
        byte[] bytes = second.getBytes(StandardCharsets.UTF_8);
        ExtenderArgs bound = ExtenderJson.MAPPER.readValue(bytes, ExtenderArgs.class);
        ExtenderArgs streamed = ExtenderArgsDecoder.decode(bytes);

        assertThat(streamed.pod() == filtered.pod()).as("the filter's Pod is reused").isEqualTo(samePod);
        assertThat(streamed.nodeNames()).isEqualTo(bound.nodeNames());
        assertThat(streamed.nodes()).isEqualTo(bound.nodes());
        assertThat(streamed.pod().getMetadata().getName()).isEqualTo(bound.pod().getMetadata().getName());
        assertThat(decisionView(PodInfo.of(streamed.pod(), POLICY))).isEqualTo(decisionView(PodInfo.of(bound.pod(), POLICY)));
        assertThat(streamed.pod().getMetadata().getLabels()).isEqualTo(bound.pod().getMetadata().getLabels());
    }

    @ParameterizedTest(name = "after a filter of the same pod, {0} is still refused as the full binding refuses it")
    @MethodSource("malformedTails")
    void malformedBodiesAfterAFilterOfTheSamePod(String sentence, String tail) throws Exception {
        String filter = body(gpuPod("tail", "research", 1), List.of("n1"));
        ExtenderArgsDecoder.decode(filter.getBytes(StandardCharsets.UTF_8));
        byte[] bytes = (filter.substring(0, filter.indexOf(",\"Nodes\"")) + tail).getBytes(StandardCharsets.UTF_8);
        Throwable bound = catchThrowable(() -> ExtenderJson.MAPPER.readValue(bytes, ExtenderArgs.class));
        assertThat(bound).as("the full binding refuses it").isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> ExtenderArgsDecoder.decode(bytes)).isInstanceOf(bound.getClass()).hasMessage(bound.getMessage());

        // The same from the middle of a larger buffer (the HTTP server's): refused alike, the buffer left as it was.
        byte[] buffer = embedded(bytes);
        byte[] before = buffer.clone();
        assertThatThrownBy(() -> ExtenderArgsDecoder.decode(buffer, PADDING, bytes.length)).isInstanceOf(bound.getClass());
        assertThat(buffer).as("the buffer is as it was").isEqualTo(before);
    }

    static Stream<Arguments> malformedTails() {
        return Stream.of(
                arguments("node names that are objects", ",\"NodeNames\":[{}]}"),
                arguments("a truncated body", ",\"NodeNames\":[\"n1\""),
                arguments("a comma and nothing else", ","));
    }

    @ParameterizedTest(name = "{0}, read from the middle of a larger buffer, is read as from an array of its own")
    @MethodSource("bodiesReadAsTheFullBindingReadsThem")
    void bodiesReadFromTheMiddleOfABuffer(String sentence, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        byte[] buffer = embedded(bytes);
        byte[] before = buffer.clone();
        ExtenderArgs own = ExtenderArgsDecoder.decode(bytes);
        ExtenderArgs inBuffer = ExtenderArgsDecoder.decode(buffer, PADDING, bytes.length);

        assertThat(inBuffer.nodeNames()).isEqualTo(own.nodeNames());
        assertThat(inBuffer.nodes()).isEqualTo(own.nodes());
        if (own.pod() != null) {
            assertThat(decisionView(PodInfo.of(inBuffer.pod(), POLICY))).isEqualTo(decisionView(PodInfo.of(own.pod(), POLICY)));
            assertThat(inBuffer.pod().getMetadata().getLabels()).isEqualTo(own.pod().getMetadata().getLabels());
        }
        assertThat(buffer).as("the buffer is as it was").isEqualTo(before);
    }

    @ParameterizedTest(name = "after a filter read from a larger buffer, {0} is read from another and the buffer is left as it was")
    @MethodSource("bodiesAfterAFilterOfTheSamePod")
    void bodiesAfterAFilterReadFromTheMiddleOfABuffer(String sentence, String first, String second, boolean samePod) throws Exception {
        byte[] firstBytes = first.getBytes(StandardCharsets.UTF_8);
        ExtenderArgs filtered = ExtenderArgsDecoder.decode(embedded(firstBytes), PADDING, firstBytes.length);
        byte[] bytes = second.getBytes(StandardCharsets.UTF_8);
        byte[] buffer = embedded(bytes);
        byte[] before = buffer.clone();
        ExtenderArgs bound = ExtenderJson.MAPPER.readValue(bytes, ExtenderArgs.class);
        ExtenderArgs streamed = ExtenderArgsDecoder.decode(buffer, PADDING, bytes.length);

        assertThat(streamed.pod() == filtered.pod()).as("the filter's Pod is reused").isEqualTo(samePod);
        assertThat(streamed.nodeNames()).isEqualTo(bound.nodeNames());
        assertThat(streamed.pod().getMetadata().getName()).isEqualTo(bound.pod().getMetadata().getName());
        assertThat(buffer).as("the buffer is as it was").isEqualTo(before);
    }

    /** Bytes before and after the body that are JSON of their own, so that a read past either end shows. */
    private static final int PADDING = 7;

    private static byte[] embedded(byte[] body) {
        byte[] buffer = new byte[PADDING + body.length + PADDING];
        Arrays.fill(buffer, (byte) ']');
        System.arraycopy("{\"Pod\":".getBytes(StandardCharsets.US_ASCII), 0, buffer, 0, PADDING);
        System.arraycopy(body, 0, buffer, PADDING, body.length);
        return buffer;
    }

    private static String body(Pod pod, List<String> names) throws Exception {
        ObjectNode root = Samples.JSON.createObjectNode();
        root.set("Pod", Samples.JSON.valueToTree(pod));
        root.putNull("Nodes");
        root.set("NodeNames", Samples.JSON.valueToTree(names));
        return root.toString();
    }

    /** Every PodInfo component a decision reads (arrays compared by content; the memo is per request). */
    private static List<Object> decisionView(PodInfo p) {
        return Arrays.asList(p.passThrough(), p.passReason(), p.uid(), p.key(), p.priority(), p.workloadType(), p.mode(),
                List.of(p.pools()), p.migProfile(), p.mixedResource(), p.units(), p.contention(), p.weights(), Map.of());
    }
}
