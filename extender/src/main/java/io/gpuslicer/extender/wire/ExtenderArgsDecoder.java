package io.gpuslicer.extender.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;

import java.io.IOException;
import java.util.ArrayList;
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

    /** The streaming read alone (package-private for its test). */
    static ExtenderArgs stream(byte[] body) throws IOException {
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != JsonToken.START_OBJECT) {
                throw new MalformedRequestException("ExtenderArgs must be a JSON object, not " + JsonFields.shape(t), p);
            }
            Pod pod = null;
            NodeList nodes = null;
            List<String> names = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equalsIgnoreCase("Pod")) {
                    pod = PodReader.read(p);
                } else if (field.equalsIgnoreCase("NodeNames")) {
                    names = nodeNames(p);
                } else if (field.equalsIgnoreCase("Nodes")) {
                    nodes = JsonFields.startObject(p, "Nodes") ? ExtenderJson.MAPPER.readValue(p, NodeList.class) : null;
                } else {
                    p.skipChildren();
                }
            }
            return new ExtenderArgs(pod, nodes, names);
        }
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
