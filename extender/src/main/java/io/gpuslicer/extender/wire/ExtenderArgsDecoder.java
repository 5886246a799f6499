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
        return decode(body, 0, body.length);
    }

    /**
     * As {@link #decode(byte[])}, for the body in {@code buf[offset, offset + length)}: the HTTP server hands over the
     * request buffer's own array, so that a body is not copied to be read. The bytes may be changed while the call
     * runs and are as they were when it returns ({@link #rest}).
     */
    public static ExtenderArgs decode(byte[] buf, int offset, int length) throws IOException {
        try {
            return stream(buf, offset, length);
        } catch (JsonProcessingException e) {
            // Not a body kube-scheduler sends. Answered exactly as the full binding answers it (same message, same
            // JSON path, same leniency): a client sees one behaviour, and the slow path costs only on bad input.
            return ExtenderJson.MAPPER.readValue(buf, offset, length, ExtenderArgs.class);
        }
    }

    /** The streaming read alone (package-private for its test). */
    static ExtenderArgs stream(byte[] body) throws IOException {
        return stream(body, 0, body.length);
    }

    /**
     * The streaming read of {@code buf[offset, offset + length)}. A body that starts with the bytes of a pod read
     * recently (prioritize after filter) reuses that Pod and parses only the fields after it.
     */
    private static ExtenderArgs stream(byte[] buf, int offset, int length) throws IOException {
        int end = offset + length;
        boolean podFirst = startsWith(buf, offset, end, POD_FIRST);
        if (podFirst) {
            RecentPods.Hit hit = RECENT.find(buf, offset + POD_FIRST.length, end);
            if (hit != null) {
                return rest(buf, offset + POD_FIRST.length + hit.length(), end, hit.pod());
            }
        }
        try (JsonParser p = JSON.createParser(buf, offset, length)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != JsonToken.START_OBJECT) {
                throw new MalformedRequestException("ExtenderArgs must be a JSON object, not " + JsonFields.shape(t), p);
            }
            return fields(p, null, podFirst ? buf : null, offset);
        }
    }

    /**
     * The fields after a pod already known: {@code body[at]} is the ',' or '}' that follows the pod's bytes. The
     * rest is read as an object of its own, with the same rules: the ',' is made a '{' for the read, and put back.
     * (A copy of the rest, '{' first, cost a few KiB per prioritize call.)
     */
    private static ExtenderArgs rest(byte[] body, int at, int end, Pod pod) throws IOException {
        if (body[at] == '}') {
            return new ExtenderArgs(pod, null, null);
        }
        body[at] = '{';
        try (JsonParser p = JSON.createParser(body, at, end - at)) {
            p.nextToken();
            return fields(p, pod, null, 0);
        } finally {
            body[at] = ',';
        }
    }

    /**
     * The object's fields from the parser's START_OBJECT on. {@code podFirstBody}: the buffer, when the body (from
     * {@code offset} in it) starts with the Pod, whose bytes are then remembered ({@link RecentPods}); null otherwise.
     */
    private static ExtenderArgs fields(JsonParser p, Pod pod, byte[] podFirstBody, int offset) throws IOException {
        NodeList nodes = null;
        List<String> names = null;
        boolean first = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if (field.equalsIgnoreCase("Pod")) {
                pod = PodReader.read(p);
                if (first && podFirstBody != null && pod != null) {
                    // The parser counts bytes from the start of its input, which is the buffer's offset.
                    RECENT.remember(podFirstBody, offset + POD_FIRST.length, offset + (int) p.currentLocation().getByteOffset(), pod);
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

    private static boolean startsWith(byte[] buf, int offset, int end, byte[] prefix) {
        return end - offset > prefix.length && Arrays.equals(buf, offset, offset + prefix.length, prefix, 0, prefix.length);
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
