package io.gpuslicer.e2e.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.zjsonpatch.JsonPatch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The {@code patches:} (and legacy {@code patchesStrategicMerge:}) of a kustomization applied as kustomize
 * applies them, so the tests check what {@code kubectl apply -k} installs, not the bases:
 * <ul>
 *   <li>a patch that is a YAML list is a JSON 6902 patch (applied with zjsonpatch), any other is a strategic
 *       merge patch;</li>
 *   <li>{@code target} selects the objects (group, version, kind, name, namespace); without one, a strategic
 *       merge patch applies to the object of its own kind and name;</li>
 *   <li>strategic merge: maps merge recursively, {@code null} deletes a key, lists of objects merge by their
 *       merge key ({@code name}, else {@code mountPath}, {@code containerPort}, {@code key}), other lists are
 *       replaced, and {@code $patch: delete} removes a list item. That is the rule of every list field
 *       gpu-slicer's manifests patch; kustomize takes the merge key from the OpenAPI schema.</li>
 * </ul>
 * A patch that matches nothing fails the build, as kustomize does.
 */
final class KustomizePatches {
    private static final List<String> MERGE_KEYS = List.of("name", "mountPath", "containerPort", "key");

    private KustomizePatches() {
    }

    static List<HasMetadata> apply(ManifestSupport.Kustomization k, List<HasMetadata> objects) {
        List<HasMetadata> out = new ArrayList<>(objects);
        for (JsonNode p : k.raw().path("patches")) {
            String text = p.has("path") ? read(k.dir().resolve(p.get("path").asText())) : p.path("patch").asText();
            applyOne(k.dir(), ManifestSupport.yamlTree(text), p.path("target"), out);
        }
        for (JsonNode p : k.raw().path("patchesStrategicMerge")) {
            applyOne(k.dir(), ManifestSupport.yamlTree(read(k.dir().resolve(p.asText()))), ManifestSupport.YAML.missingNode(), out);
        }
        return out;
    }

    private static void applyOne(Path dir, JsonNode patch, JsonNode target, List<HasMetadata> objects) {
        boolean json6902 = patch.isArray();
        if (json6902 && target.isMissingNode()) {
            throw new IllegalStateException(dir + ": a JSON 6902 patch needs a target");
        }
        int applied = 0;
        for (int i = 0; i < objects.size(); i++) {
            HasMetadata o = objects.get(i);
            if (!(target.isMissingNode() ? sameObject(patch, o) : selects(target, o))) {
                continue;
            }
            JsonNode tree = Serialization.jsonMapper().valueToTree(o);
            JsonNode patched = json6902 ? JsonPatch.apply(patch, tree) : merge(tree, patch);
            objects.set(i, typed(patched));
            applied++;
        }
        if (applied == 0) {
            throw new IllegalStateException(dir + ": a patch matches no object (target " + target + ")");
        }
    }

    private static boolean selects(JsonNode target, HasMetadata o) {
        String apiVersion = o.getApiVersion();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        return matches(target, "group", group) && matches(target, "version", version) && matches(target, "kind", o.getKind())
                && matches(target, "name", o.getMetadata().getName()) && matches(target, "namespace", o.getMetadata().getNamespace());
    }

    private static boolean matches(JsonNode target, String field, String value) {
        return !target.has(field) || target.get(field).asText().equals(value);
    }

    private static boolean sameObject(JsonNode patch, HasMetadata o) {
        return patch.path("kind").asText().equals(o.getKind())
                && patch.path("metadata").path("name").asText().equals(o.getMetadata().getName());
    }

    /** Strategic merge of {@code patch} into a copy of {@code base}. */
    static JsonNode merge(JsonNode base, JsonNode patch) {
        if (!base.isObject() || !patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode out = base.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode value = f.getValue();
            JsonNode current = out.get(f.getKey());
            if (value.isNull()) {
                out.remove(f.getKey());
            } else if (current != null && current.isArray() && value.isArray()) {
                out.set(f.getKey(), mergeList((ArrayNode) current, (ArrayNode) value));
            } else if (current != null) {
                out.set(f.getKey(), merge(current, value));
            } else {
                out.set(f.getKey(), value.deepCopy());
            }
        }
        return out;
    }

    private static JsonNode mergeList(ArrayNode base, ArrayNode patch) {
        String key = mergeKey(base, patch);
        if (key == null) {
            return patch.deepCopy();
        }
        ArrayNode out = base.deepCopy();
        for (JsonNode item : patch) {
            int at = indexOf(out, key, item.get(key));
            boolean delete = "delete".equals(item.path("$patch").asText());
            if (delete) {
                if (at >= 0) {
                    out.remove(at);
                }
            } else if (at >= 0) {
                out.set(at, merge(out.get(at), item));
            } else {
                out.add(item.deepCopy());
            }
        }
        return out;
    }

    private static String mergeKey(ArrayNode base, ArrayNode patch) {
        for (String key : MERGE_KEYS) {
            if (allHave(base, key) && allHave(patch, key) && !(base.isEmpty() && patch.isEmpty())) {
                return key;
            }
        }
        return null;
    }

    private static boolean allHave(ArrayNode list, String key) {
        for (JsonNode item : list) {
            if (!item.isObject() || !item.has(key)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(ArrayNode list, String key, JsonNode value) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).get(key).equals(value)) {
                return i;
            }
        }
        return -1;
    }

    private static HasMetadata typed(JsonNode tree) {
        KubernetesResource r = Serialization.unmarshal(new ByteArrayInputStream(tree.toString().getBytes(StandardCharsets.UTF_8)));
        return (HasMetadata) r;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
