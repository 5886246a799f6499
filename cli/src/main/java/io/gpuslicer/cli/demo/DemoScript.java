package io.gpuslicer.cli.demo;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.gpuslicer.policy.NvidiaKeys;
import io.gpuslicer.policy.Vocabulary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scripted batch: pods as a user writes them (a workload-type label and a GPU request, nothing
 * about pools), in an order that shows each behaviour of the default policy on the bundled cluster:
 * a time-sliced pool filling up and its pods falling back; a MIG pool filling up and its pods staying
 * pending (never falling back); a MIG profile chosen by the pod; a node being reconfigured avoided;
 * the namespace-less default type; a denial; a CPU pod left alone.
 */
public final class DemoScript {
    public static final String NAMESPACE = "team-a";

    private DemoScript() {
    }

    public static List<Pod> pods(Vocabulary vocabulary) {
        String type = vocabulary.workloadTypeLabel();
        List<Pod> pods = new ArrayList<>();
        // a100-research-1: 1 GPU x 3 replicas (the policy caps sharers at 4, the replicas bind first): the 4th falls back.
        for (int i = 0; i < 4; i++) {
            pods.add(pod("research-" + i, Map.of(type, "research"), NvidiaKeys.GPU));
        }
        // No label: the policy's defaultWorkloadType (development).
        pods.add(pod("notebook-0", Map.of(), NvidiaKeys.GPU));
        pods.add(pod("training-0", Map.of(type, "training"), NvidiaKeys.GPU));
        pods.add(pod("training-1", Map.of(type, "training"), NvidiaKeys.GPU));
        pods.add(pod("fine-tuning-0", Map.of(type, "fine-tuning"), NvidiaKeys.GPU));
        pods.add(pod("batch-scoring-0", Map.of(type, "batch-inference"), NvidiaKeys.GPU));
        // a100-mig-3g-1 holds two 3g.40gb instances: the third pod stays pending, MIG never falls back.
        for (int i = 0; i < 3; i++) {
            pods.add(pod("serve-" + i, Map.of(type, "production-inference"), NvidiaKeys.migResource("3g.40gb")));
        }
        // The same workload type pinned to the small profile by the pod itself: its own pool, not a fallback.
        pods.add(pod("serve-small-0", Map.of(type, "production-inference", vocabulary.migProfileLabel(), "1g.10gb"),
                NvidiaKeys.migResource("1g.10gb")));
        // a100-mig-2g-1 holds three 2g.20gb instances; a100-mig-2g-2 is being reconfigured, so the 4th waits.
        for (int i = 0; i < 4; i++) {
            pods.add(pod("agent-" + i, Map.of(type, "critical-agents"), NvidiaKeys.migResource("2g.20gb")));
        }
        pods.add(pod("gaming-0", Map.of(type, "gaming"), NvidiaKeys.GPU));
        pods.add(pod("web-0", Map.of("app", "web"), null));
        return pods;
    }

    /** @param gpuResource one unit of it in requests and limits; null for a CPU-only pod */
    static Pod pod(String name, Map<String, String> labels, String gpuResource) {
        Map<String, Quantity> resources = new LinkedHashMap<>();
        resources.put("cpu", new Quantity("1"));
        Map<String, Quantity> limits = new LinkedHashMap<>();
        if (gpuResource != null) {
            resources.put(gpuResource, new Quantity("1"));
            limits.put(gpuResource, new Quantity("1"));
        }
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(labels).endMetadata()
                .withNewSpec()
                .addNewContainer().withName("main").withImage("registry.local/" + name.replaceAll("-[0-9]+$", "") + ":1")
                .withNewResources().withRequests(resources).withLimits(limits).endResources().endContainer()
                .withRestartPolicy("Never")
                .endSpec()
                .build();
    }
}
