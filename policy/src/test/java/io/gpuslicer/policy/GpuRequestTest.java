package io.gpuslicer.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class GpuRequestTest {

    private static Container limits(String name, Map<String, String> limits) {
        ContainerBuilder b = new ContainerBuilder().withName(name).withImage("img");
        limits.forEach((k, v) -> b.editOrNewResources().addToLimits(k, new Quantity(v)).endResources());
        return b.build();
    }

    private static Container requests(String name, Map<String, String> requests) {
        ContainerBuilder b = new ContainerBuilder().withName(name).withImage("img");
        requests.forEach((k, v) -> b.editOrNewResources().addToRequests(k, new Quantity(v)).endResources());
        return b.build();
    }

    private static Container sidecar(Container c) {
        return new ContainerBuilder(c).withRestartPolicy("Always").build();
    }

    private static PodSpec spec(List<Container> init, List<Container> app) {
        return new PodSpecBuilder().withInitContainers(init).withContainers(app).build();
    }

    static Stream<Arguments> pods() {
        return Stream.of(
                arguments("a pod without GPU resources is not a GPU pod",
                        spec(List.of(), List.of(limits("a", Map.of("cpu", "1", "memory", "1Gi")))), Map.of()),
                arguments("a GPU limit alone counts as the request",
                        spec(List.of(), List.of(limits("a", Map.of("nvidia.com/gpu", "1")))), Map.of("nvidia.com/gpu", 1L)),
                arguments("a GPU request alone counts",
                        spec(List.of(), List.of(requests("a", Map.of("nvidia.com/gpu.shared", "2")))), Map.of("nvidia.com/gpu.shared", 2L)),
                arguments("app containers add up",
                        spec(List.of(), List.of(limits("a", Map.of("nvidia.com/gpu", "1")), limits("b", Map.of("nvidia.com/gpu", "2")))),
                        Map.of("nvidia.com/gpu", 3L)),
                arguments("an init container asking for more than the app containers sets the request",
                        spec(List.of(limits("i", Map.of("nvidia.com/gpu", "4"))), List.of(limits("a", Map.of("nvidia.com/gpu", "1")))),
                        Map.of("nvidia.com/gpu", 4L)),
                arguments("a GPU only in an init container still makes a GPU pod",
                        spec(List.of(limits("i", Map.of("nvidia.com/mig-1g.10gb", "1"))), List.of(limits("a", Map.of("cpu", "1")))),
                        Map.of("nvidia.com/mig-1g.10gb", 1L)),
                arguments("a sidecar runs beside the app containers and adds to them",
                        spec(List.of(sidecar(limits("s", Map.of("nvidia.com/gpu", "1")))), List.of(limits("a", Map.of("nvidia.com/gpu", "1")))),
                        Map.of("nvidia.com/gpu", 2L)),
                arguments("MIG devices are kept per profile",
                        spec(List.of(), List.of(limits("a", Map.of("nvidia.com/mig-3g.40gb", "1", "cpu", "2")))),
                        Map.of("nvidia.com/mig-3g.40gb", 1L)),
                arguments("a zero GPU limit is not a GPU pod",
                        spec(List.of(), List.of(limits("a", Map.of("nvidia.com/gpu", "0")))), Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pods")
    void computesTheEffectiveGpuRequest(String name, PodSpec spec, Map<String, Long> expected) {
        GpuRequest r = GpuRequest.of(spec);

        assertThat(r.resources()).isEqualTo(expected);
        assertThat(r.isGpuPod()).isEqualTo(!expected.isEmpty());
    }

    @org.junit.jupiter.api.Test
    void migDevicesAreKeyedByProfile() {
        GpuRequest r = new GpuRequest(Map.of("nvidia.com/mig-1g.10gb", 2L, "nvidia.com/gpu", 1L));

        assertThat(r.migDevices()).isEqualTo(Map.of("1g.10gb", 2L));
        assertThat(r.gpus()).isEqualTo(1L);
    }
}
