package io.gpuslicer.extender.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reading one value at the parser's current token, with the coercions Jackson's databind applies to
 * the same Java types (a number where a string is expected is its text), so a body reads the same
 * whether streamed or bound. A value of the wrong shape is a {@link MalformedRequestException}
 * naming the field.
 */
final class JsonFields {
    private JsonFields() {
    }

    /** A string (or a scalar's text); null for JSON null. */
    static String text(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT
                || t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new MalformedRequestException(field + " must be a string, not " + shape(t), p);
    }

    /** An integer (or a string holding one); null for JSON null. */
    static Integer integer(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getIntValue();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_STRING) {
            try {
                return Integer.valueOf(p.getText().trim());
            } catch (NumberFormatException e) {
                throw new MalformedRequestException(field + " must be an integer, not \"" + p.getText() + "\"", p);
            }
        }
        throw new MalformedRequestException(field + " must be an integer, not " + shape(t), p);
    }

    /** An object of strings (labels, annotations); null for JSON null. */
    static Map<String, String> strings(JsonParser p, String field) throws IOException {
        if (!startObject(p, field)) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            out.put(key, text(p, field));
        }
        return out;
    }

    /** True at the start of an object, false at JSON null; anything else is malformed. */
    static boolean startObject(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            return true;
        }
        if (t == JsonToken.VALUE_NULL) {
            return false;
        }
        throw new MalformedRequestException(field + " must be an object, not " + shape(t), p);
    }

    /** True at the start of an array, false at JSON null; anything else is malformed. */
    static boolean startArray(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_ARRAY) {
            return true;
        }
        if (t == JsonToken.VALUE_NULL) {
            return false;
        }
        throw new MalformedRequestException(field + " must be an array, not " + shape(t), p);
    }

    static String shape(JsonToken t) {
        if (t == null) {
            return "the end of the body";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }
}
