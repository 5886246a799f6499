package io.gpuslicer.webhook;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Structural checks on {@code request.object} that the typed model does not make: a Pod the API server
 * sends never has a {@code null} list item (Go decodes one into an empty struct that then fails validation,
 * e.g. a container without a name), so one here is refused with its path instead of reaching the mutator
 * as a null element.
 */
final class PodShape {
    private PodShape() {
    }

    /** The first problem, e.g. {@code spec.containers[1] is null}; empty when the shape is sound. */
    static Optional<String> problem(JsonNode object) {
        return nullItem(object, new StringBuilder());
    }

    private static Optional<String> nullItem(JsonNode node, StringBuilder path) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                int mark = path.length();
                path.append('[').append(i).append(']');
                JsonNode item = node.get(i);
                if (item.isNull()) {
                    return Optional.of(path + " is null");
                }
                Optional<String> found = nullItem(item, path);
                if (found.isPresent()) {
                    return found;
                }
                path.setLength(mark);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!field.getValue().isContainerNode()) {
                    continue;
                }
                int mark = path.length();
                if (mark > 0) {
                    path.append('.');
                }
                path.append(field.getKey());
                Optional<String> found = nullItem(field.getValue(), path);
                if (found.isPresent()) {
                    return found;
                }
                path.setLength(mark);
            }
        }
        return Optional.empty();
    }
}
