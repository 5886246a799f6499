package io.gpuslicer.extender.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ManagedFieldsCutTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIELDS = "[{\"apiVersion\":\"v1\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:status\":{\"f:conditions\":"
            + "{\"k:{\\\"type\\\":\\\"Ready\\\"}\":{\".\":{},\"f:status\":{}}},\"f:podIPs\":{\"k:{\\\"ip\\\":\\\"10.1.2.3\\\"}\":{}}}},"
            + "\"manager\":\"kubelet\",\"operation\":\"Update\",\"subresource\":\"status\",\"time\":\"2026-11-28T04:00:00Z\"},"
            + "{\"manager\":\"odd ] } [ { \\\" ] \\\\\",\"operation\":\"Apply\"}]";

    @ParameterizedTest(name = "{0}: the event reads as before, without the managed fields")
    @CsvSource(delimiter = '|', value = {
            "managed fields after other metadata, as the API server writes them | {\"type\":\"MODIFIED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"managedFields\":FIELDS},\"spec\":{\"nodeName\":\"n\"}}}",
            "managed fields first in metadata | {\"type\":\"ADDED\",\"object\":{\"metadata\":{\"managedFields\":FIELDS,\"name\":\"p\"}}}",
            "managed fields alone in metadata | {\"object\":{\"metadata\":{\"managedFields\":FIELDS}}}",
            "managed fields between fields, with whitespace | {\"object\":{\"metadata\":{\"name\":\"p\" ,  \"managedFields\":FIELDS , \"uid\":\"u\"}}}",
            "an annotation quoting the key first | {\"object\":{\"metadata\":{\"annotations\":{\"a\":\"{\\\"managedFields\\\":[1]}\"},\"managedFields\":FIELDS}}}",
            "an annotation ending in a backslash before the key | {\"object\":{\"metadata\":{\"annotations\":{\"a\":\"x\\\\\"},\"managedFields\":FIELDS}}}",
            "empty managed fields | {\"object\":{\"metadata\":{\"name\":\"p\",\"managedFields\":[]}}}",
    })
    void theCutEventIsTheEventWithoutItsManagedFields(String what, String event) throws IOException {
        String json = event.replace("FIELDS", FIELDS);
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        int length = ManagedFieldsCut.cut(bytes, bytes.length);

        assertThat(JSON.readTree(Arrays.copyOf(bytes, length))).isEqualTo(withoutManagedFields(JSON.readTree(json)));
    }

    @ParameterizedTest(name = "{0}: left as it was")
    @CsvSource(delimiter = '|', value = {
            "no managed fields | {\"object\":{\"metadata\":{\"name\":\"p\"}}}",
            "the key only inside a string | {\"object\":{\"metadata\":{\"annotations\":{\"a\":\"\\\"managedFields\\\":[\"}}}}",
            "an array that does not end | {\"object\":{\"metadata\":{\"managedFields\":[{\"a\":\"b\"}",
            "an array closed by a brace | {\"object\":{\"metadata\":{\"managedFields\":[{\"a\":\"b\"}}}",
            "a key that ends like the key, after an escaped quote | {\"object\":{\"spec\":{\"x\\\"managedFields\":[1]}}}",
    })
    void anEventWithoutManagedFieldsToCutIsLeftAsItWas(String what, String event) {
        byte[] bytes = event.getBytes(StandardCharsets.UTF_8);

        assertThat(ManagedFieldsCut.cut(bytes, bytes.length)).isEqualTo(bytes.length);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(event);
    }

    /** Annotations of quotes, backslashes, brackets and the key's own text, written by a JSON writer, before and after the key. */
    @ParameterizedTest(name = "random annotations around the managed fields, seed {0}: the event reads as before, without them")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomAnnotationsNeverConfuseTheCut(long seed) throws IOException {
        Random random = new Random(seed);
        String[] pieces = {"\"", "\\", "[", "]", "{", "}", ",", ":", "\"managedFields\":[", "managedFields", "é", "x", " "};
        for (int round = 0; round < 200; round++) {
            ObjectNode metadata = JSON.createObjectNode().put("name", "p");
            ObjectNode before = metadata.putObject("annotations");
            for (int a = random.nextInt(4); a > 0; a--) {
                before.put(text(random, pieces), text(random, pieces));
            }
            metadata.set("managedFields", JSON.readTree(FIELDS));
            ObjectNode after = metadata.putObject("labels");
            for (int a = random.nextInt(4); a > 0; a--) {
                after.put(text(random, pieces), text(random, pieces));
            }
            ObjectNode event = JSON.createObjectNode().put("type", "MODIFIED");
            event.putObject("object").put("kind", "Pod").set("metadata", metadata);
            byte[] bytes = JSON.writeValueAsBytes(event);

            int length = ManagedFieldsCut.cut(bytes, bytes.length);

            assertThat(JSON.readTree(Arrays.copyOf(bytes, length))).isEqualTo(withoutManagedFields(event));
        }
    }

    private static String text(Random random, String[] pieces) {
        StringBuilder out = new StringBuilder();
        for (int n = random.nextInt(6); n > 0; n--) {
            out.append(pieces[random.nextInt(pieces.length)]);
        }
        return out.toString();
    }

    private static JsonNode withoutManagedFields(JsonNode event) {
        JsonNode copy = event.deepCopy();
        ((ObjectNode) copy.path("object").path("metadata")).remove("managedFields");
        return copy;
    }
}
