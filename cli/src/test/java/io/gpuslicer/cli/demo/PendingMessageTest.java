package io.gpuslicer.cli.demo;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PendingMessageTest {
    @Test
    void reasonsAreCountedAndSortedLikeKubeSchedulersFitError() {
        assertThat(PendingMessage.of(4, Map.of(
                "a", "node(s) had untolerated taint {gpu: true}",
                "b", "node(s) had untolerated taint {gpu: true}",
                "c", SchedulerFilters.AFFINITY_MISMATCH,
                "d", "gpu-slicer: no free MIG instance of the pod's profile")))
                .isEqualTo("0/4 nodes are available: 1 gpu-slicer: no free MIG instance of the pod's profile, "
                        + "1 node(s) didn't match Pod's node affinity/selector, 2 node(s) had untolerated taint {gpu: true}.");
    }
}
