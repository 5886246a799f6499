package io.gpuslicer.extender.ledger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class GpuOccupancyTest {
    @ParameterizedTest(name = "{0} replicas in use + {1} on {2} GPUs: {3} pods on the busiest GPU")
    @CsvSource({"0, 1, 8, 1", "8, 1, 8, 2", "7, 1, 8, 1", "15, 2, 8, 3", "0, 1, 0, 1"})
    void sharersPerGpuIsTheCeilingOfReplicasOverGpus(int used, int adding, int gpus, int want) {
        assertThat(GpuOccupancy.sharersPerGpu(used, adding, gpus)).isEqualTo(want);
    }

    @Test
    void replicasAreSpreadOverGpusTheWayTheDevicePluginHandsThemOut() {
        assertThat(GpuOccupancy.replicasPerGpu(10, 4)).containsExactly(3, 3, 2, 2);
    }

    @Test
    void migInstancesFillOneGpuBeforeTheNextKeepingTheRestWhole() {
        assertThat(GpuOccupancy.migInstancesPerGpu(9, 7, 4)).containsExactly(7, 2, 0, 0);
        assertThat(GpuOccupancy.wholeFreeGpus(9, 7, 4)).isEqualTo(2);
    }
}
