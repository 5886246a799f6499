package io.gpuslicer.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;

import java.util.EnumSet;

/**
 * The JSON patch from a pod as received to the pod as placed, computed by a JSON-diff library.
 * <p>
 * Both sides are the <em>typed</em> pod serialised the same way, so a field the model drops or
 * normalises (an unknown field, {@code "status": {}}, {@code creationTimestamp: null}) is absent
 * or identical on both sides and can never turn into a {@code remove} of something the user sent.
 * The ops only touch paths we changed, which exist alike in the raw request object.
 * {@code move}/{@code copy} are not emitted: plain add/replace/remove are easier to audit.
 */
final class PodPatch {
    private static final EnumSet<DiffFlags> FLAGS = DiffFlags.dontNormalizeOpIntoMoveAndCopy();

    private PodPatch() {
    }

    /** @param original the typed pod as received, already serialised (done once, before mutating) */
    static ArrayNode diff(ObjectMapper json, JsonNode original, Pod mutated) {
        return (ArrayNode) JsonDiff.asJson(original, json.valueToTree(mutated), FLAGS);
    }
}
