package io.gpuslicer.extender.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes the verbs' answers as JSON bytes. The two answered on every scheduling cycle, a node-name
 * ExtenderFilterResult and a HostPriorityList, are written field by field with Jackson's generator
 * (binding records goes through reflection per element: for 230 nodes that cost more than the
 * decision); everything else, e.g. a filter result carrying full Node objects, goes through the mapper.
 * The bytes are the mapper's: same fields, same order, nulls written where it writes them.
 */
public final class ResultWriter {
    private static final JsonFactory JSON = ExtenderJson.MAPPER.getFactory();

    private ResultWriter() {
    }

    public static byte[] write(Object result) throws JsonProcessingException {
        try {
            if (result instanceof ExtenderFilterResult f && f.nodes() == null) {
                return filter(f);
            }
            if (result instanceof List<?> list && allHostPriorities(list)) {
                return priorities(list);
            }
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return ExtenderJson.MAPPER.writeValueAsBytes(result);
    }

    private static byte[] filter(ExtenderFilterResult r) throws IOException {
        int names = r.nodeNames() == null ? 0 : r.nodeNames().size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 24 * (names + size(r.failedNodes()) + size(r.failedAndUnresolvableNodes())));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            if (r.nodeNames() != null) {
                g.writeArrayFieldStart("NodeNames");
                for (String name : r.nodeNames()) {
                    g.writeString(name);
                }
                g.writeEndArray();
            }
            writeMap(g, "FailedNodes", r.failedNodes());
            writeMap(g, "FailedAndUnresolvableNodes", r.failedAndUnresolvableNodes());
            g.writeStringField("Error", r.error());
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static byte[] priorities(List<?> list) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + 40 * list.size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            for (Object o : list) {
                HostPriority h = (HostPriority) o;
                g.writeStartObject();
                g.writeStringField("Host", h.host());
                g.writeNumberField("Score", h.score());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        return out.toByteArray();
    }

    private static void writeMap(JsonGenerator g, String field, Map<String, String> map) throws IOException {
        if (map == null) {
            g.writeNullField(field);
            return;
        }
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, String> e : map.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static boolean allHostPriorities(List<?> list) {
        for (Object o : list) {
            if (!(o instanceof HostPriority)) {
                return false;
            }
        }
        return true;
    }

    private static int size(Map<?, ?> m) {
        return m == null ? 0 : m.size();
    }
}
