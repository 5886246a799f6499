package io.gpuslicer.webhook;

import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Pod builders and readers for the tests, shaped like what the API server sends after its own defaulting. */
final class Pods {
    private Pods() {
    }

    /** A pod as the API server hands it to the webhook: default scheduler, stamped priority 0, default tolerations. */
    static PodBuilder gpuPod(String resource, long count) {
        return new PodBuilder()
                .withNewMetadata().withName("p").withNamespace("ns").endMetadata()
                .withNewSpec()
                .addNewContainer().withName("c").withImage("cuda")
                .withNewResources().addToLimits(resource, new Quantity(String.valueOf(count))).endResources()
                .endContainer()
                .withSchedulerName("default-scheduler")
                .withPriority(0)
                .withPreemptionPolicy("PreemptLowerPriority")
                .addToTolerations(new TolerationBuilder().withKey("node.kubernetes.io/not-ready").withOperator("Exists")
                        .withEffect("NoExecute").withTolerationSeconds(300L).build())
                .endSpec();
    }

    static PodBuilder gpuPod() {
        return gpuPod("nvidia.com/gpu", 1);
    }

    static PodBuilder typed(String workloadType) {
        return gpuPod().editMetadata().addToLabels("gpuslicer.io/workload-type", workloadType).endMetadata();
    }

    /** Required node affinity terms as maps key -> value (each requirement is key In [value]). */
    static List<Map<String, String>> requiredTerms(Pod pod) {
        if (pod.getSpec().getAffinity() == null || pod.getSpec().getAffinity().getNodeAffinity() == null
                || pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return List.of();
        }
        return pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().stream().map(Pods::asMap).toList();
    }

    /** Preferred terms as "weight:key=value,..." strings. */
    static List<String> preferredTerms(Pod pod) {
        if (pod.getSpec().getAffinity() == null || pod.getSpec().getAffinity().getNodeAffinity() == null) {
            return List.of();
        }
        return pod.getSpec().getAffinity().getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().stream()
                .map(p -> p.getWeight() + ":" + asMap(p.getPreference())).toList();
    }

    static Map<String, String> asMap(NodeSelectorTerm term) {
        Map<String, String> out = new TreeMap<>();
        term.getMatchExpressions().forEach(r -> out.put(r.getKey(), r.getOperator() + " " + String.join("|", r.getValues())));
        return out;
    }

    static List<String> tolerations(Pod pod) {
        return pod.getSpec().getTolerations().stream()
                .map(t -> t.getKey() + (t.getValue() == null ? "" : "=" + t.getValue()) + ":" + t.getEffect()).toList();
    }
}
