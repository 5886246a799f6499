package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
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

    static Pod trim(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        PodBuilder b = new PodBuilder().withNewMetadata()
                .withName(meta.getName()).withNamespace(meta.getNamespace()).withUid(meta.getUid())
                .withResourceVersion(meta.getResourceVersion()).withAnnotations(decisionOnly(meta.getAnnotations()))
                .endMetadata();
        if (pod.getSpec() != null) {
            b.withNewSpec()
                    .withNodeName(pod.getSpec().getNodeName())
                    .withPriority(pod.getSpec().getPriority())
                    .withContainers(resourcesOnly(pod.getSpec().getContainers()))
                    .withInitContainers(resourcesOnly(pod.getSpec().getInitContainers()))
                    .endSpec();
        }
        if (pod.getStatus() != null) {
            b.withNewStatus().withPhase(pod.getStatus().getPhase())
                    .withNominatedNodeName(pod.getStatus().getNominatedNodeName()).endStatus();
        }
        return b.build();
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
            out.add(new ContainerBuilder().withName(c.getName()).withResources(c.getResources())
                    .withRestartPolicy(c.getRestartPolicy()).build());
        }
        return out;
    }
}
