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
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.gpuslicer.extender.wire.PodReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A client for the ledger's informers whose watch events and pod lists carry Pods read by {@link PodReader}: only
 * the fields the ledger keeps, streamed. fabric8 otherwise reads every event object into a JSON tree
 * and then binds all of it (managed fields, volumes, env...) into its model, which cost more CPU per
 * scheduled pod than the scheduling decisions. Any other object (a Node, an error Status, an object
 * whose kind does not come first) is read as fabric8 reads it.
 */
public final class StreamedPodEvents {
    private StreamedPodEvents() {
    }

    /**
     * A client builder whose clients read watch events this way (nothing else changes). The extender builds its one
     * client with it, so the ledger's informers need no second client, HTTP client and Vert.x of their own.
     */
    public static KubernetesClientBuilder builder() {
        return new KubernetesClientBuilder().withKubernetesSerialization(new Serialization());
    }

    /** Whether {@code client} already reads watch events this way (it was built by {@link #builder()}). */
    static boolean streams(KubernetesClient client) {
        return client.getKubernetesSerialization() instanceof Serialization;
    }

    /** A client to the same cluster as {@code base}, with the streaming watch-event reader; the caller closes it. */
    static KubernetesClient client(KubernetesClient base) {
        return builder().withConfig(base.getConfiguration()).build();
    }

    /** fabric8's serialization with the streaming reader of watch-event objects; the type is how {@link #streams} knows it. */
    private static final class Serialization extends KubernetesSerialization {
        private final ObjectMapper mapper;

        Serialization() {
            this(mapper());
        }

        private Serialization(ObjectMapper mapper) {
            super(mapper, true);
            this.mapper = mapper;
        }

        /**
         * A watch event (a JSON text frame) is read here, not as fabric8 reads it: fabric8 turns the String back into
         * bytes and reads those through an InputStream that first sniffs for YAML, which a watch never sends. It is
         * read as UTF-8 bytes rather than as the String: Jackson's byte parser finds field names in a compact table
         * of ints, where its char parser first copies the whole String into a char array and compares names char by
         * char (SchedulerLoad's profile at 500 nodes: half of the informer thread's reading was that name lookup).
         */
        @Override
        public <T> T unmarshal(String str, Class<T> type) {
            if (type == WatchEvent.class && !str.isEmpty() && str.charAt(0) == '{') {
                try {
                    return mapper.readValue(str.getBytes(StandardCharsets.UTF_8), type);
                } catch (IOException e) {
                    // Not an event we can read: fabric8's own reading decides, and reports it as it would.
                }
            }
            return super.unmarshal(str, type);
        }

        private static ObjectMapper mapper() {
            ObjectMapper mapper = new ObjectMapper();
            mapper.addMixIn(WatchEvent.class, WatchEventMixIn.class);
            mapper.addMixIn(PodList.class, PodListMixIn.class);
            return mapper;
        }
    }

    /** Replaces the deserializer of {@link WatchEvent#getObject()} (fabric8's KubernetesDeserializer, on field and setter). */
    abstract static class WatchEventMixIn {
        @JsonDeserialize(using = EventObject.class)
        private Object object;

        @JsonDeserialize(using = EventObject.class)
        abstract void setObject(Object object);
    }

    /**
     * Replaces the deserializer of each item of a {@link PodList}: the informer's first list, and every list after a
     * watch expired, reads its pods as watch events are read (a page of 500 whole fabric8 Pods at a time otherwise,
     * each trimmed by the store right after).
     */
    abstract static class PodListMixIn {
        @JsonDeserialize(contentUsing = ListedPod.class)
        private List<Pod> items;

        @JsonDeserialize(contentUsing = ListedPod.class)
        abstract void setItems(List<Pod> items);
    }

    /** A list's item: an object of a pod's fields (the API server leaves out each item's kind and apiVersion). */
    static final class ListedPod extends JsonDeserializer<Pod> {
        @Override
        public Pod deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return PodReader.read(p);
        }
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
