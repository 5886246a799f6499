package io.gpuslicer.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;

import java.util.EnumSet;

/**
 * The JSON patch from a pod as received to the pod as placed, computed by a JSON-diff library.
 * <p>
 * Both sides are the <em>typed</em> pod serialised the same way, so a field the model drops or
 * normalises (an unknown field, {@code creationTimestamp: null}) is absent or identical on both sides
 * and can never turn into a {@code remove} of something the user sent.
 * <p>
 * Only the fields {@link PodMutator} writes are serialised and diffed ({@link #FIELDS}): the rest of
 * the pod is identical on both sides by construction, and serialising a whole pod twice per admission
 * would cost more than the mutation itself. A test checks this projection against a whole-pod diff.
 * {@code move}/{@code copy} are not emitted: plain add/replace/remove are easier to audit.
 */
final class PodPatch {
    /** The fields PodMutator may change, as JSON paths: everything else is left alone by contract. */
    static final String FIELDS = "/metadata/annotations, /spec/{nodeSelector, affinity, tolerations, priorityClassName, "
            + "priority, preemptionPolicy, schedulerName}";
    private static final EnumSet<DiffFlags> FLAGS = DiffFlags.dontNormalizeOpIntoMoveAndCopy();

    private PodPatch() {
    }

    static ArrayNode diff(ObjectMapper json, Pod original, Pod mutated) {
        return (ArrayNode) JsonDiff.asJson(project(json, original), project(json, mutated), FLAGS);
    }

    /** The whole pods diffed: the reference the projection is tested against. */
    static ArrayNode diffWhole(ObjectMapper json, Pod original, Pod mutated) {
        return (ArrayNode) JsonDiff.asJson(json.valueToTree(original), json.valueToTree(mutated), FLAGS);
    }

    private static ObjectNode project(ObjectMapper json, Pod pod) {
        ObjectNode root = json.createObjectNode();
        if (pod.getMetadata() != null) {
            put(json, root.putObject("metadata"), "annotations", pod.getMetadata().getAnnotations());
        }
        PodSpec spec = pod.getSpec();
        if (spec != null) {
            ObjectNode s = root.putObject("spec");
            put(json, s, "nodeSelector", spec.getNodeSelector());
            put(json, s, "affinity", spec.getAffinity());
            put(json, s, "tolerations", spec.getTolerations());
            put(json, s, "priorityClassName", spec.getPriorityClassName());
            put(json, s, "priority", spec.getPriority());
            put(json, s, "preemptionPolicy", spec.getPreemptionPolicy());
            put(json, s, "schedulerName", spec.getSchedulerName());
        }
        return root;
    }

    /** Absent, null and empty are one thing to the model (it serialises with NON_EMPTY), so here too. */
    private static void put(ObjectMapper json, ObjectNode into, String field, Object value) {
        if (value == null) {
            return;
        }
        JsonNode node = json.valueToTree(value);
        if (node == null || node.isNull() || (node.isContainerNode() && node.isEmpty())) {
            return;
        }
        into.set(field, node);
    }
}
