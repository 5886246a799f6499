package io.gpuslicer.extender.ledger;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.gpuslicer.extender.wire.PodReader;

import java.io.IOException;

/**
 * A client for the ledger's informers whose watch events carry Pods read by {@link PodReader}: only
 * the fields the ledger keeps, streamed. fabric8 otherwise reads every event object into a JSON tree
 * and then binds all of it (managed fields, volumes, env...) into its model, which cost more CPU per
 * scheduled pod than the scheduling decisions. Any other object (a Node, an error Status, an object
 * whose kind does not come first) is read as fabric8 reads it.
 */
final class StreamedPodEvents {
    private StreamedPodEvents() {
    }

    /** A client to the same cluster as {@code base}, with the streaming watch-event reader; the caller closes it. */
    static KubernetesClient client(KubernetesClient base) {
        ObjectMapper mapper = new ObjectMapper();
        mapper.addMixIn(WatchEvent.class, WatchEventMixIn.class);
        return new KubernetesClientBuilder().withConfig(base.getConfiguration())
                .withKubernetesSerialization(new KubernetesSerialization(mapper, true)).build();
    }

    /** Replaces the deserializer of {@link WatchEvent#getObject()} (fabric8's KubernetesDeserializer, on field and setter). */
    abstract static class WatchEventMixIn {
        @JsonDeserialize(using = EventObject.class)
        private Object object;

        @JsonDeserialize(using = EventObject.class)
        abstract void setObject(Object object);
    }

    /** kube-apiserver writes {@code kind} and {@code apiVersion} first (Go's TypeMeta), fabric8 too: enough to choose. */
    static final class EventObject extends JsonDeserializer<Object> {
        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                return ctxt.readValue(p, KubernetesResource.class);
            }
            String apiVersion = null;
            String kind = null;
            JsonToken t = p.nextToken();
            while (t == JsonToken.FIELD_NAME && (apiVersion == null || kind == null)) {
                String name = p.currentName();
                if (!name.equals("apiVersion") && !name.equals("kind")) {
                    break;
                }
                p.nextToken();
                if (name.equals("apiVersion")) {
                    apiVersion = p.getValueAsString();
                } else {
                    kind = p.getValueAsString();
                }
                t = p.nextToken();
            }
            if ("v1".equals(apiVersion) && "Pod".equals(kind)) {
                Pod pod = new Pod();
                PodReader.readFields(p, pod);
                return pod;
            }
            // Not a pod, or not in the usual order: the rest as a tree, bound the way fabric8 binds it.
            ObjectNode tree = ctxt.getNodeFactory().objectNode();
            if (apiVersion != null) {
                tree.put("apiVersion", apiVersion);
            }
            if (kind != null) {
                tree.put("kind", kind);
            }
            for (; p.currentToken() == JsonToken.FIELD_NAME; p.nextToken()) {
                String name = p.currentName();
                p.nextToken();
                tree.set(name, ctxt.readTree(p));
            }
            return ctxt.readTreeAsValue(tree, KubernetesResource.class);
        }
    }
}
