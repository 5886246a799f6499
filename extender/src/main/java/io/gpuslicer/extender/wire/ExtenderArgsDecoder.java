package io.gpuslicer.extender.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an ExtenderArgs body with Jackson's streaming parser: the Pod through {@link PodReader} (only
 * the fields decisions read), the node names as strings, and full Nodes (nodeCacheCapable: false)
 * bound by Jackson as before. kube-scheduler sends the whole Pod on every call, and binding all of it
 * into fabric8's model cost more than the decision. Top-level names are matched case-insensitively,
 * as Go's encoding/json does. A body the stream cannot read is read again by the full binding, whose
 * answer (arguments, or an exception with its message and JSON path) is the answer.
 */
public final class ExtenderArgsDecoder {
    private static final JsonFactory JSON = ExtenderJson.MAPPER.getFactory();
    /** How Go's encoding/json starts an ExtenderArgs: the Pod comes first (struct field order). */
    private static final byte[] POD_FIRST = "{\"Pod\":".getBytes(StandardCharsets.US_ASCII);
    private static final RecentPods RECENT = new RecentPods();

    private ExtenderArgsDecoder() {
    }

    /**
     * @return the arguments, or null for a body that is JSON {@code null}
     * @throws com.fasterxml.jackson.core.JsonProcessingException for a body that is not JSON or not an ExtenderArgs
     */
    public static ExtenderArgs decode(byte[] body) throws IOException {
        try {
            return stream(body);
        } catch (JsonProcessingException e) {
            // Not a body kube-scheduler sends. Answered exactly as the full binding answers it (same message, same
            // JSON path, same leniency): a client sees one behaviour, and the slow path costs only on bad input.
            return ExtenderJson.MAPPER.readValue(body, ExtenderArgs.class);
        }
    }

    /**
     * The streaming read alone (package-private for its test). A body that starts with the bytes of a pod read
     * recently (prioritize after filter) reuses that Pod and parses only the fields after it.
     */
    static ExtenderArgs stream(byte[] body) throws IOException {
        boolean podFirst = startsWith(body, POD_FIRST);
        if (podFirst) {
            RecentPods.Hit hit = RECENT.find(body, POD_FIRST.length);
            if (hit != null) {
                return rest(body, POD_FIRST.length + hit.length(), hit.pod());
            }
        }
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != JsonToken.START_OBJECT) {
                throw new MalformedRequestException("ExtenderArgs must be a JSON object, not " + JsonFields.shape(t), p);
            }
            return fields(p, null, podFirst ? body : null);
        }
    }

    /**
     * The fields after a pod already known: {@code body[at]} is the ',' or '}' that follows the pod's bytes. The
     * rest is read as an object of its own ('{' + what follows the comma), with the same rules.
     */
    private static ExtenderArgs rest(byte[] body, int at, Pod pod) throws IOException {
        if (body[at] == '}') {
            return new ExtenderArgs(pod, null, null);
        }
        byte[] tail = new byte[body.length - at];
        tail[0] = '{';
        System.arraycopy(body, at + 1, tail, 1, tail.length - 1);
        try (JsonParser p = JSON.createParser(tail)) {
            p.nextToken();
            return fields(p, pod, null);
        }
    }

    /**
     * The object's fields from the parser's START_OBJECT on. {@code podFirstBody}: the body, when it starts with
     * the Pod, whose bytes are then remembered ({@link RecentPods}); null otherwise.
     */
    private static ExtenderArgs fields(JsonParser p, Pod pod, byte[] podFirstBody) throws IOException {
        NodeList nodes = null;
        List<String> names = null;
        boolean first = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if (field.equalsIgnoreCase("Pod")) {
                pod = PodReader.read(p);
                if (first && podFirstBody != null && pod != null) {
                    RECENT.remember(podFirstBody, POD_FIRST.length, (int) p.currentLocation().getByteOffset(), pod);
                }
            } else if (field.equalsIgnoreCase("NodeNames")) {
                names = nodeNames(p);
            } else if (field.equalsIgnoreCase("Nodes")) {
                nodes = JsonFields.startObject(p, "Nodes") ? ExtenderJson.MAPPER.readValue(p, NodeList.class) : null;
            } else {
                p.skipChildren();
            }
            first = false;
        }
        return new ExtenderArgs(pod, nodes, names);
    }

    private static boolean startsWith(byte[] body, byte[] prefix) {
        return body.length > prefix.length && Arrays.equals(body, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Node names as sent, JSON nulls included (request validation decides what to do with them). */
    private static List<String> nodeNames(JsonParser p) throws IOException {
        if (!JsonFields.startArray(p, "NodeNames")) {
            return null;
        }
        List<String> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(JsonFields.text(p, "NodeNames[]"));
        }
        return out;
    }
}
