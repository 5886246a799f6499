package io.gpuslicer.extender.core;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class PodInfoTest {
    static Stream<Arguments> podsThatPassThrough() {
        Pod garbled = new PodBuilder(undecidedGpuPod("p")).editMetadata()
                .addToAnnotations(POLICY.vocabulary().decisionAnnotation(), "{not json").endMetadata().build();
        return Stream.of(
                arguments("a pod without a GPU request", cpuPod("p"), "no GPU request"),
                arguments("a GPU pod the webhook did not see", undecidedGpuPod("p"), "no decision annotation"),
                arguments("a GPU pod with a garbled decision", garbled, "unreadable decision annotation"));
    }

    @ParameterizedTest(name = "{0} passes through")
    @MethodSource
    void podsThatPassThrough(String sentence, Pod pod, String why) {
        PodInfo info = PodInfo.of(pod, POLICY);
        assertThat(info.passThrough()).isTrue();
        assertThat(info.passReason()).isEqualTo(why);
    }

    @Test
    void aTimeSlicedPodCarriesItsPoolsInOrderAndItsPriority() {
        PodInfo info = PodInfo.of(gpuPod("p", "research", 2), POLICY);
        assertThat(info.poolList()).containsExactly("a100-research", "a100-development", "a100-batch");
        assertThat(info.units()).isEqualTo(2);
        assertThat(info.priority()).isEqualTo(100);
        assertThat(info.isMig()).isFalse();
    }

    @Test
    void aMixedStrategyMigPodCountsItsMigResource() {
        PodInfo info = PodInfo.of(mixedMigPod("p", "production-inference", "1g.10gb"), POLICY);
        assertThat(info.isMig()).isTrue();
        assertThat(info.mixedResource()).isTrue();
        assertThat(info.migProfile()).isEqualTo("1g.10gb");
        assertThat(info.poolList()).containsExactly("mig-1g10gb");
        assertThat(info.units()).isEqualTo(1);
    }
}
