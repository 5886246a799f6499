package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * The pod informer's cache, holding a trimmed copy of each Pod: identity, the fields that say
 * where it runs and what GPU resources it holds. A cluster of 150,000 pods with managed fields,
 * env and volumes would otherwise keep gigabytes the extender never reads. Event handlers still
 * receive the full new object; only the cached (old) copy is trimmed.
 */
final class TrimmedPodStore extends BasicItemStore<Pod> {
    private static final String DECISION_SUFFIX = "/decision";

    TrimmedPodStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public Pod put(String key, Pod pod) {
        return super.put(key, trim(pod));
    }

    /** Built with setters, not fabric8's builders: those deep-copy every nested object, once per pod event. */
    static Pod trim(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        ObjectMeta m = new ObjectMeta();
        m.setName(meta.getName());
        m.setNamespace(meta.getNamespace());
        m.setUid(meta.getUid());
        m.setResourceVersion(meta.getResourceVersion());
        m.setAnnotations(decisionOnly(meta.getAnnotations()));
        Pod out = new Pod();
        out.setMetadata(m);
        if (pod.getSpec() != null) {
            PodSpec spec = new PodSpec();
            spec.setNodeName(pod.getSpec().getNodeName());
            spec.setPriority(pod.getSpec().getPriority());
            spec.setContainers(resourcesOnly(pod.getSpec().getContainers()));
            spec.setInitContainers(resourcesOnly(pod.getSpec().getInitContainers()));
            out.setSpec(spec);
        }
        if (pod.getStatus() != null) {
            PodStatus status = new PodStatus();
            status.setPhase(pod.getStatus().getPhase());
            status.setNominatedNodeName(pod.getStatus().getNominatedNodeName());
            out.setStatus(status);
        }
        return out;
    }

    /** Only annotations that may be a decision (any prefix: the policy's vocabulary can change). */
    private static Map<String, String> decisionOnly(Map<String, String> annotations) {
        if (annotations == null) {
            return null;
        }
        Map<String, String> out = new HashMap<>(2);
        annotations.forEach((k, v) -> {
            if (k.endsWith(DECISION_SUFFIX)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static List<Container> resourcesOnly(List<Container> containers) {
        if (containers == null) {
            return null;
        }
        List<Container> out = new ArrayList<>(containers.size());
        for (Container c : containers) {
            Container kept = new Container();
            kept.setName(c.getName());
            // Shared, not copied: the event's Pod is not modified after delivery.
            kept.setResources(c.getResources());
            kept.setRestartPolicy(c.getRestartPolicy());
            out.add(kept);
        }
        return out;
    }
}
