package io.gpuslicer.extender.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams the part of a Pod that extender decisions read into fabric8's model, skipping the rest
 * (managed fields, volumes, env, affinity, tolerations: most of the bytes) without binding it:
 * <ul>
 *   <li>metadata: name, generateName, namespace, uid, resourceVersion, creationTimestamp,
 *       deletionTimestamp, labels, annotations;</li>
 *   <li>spec: priority, priorityClassName, preemptionPolicy, schedulerName, nodeName, and of each
 *       container and init container its name, restartPolicy and resources (requests, limits);</li>
 *   <li>status: phase, nominatedNodeName, and of each condition its type, status, reason and message.</li>
 * </ul>
 * Also the reader of the ledger informer's pod events ({@code ledger.StreamedPodEvents}), so whatever
 * reads pods from the extender's requests or its pod informer (decisions, ledger, fleet metrics) sees
 * these fields only: code that needs another pod field must add it here (ExtenderArgsDecoderTest
 * compares this reading with Jackson's full binding). Field names are matched exactly, as fabric8's binding does.
 */
public final class PodReader {
    private PodReader() {
    }

    /** The pod at the parser's current token (START_OBJECT), or null for JSON null. */
    public static Pod read(JsonParser p) throws IOException {
        if (!JsonFields.startObject(p, "Pod")) {
            return null;
        }
        Pod pod = new Pod();
        p.nextToken();
        readFields(p, pod);
        return pod;
    }

    /** Reads the pod's fields from the current token (a field name, or the END_OBJECT) to the end of the object. */
    public static void readFields(JsonParser p, Pod pod) throws IOException {
        for (; p.currentToken() == JsonToken.FIELD_NAME; p.nextToken()) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "metadata" -> pod.setMetadata(metadata(p));
                case "spec" -> pod.setSpec(spec(p));
                case "status" -> pod.setStatus(status(p));
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new MalformedRequestException("Pod: expected a field name, found " + JsonFields.shape(p.currentToken()), p);
        }
    }

    private static ObjectMeta metadata(JsonParser p) throws IOException {
        if (!JsonFields.startObject(p, "Pod.metadata")) {
            return null;
        }
        ObjectMeta meta = new ObjectMeta();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "name" -> meta.setName(JsonFields.text(p, "Pod.metadata.name"));
                case "generateName" -> meta.setGenerateName(JsonFields.text(p, "Pod.metadata.generateName"));
                case "namespace" -> meta.setNamespace(JsonFields.text(p, "Pod.metadata.namespace"));
                case "uid" -> meta.setUid(JsonFields.text(p, "Pod.metadata.uid"));
                case "resourceVersion" -> meta.setResourceVersion(JsonFields.text(p, "Pod.metadata.resourceVersion"));
                case "creationTimestamp" -> meta.setCreationTimestamp(JsonFields.text(p, "Pod.metadata.creationTimestamp"));
                case "deletionTimestamp" -> meta.setDeletionTimestamp(JsonFields.text(p, "Pod.metadata.deletionTimestamp"));
                case "labels" -> meta.setLabels(JsonFields.strings(p, "Pod.metadata.labels"));
                case "annotations" -> meta.setAnnotations(JsonFields.strings(p, "Pod.metadata.annotations"));
                default -> p.skipChildren();
            }
        }
        return meta;
    }

    private static PodSpec spec(JsonParser p) throws IOException {
        if (!JsonFields.startObject(p, "Pod.spec")) {
            return null;
        }
        PodSpec spec = new PodSpec();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "priority" -> spec.setPriority(JsonFields.integer(p, "Pod.spec.priority"));
                case "priorityClassName" -> spec.setPriorityClassName(JsonFields.text(p, "Pod.spec.priorityClassName"));
                case "preemptionPolicy" -> spec.setPreemptionPolicy(JsonFields.text(p, "Pod.spec.preemptionPolicy"));
                case "schedulerName" -> spec.setSchedulerName(JsonFields.text(p, "Pod.spec.schedulerName"));
                case "nodeName" -> spec.setNodeName(JsonFields.text(p, "Pod.spec.nodeName"));
                case "containers" -> spec.setContainers(containers(p, "Pod.spec.containers"));
                case "initContainers" -> spec.setInitContainers(containers(p, "Pod.spec.initContainers"));
                default -> p.skipChildren();
            }
        }
        return spec;
    }

    private static List<Container> containers(JsonParser p, String field) throws IOException {
        if (!JsonFields.startArray(p, field)) {
            return null;
        }
        List<Container> out = new ArrayList<>(2);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(container(p, field + "[]"));
        }
        return out;
    }

    private static Container container(JsonParser p, String field) throws IOException {
        if (!JsonFields.startObject(p, field)) {
            return null;
        }
        Container c = new Container();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "name" -> c.setName(JsonFields.text(p, field + ".name"));
                case "restartPolicy" -> c.setRestartPolicy(JsonFields.text(p, field + ".restartPolicy"));
                case "resources" -> c.setResources(resources(p, field + ".resources"));
                default -> p.skipChildren();
            }
        }
        return c;
    }

    private static ResourceRequirements resources(JsonParser p, String field) throws IOException {
        if (!JsonFields.startObject(p, field)) {
            return null;
        }
        ResourceRequirements r = new ResourceRequirements();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "requests" -> r.setRequests(quantities(p, field + ".requests"));
                case "limits" -> r.setLimits(quantities(p, field + ".limits"));
                default -> p.skipChildren();
            }
        }
        return r;
    }

    private static Map<String, Quantity> quantities(JsonParser p, String field) throws IOException {
        if (!JsonFields.startObject(p, field)) {
            return null;
        }
        Map<String, Quantity> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            out.put(name, quantity(p, field + "." + name));
        }
        return out;
    }

    /** "1", 1, or fabric8's own {"amount": "1", "format": ""}; the number is parsed when a decision asks for it. */
    private static Quantity quantity(JsonParser p, String field) throws IOException {
        try {
            return quantityOrThrow(p, field);
        } catch (IllegalArgumentException e) {
            // fabric8 refuses the text (as its own deserializer would, which makes the full binding answer 400).
            throw new MalformedRequestException(field + ": " + e.getMessage(), p);
        }
    }

    private static Quantity quantityOrThrow(JsonParser p, String field) throws IOException {
        if (p.currentToken() == JsonToken.START_OBJECT) {
            String amount = null;
            String format = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "amount" -> amount = JsonFields.text(p, field + ".amount");
                    case "format" -> format = JsonFields.text(p, field + ".format");
                    default -> p.skipChildren();
                }
            }
            // As fabric8's Quantity.Deserializer reads an object.
            if (amount == null) {
                return new Quantity("");
            }
            return format == null ? new Quantity(amount) : new Quantity(amount, format);
        }
        String text = JsonFields.text(p, field);
        return text == null ? null : new Quantity(text);
    }

    private static PodStatus status(JsonParser p) throws IOException {
        if (!JsonFields.startObject(p, "Pod.status")) {
            return null;
        }
        PodStatus status = new PodStatus();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "phase" -> status.setPhase(JsonFields.text(p, "Pod.status.phase"));
                case "nominatedNodeName" -> status.setNominatedNodeName(JsonFields.text(p, "Pod.status.nominatedNodeName"));
                case "conditions" -> status.setConditions(conditions(p));
                default -> p.skipChildren();
            }
        }
        return status;
    }

    private static List<PodCondition> conditions(JsonParser p) throws IOException {
        if (!JsonFields.startArray(p, "Pod.status.conditions")) {
            return null;
        }
        List<PodCondition> out = new ArrayList<>(4);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (!JsonFields.startObject(p, "Pod.status.conditions[]")) {
                out.add(null);
                continue;
            }
            PodCondition c = new PodCondition();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "type" -> c.setType(JsonFields.text(p, "Pod.status.conditions[].type"));
                    case "status" -> c.setStatus(JsonFields.text(p, "Pod.status.conditions[].status"));
                    case "reason" -> c.setReason(JsonFields.text(p, "Pod.status.conditions[].reason"));
                    case "message" -> c.setMessage(JsonFields.text(p, "Pod.status.conditions[].message"));
                    default -> p.skipChildren();
                }
            }
            out.add(c);
        }
        return out;
    }
}
