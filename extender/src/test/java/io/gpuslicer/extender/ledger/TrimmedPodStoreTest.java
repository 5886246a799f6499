package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.gpuslicer.extender.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The pod informer's cache gives back, for every shape of Pod, exactly the trimmed Pod the extender reads of a cached
 * one, and keeps what many pods have alike once.
 */
class TrimmedPodStoreTest {

    static Stream<Arguments> pods() throws IOException {
        Pod captured = Samples.JSON.treeToValue(Samples.tree("extender-ncc-true-filter-request.json").get("Pod"), Pod.class);
        return Stream.of(
                arguments("the pod of a captured filter request (managed fields, volumes, tolerations)", captured),
                arguments("a GPU pod bound to a node", boundTo(gpuPod("bound", "research", 1), "gpu-1")),
                arguments("a MIG pod with its decision", mixedMigPod("serve", "production-inference", "3g.40gb")),
                arguments("a pod nominated by preemption", new PodBuilder(withPriority(gpuPod("nominated", "research", 2), 1000))
                        .editOrNewStatus().withNominatedNodeName("gpu-2").withPhase("Pending").endStatus().build()),
                arguments("a pod with a sidecar init container and annotations that are no decision", new PodBuilder(gpuPod("sidecar", "training", 1))
                        .editMetadata().addToAnnotations("prometheus.io/scrape", "true").endMetadata()
                        .editSpec().addNewInitContainer().withName("proxy").withRestartPolicy("Always").withNewResources()
                        .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("100m")).endResources().endInitContainer().endSpec()
                        .build()),
                arguments("a CPU-only pod without annotations", cpuPod("web")),
                arguments("a pod without spec or status", new PodBuilder().withNewMetadata().withName("bare").withNamespace("ns").endMetadata().build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pods")
    void theCacheGivesBackTheTrimmedPod(String name, Pod pod) {
        TrimmedPodStore store = new TrimmedPodStore();
        String key = store.getKey(pod);

        assertThat(store.put(key, pod)).isNull();
        assertThat(store.get(key)).isEqualTo(trimmed(pod));
        assertThat(store.values()).containsExactly(trimmed(pod));
        assertThat(store.keySet()).containsExactly(key);
        assertThat(store.put(key, pod)).as("the old object of an update").isEqualTo(trimmed(pod));
        assertThat(store.remove(key)).as("the object of a delete whose final state was missed").isEqualTo(trimmed(pod));
        assertThat(store.size()).isZero();
        assertThat(store.get(key)).isNull();
    }

    @Test
    void podsThatAskForTheSameResourcesShareThemInTheCache() {
        TrimmedPodStore store = new TrimmedPodStore();
        Pod a = boundTo(gpuPod("a", "research", 1), "gpu-1");
        Pod b = boundTo(gpuPod("b", "research", 1), "gpu-2");
        Pod c = boundTo(gpuPod("c", "research", 2), "gpu-2");
        for (Pod p : List.of(a, b, c)) {
            store.put(store.getKey(p), p);
        }

        assertThat(resources(store, a)).isSameAs(resources(store, b)).isNotSameAs(resources(store, c));
        assertThat(store.get(store.getKey(a)).getMetadata().getAnnotations()).isEqualTo(trimmed(a).getMetadata().getAnnotations());
    }

    @Test
    void moreDistinctValuesThanTheCacheSharesStillReadBackEveryPod() {
        TrimmedPodStore store = new TrimmedPodStore();
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            Pod pod = new PodBuilder(boundTo(gpuPod("p" + i, "research", 1 + i % 3), "gpu-" + i % 7))
                    .editMetadata().withNamespace("team-" + i).endMetadata().build();
            pods.add(pod);
            store.put(store.getKey(pod), pod);
        }
        for (Pod pod : List.of(pods.get(0), pods.get(9_999), pods.get(10_000), pods.get(11_999))) {
            assertThat(store.get(store.getKey(pod))).isEqualTo(trimmed(pod));
        }
        assertThat(store.size()).isEqualTo(12_000);
    }

    private static Object resources(TrimmedPodStore store, Pod pod) {
        return store.get(store.getKey(pod)).getSpec().getContainers().get(0).getResources();
    }

    /** What the extender reads of a cached Pod: the trimmed copy the cache kept before it kept less. */
    private static Pod trimmed(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        ObjectMeta m = new ObjectMeta();
        m.setName(meta.getName());
        m.setNamespace(meta.getNamespace());
        m.setUid(meta.getUid());
        m.setResourceVersion(meta.getResourceVersion());
        if (meta.getAnnotations() != null) {
            Map<String, String> decisions = new HashMap<>();
            meta.getAnnotations().forEach((k, v) -> {
                if (k.endsWith("/decision")) {
                    decisions.put(k, v);
                }
            });
            m.setAnnotations(decisions);
        }
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

    private static List<Container> resourcesOnly(List<Container> containers) {
        List<Container> out = new ArrayList<>();
        for (Container c : containers) {
            Container kept = new Container();
            kept.setName(c.getName());
            kept.setResources(c.getResources());
            kept.setRestartPolicy(c.getRestartPolicy());
            out.add(kept);
        }
        return out;
    }
}
