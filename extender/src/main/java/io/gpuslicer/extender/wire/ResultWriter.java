package io.gpuslicer.extender.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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

    /** The answer's JSON bytes. */
    public static byte[] write(Object result) throws JsonProcessingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint(result));
        write(result, out);
        return out.toByteArray();
    }

    /**
     * Writes the answer's JSON to {@code out}: the HTTP server's response buffer, so that an answer is written once
     * and not copied from an array into the buffer afterwards.
     */
    public static void write(Object result, OutputStream out) throws JsonProcessingException {
        try {
            if (result instanceof ExtenderFilterResult f && f.nodes() == null) {
                filter(f, out);
                return;
            }
            if (result instanceof List<?> list && allHostPriorities(list)) {
                priorities(list, out);
                return;
            }
            ExtenderJson.MAPPER.writeValue(out, result);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
    }

    /** About the bytes {@link #write} writes for {@code result} (more for the answers written field by field). */
    public static int sizeHint(Object result) {
        if (result instanceof ExtenderFilterResult r && r.nodes() == null) {
            int names = r.nodeNames() == null ? 0 : r.nodeNames().size();
            return 256 + 24 * (names + size(r.failedNodes()) + size(r.failedAndUnresolvableNodes()));
        }
        if (result instanceof List<?> list) {
            return 16 + 40 * list.size();
        }
        return 256;
    }

    private static void filter(ExtenderFilterResult r, OutputStream out) throws IOException {
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
    }

    private static void priorities(List<?> list, OutputStream out) throws IOException {
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
