package io.gpuslicer.cli.demo;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.gpuslicer.extender.ledger.GpuKind;
import io.gpuslicer.extender.ledger.NodeInventory;
import io.gpuslicer.extender.ledger.NodeTaint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SchedulerFiltersTest {
    private static final NodeTaint GPU_TRUE = new NodeTaint("gpu", "true", "NoSchedule");
    private static final Toleration TOLERATE_GPU_TRUE = new Toleration("NoSchedule", "gpu", "Equal", null, "true");

    private static NodeInventory node(Map<String, String> labels, NodeTaint... taints) {
        return new NodeInventory("n1", labels, List.of(taints), null, GpuKind.NONE, 0, 0, 0, Map.of(), null, null);
    }

    private static PodSpec pod(Map<String, String> selector, List<Toleration> tolerations, NodeSelectorRequirement... required) {
        PodSpecBuilder b = new PodSpecBuilder().withNodeSelector(selector).withTolerations(tolerations);
        if (required.length > 0) {
            b.withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .addNewNodeSelectorTerm().withMatchExpressions(required).endNodeSelectorTerm()
                    .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity();
        }
        return b.build();
    }

    private static NodeSelectorRequirement in(String key, String... values) {
        return new NodeSelectorRequirement(key, "In", List.of(values));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("an untainted node without selectors passes", pod(Map.of(), List.of()), node(Map.of()), null),
                arguments("a NoSchedule taint refuses a pod without the toleration", pod(Map.of(), List.of()),
                        node(Map.of(), GPU_TRUE), "node(s) had untolerated taint {gpu: true}"),
                arguments("the matching toleration lets the pod through", pod(Map.of(), List.of(TOLERATE_GPU_TRUE)),
                        node(Map.of(), GPU_TRUE), null),
                arguments("a toleration for another value does not", pod(Map.of(), List.of(new Toleration("NoSchedule", "gpu", "Equal", null, "mig"))),
                        node(Map.of(), GPU_TRUE), "node(s) had untolerated taint {gpu: true}"),
                arguments("Exists with no key tolerates every taint", pod(Map.of(), List.of(new Toleration(null, null, "Exists", null, null))),
                        node(Map.of(), GPU_TRUE), null),
                arguments("PreferNoSchedule is not a filter", pod(Map.of(), List.of()),
                        node(Map.of(), new NodeTaint("gpu", "true", "PreferNoSchedule")), null),
                arguments("a nodeSelector the node lacks refuses it", pod(Map.of("workload-type", "research"), List.of()),
                        node(Map.of("workload-type", "training")), SchedulerFilters.AFFINITY_MISMATCH),
                arguments("required affinity In one of the values passes", pod(Map.of(), List.of(), in("workload-type", "research", "development")),
                        node(Map.of("workload-type", "development")), null),
                arguments("required affinity In other values refuses", pod(Map.of(), List.of(), in("workload-type", "research")),
                        node(Map.of("workload-type", "batch")), SchedulerFilters.AFFINITY_MISMATCH),
                arguments("taints are checked before affinity, as in kube-scheduler", pod(Map.of("workload-type", "x"), List.of()),
                        node(Map.of(), GPU_TRUE), "node(s) had untolerated taint {gpu: true}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void kubeSchedulersOwnFilters(String name, PodSpec pod, NodeInventory node, String expected) {
        assertThat(SchedulerFilters.refusal(pod, node)).isEqualTo(expected);
    }
}
