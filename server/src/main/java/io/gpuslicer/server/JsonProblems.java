package io.gpuslicer.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;

import java.util.regex.Pattern;

/**
 * Short, client-facing descriptions of JSON that could not be read: the field (as a JSON path below
 * the document's root) and Jackson's reason without Java package names, source excerpts or stack frames.
 */
public final class JsonProblems {
    static final int MAX_MESSAGE = 300;
    private static final Pattern PACKAGES = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+(?=[A-Z])");

    private JsonProblems() {
    }

    /** e.g. {@code spec.containers[0].resources: Cannot deserialize value of type `ResourceRequirements` from String value}. */
    public static String describe(JsonProcessingException e) {
        String reason = firstLine(e.getOriginalMessage());
        String path = e instanceof JsonMappingException m ? path(m) : "";
        String text = path.isEmpty() ? reason : path + ": " + reason;
        text = PACKAGES.matcher(text).replaceAll("");
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 3) + "...";
    }

    /** The JSON path of the failure, e.g. {@code spec.containers[2].name}; empty at the root. */
    static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String firstLine(String s) {
        if (s == null || s.isBlank()) {
            return "unreadable JSON";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
