package io.gpuslicer.extender.wire;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeListBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The answers written field by field are the bytes the object mapper writes, wherever they are written to. */
class ResultWriterTest {

    static Stream<Arguments> answers() {
        Map<String, String> failed = new LinkedHashMap<>();
        failed.put("n2", "gpu-slicer: TimeSliceCapacity: 1 of 32 replicas free, pod wants 2");
        failed.put("n3", "quotes \" and \\ and \u00e9 and <tags> & \u0001");
        return Stream.of(
                arguments("a filter result with names, refusals and no error",
                        new ExtenderFilterResult(null, List.of("n1", "n4"), failed, Map.of("n5", "gpu-slicer: PoolAllowed"), "")),
                arguments("a filter result with no names and empty refusals", new ExtenderFilterResult(null, null, Map.of(), Map.of(), "")),
                arguments("a filter result with null refusals", new ExtenderFilterResult(null, List.of(), null, null, "")),
                arguments("a filter error", ExtenderFilterResult.error("gpu-slicer: not ready: no policy")),
                arguments("a filter result carrying full Nodes", new ExtenderFilterResult(new NodeListBuilder().withNewMetadata().endMetadata()
                        .addToItems(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build()).build(), null, Map.of(), Map.of(), "")),
                arguments("host priorities", List.of(new HostPriority("n1", 10), new HostPriority("n\u00e9", 0), new HostPriority("n3", 7))),
                arguments("no host priorities", List.of()),
                arguments("a bind answer", new ExtenderBindingResult("binding ns/p to n1 failed: pod not found")),
                arguments("a bind success", ExtenderBindingResult.OK));
    }

    @ParameterizedTest(name = "{0} is written as the object mapper writes it")
    @MethodSource("answers")
    void answersAreWrittenAsTheMapperWritesThem(String sentence, Object answer) throws Exception {
        assertThat(new String(ResultWriter.write(answer), StandardCharsets.UTF_8))
                .isEqualTo(new String(ExtenderJson.MAPPER.writeValueAsBytes(answer), StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} is written to a stream as to an array")
    @MethodSource("answers")
    void answersAreWrittenToAStreamAsToAnArray(String sentence, Object answer) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1);
        ResultWriter.write(answer, out);
        assertThat(out.toByteArray()).isEqualTo(ExtenderJson.MAPPER.writeValueAsBytes(answer));
    }
}
