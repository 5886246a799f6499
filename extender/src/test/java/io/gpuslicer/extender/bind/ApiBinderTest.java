package io.gpuslicer.extender.bind;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The hand-written Binding body is the JSON fabric8's model would send for the same binding. */
class ApiBinderTest {
    static Stream<Arguments> bodyIsWhatFabric8WouldWrite() {
        return Stream.of(
                arguments("a binding with a UID names it in the metadata", new Binding("default", "train-0", "uid-1", "node-a")),
                arguments("a binding without a UID leaves it out", new Binding("default", "train-0", null, "node-a")),
                arguments("quotes and backslashes in names are escaped", new Binding("ns", "we\"ird\\name", "u\u0001", "n\"1")),
                arguments("a binding's annotations are in its metadata", new Binding("default", "train-0", "uid-1", "node-a",
                        Map.of("gpuslicer.io/pool", "a100-research"))),
                arguments("annotations are escaped like names", new Binding("default", "train-0", "uid-1", "node-a",
                        Map.of("gpuslicer.io/pool", "we\"ird\\pool"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void bodyIsWhatFabric8WouldWrite(String sentence, Binding b) throws Exception {
        io.fabric8.kubernetes.api.model.Binding model = new BindingBuilder().withNewMetadata().withName(b.name())
                .withNamespace(b.namespace()).withUid(b.uid()).withAnnotations(b.annotations().isEmpty() ? null : b.annotations())
                .endMetadata()
                .withNewTarget().withApiVersion("v1").withKind("Node").withName(b.node()).endTarget().build();
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(ApiBinder.body(b))).isEqualTo(json.readTree(Serialization.asJson(model)));
    }
}
