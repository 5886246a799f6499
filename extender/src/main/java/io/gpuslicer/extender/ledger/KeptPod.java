package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the pod informer's cache keeps of a Pod ({@link TrimmedPodStore}): identity, where it runs, its priority and
 * phase, the annotations that may be a decision, and each container's name, resources and restart policy. A few
 * Strings per pod; what many pods have alike (the namespace, the decision, a Deployment's resources) is kept once.
 * Read back as a trimmed Pod ({@link #pod()}), built afresh each time: a cached fabric8 Pod, with the empty lists and
 * maps each of its model objects carries, took about 4 KB per pod, 570 MiB for 150,000 pods.
 */
record KeptPod(String name, String namespace, String uid, String resourceVersion, Map<String, String> annotations,
               boolean hasSpec, String nodeName, Integer priority, List<KeptContainer> containers,
               List<KeptContainer> initContainers, boolean hasStatus, String phase, String nominatedNodeName) {
    private static final String DECISION_SUFFIX = "/decision";
    /**
     * Values many pods share, kept once. Emptied when full: the pods keep the values they share, and values nobody
     * holds any more (an old policy's decisions, a deleted namespace's name) are not kept for the extender's life.
     */
    private static final int SHARED_AT_MOST = 10_000;
    private static final Map<Object, Object> SHARED = new ConcurrentHashMap<>();

    /**
     * A container as the cache keeps it; {@code resources} is shared with the pods that ask for the same, and compared by
     * identity (fabric8's {@code ResourceRequirements} hashes every quantity's amount, a BigDecimal parsed per call).
     */
    record KeptContainer(String name, ResourceRequirements resources, String restartPolicy) {
        @Override
        public boolean equals(Object o) {
            return o instanceof KeptContainer c && java.util.Objects.equals(name, c.name) && resources == c.resources
                    && java.util.Objects.equals(restartPolicy, c.restartPolicy);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(name, System.identityHashCode(resources), restartPolicy);
        }

        Container container() {
            Container c = new Container();
            c.setName(name);
            c.setResources(resources);
            c.setRestartPolicy(restartPolicy);
            return c;
        }
    }

    static KeptPod of(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        PodSpec spec = pod.getSpec();
        PodStatus status = pod.getStatus();
        return new KeptPod(meta.getName(), shared(meta.getNamespace()), meta.getUid(), meta.getResourceVersion(),
                decisionOnly(meta.getAnnotations()), spec != null, spec == null ? null : spec.getNodeName(),
                spec == null ? null : spec.getPriority(), spec == null ? null : containers(spec.getContainers()),
                spec == null ? null : containers(spec.getInitContainers()), status != null,
                status == null ? null : status.getPhase(), status == null ? null : status.getNominatedNodeName());
    }

    /** The trimmed Pod: built with setters, not fabric8's builders (those deep-copy every nested object). */
    Pod pod() {
        ObjectMeta m = new ObjectMeta();
        m.setName(name);
        m.setNamespace(namespace);
        m.setUid(uid);
        m.setResourceVersion(resourceVersion);
        m.setAnnotations(annotations == null ? null : new HashMap<>(annotations));
        Pod out = new Pod();
        out.setMetadata(m);
        if (hasSpec) {
            PodSpec spec = new PodSpec();
            spec.setNodeName(nodeName);
            spec.setPriority(priority);
            spec.setContainers(materialize(containers));
            spec.setInitContainers(materialize(initContainers));
            out.setSpec(spec);
        }
        if (hasStatus) {
            PodStatus status = new PodStatus();
            status.setPhase(phase);
            status.setNominatedNodeName(nominatedNodeName);
            out.setStatus(status);
        }
        return out;
    }

    /** Only annotations that may be a decision (any prefix: the policy's vocabulary can change). */
    private static Map<String, String> decisionOnly(Map<String, String> annotations) {
        if (annotations == null) {
            return null;
        }
        Map<String, String> out = null;
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            if (e.getKey().endsWith(DECISION_SUFFIX) && e.getValue() != null) {
                if (out == null) {
                    out = new HashMap<>(2);
                }
                out.put(e.getKey(), e.getValue());
            }
        }
        return out == null ? Map.of() : shared(Map.copyOf(out));
    }

    private static List<KeptContainer> containers(List<Container> containers) {
        if (containers == null) {
            return null;
        }
        List<KeptContainer> out = new ArrayList<>(containers.size());
        for (Container c : containers) {
            out.add(new KeptContainer(c.getName(), resources(c.getResources()), c.getRestartPolicy()));
        }
        return shared(List.copyOf(out));
    }

    private static List<Container> materialize(List<KeptContainer> containers) {
        if (containers == null) {
            return null;
        }
        List<Container> out = new ArrayList<>(containers.size());
        for (KeptContainer c : containers) {
            out.add(c.container());
        }
        return out;
    }

    /**
     * Resources shared with the pods that ask for the same, found by their text: fabric8's {@code Quantity} compares and
     * hashes by its amount in bytes, a BigDecimal parsed per call. Resources with anything else in them are kept as they are.
     */
    private static ResourceRequirements resources(ResourceRequirements r) {
        if (r == null || !r.getAdditionalProperties().isEmpty() || (r.getClaims() != null && !r.getClaims().isEmpty())) {
            return r;
        }
        StringBuilder key = new StringBuilder("resources:");
        text(key, r.getRequests());
        key.append('|');
        text(key, r.getLimits());
        return shared(key.toString(), r);
    }

    private static void text(StringBuilder key, Map<String, Quantity> quantities) {
        if (quantities == null) {
            key.append("null");
            return;
        }
        quantities.forEach((k, q) -> key.append(k).append('=')
                .append(q == null ? "null" : q.getAmount() + "/" + q.getFormat()).append(','));
    }

    private static <T> T shared(T value) {
        return value == null ? null : shared(value, value);
    }

    @SuppressWarnings("unchecked")
    private static <T> T shared(Object key, T value) {
        Object seen = SHARED.get(key);
        if (seen != null) {
            return (T) seen;
        }
        if (SHARED.size() >= SHARED_AT_MOST) {
            SHARED.clear();
        }
        seen = SHARED.putIfAbsent(key, value);
        return seen == null ? value : (T) seen;
    }
}
