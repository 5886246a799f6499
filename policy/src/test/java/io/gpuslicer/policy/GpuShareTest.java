package io.gpuslicer.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GpuShareTest {

    @ParameterizedTest(name = "\"{0}\" declares {1} milli-GPU")
    @CsvSource({
            "0.25, 250",
            "1, 1000",
            "1.0, 1000",
            "0.5, 500",
            "250m, 250",
            "1000m, 1000",
            "50m, 50",
            "' 0.3 ', 300",
            "0.3333, 333",
            "0.0005, 1"})
    void aValidShareIsKeptInMilliGpu(String raw, int milli) {
        GpuShare share = GpuShare.parse(raw);
        assertThat(share.valid()).isTrue();
        assertThat(share.milli()).isEqualTo(milli);
    }

    @ParameterizedTest(name = "\"{0}\" is refused: {1}")
    @CsvSource({
            "0, must be more than 0",
            "-0.5, must be more than 0",
            "0m, must be more than 0",
            "1.5, must be at most 1",
            "1001m, must be at most 1",
            "half, not a GPU share",
            "'', not a GPU share",
            "25%, not a GPU share",
            "0.0001, must be more than 0"})
    void anInvalidShareIsRefusedWithTheReason(String raw, String reason) {
        GpuShare share = GpuShare.parse(raw);
        assertThat(share.valid()).isFalse();
        assertThat(share.error()).contains(reason);
    }

    @Test
    void theLabelWinsOverTheAnnotationAndNeitherMeansNone() {
        String key = Vocabulary.DEFAULT.gpuShareKey();
        assertThat(key).isEqualTo("gpuslicer.io/gpu-share");
        assertThat(GpuShare.of(Map.of(key, "0.5"), Map.of(key, "0.25"), key).milli()).isEqualTo(500);
        assertThat(GpuShare.of(Map.of(), Map.of(key, "0.25"), key).milli()).isEqualTo(250);
        assertThat(GpuShare.of(null, null, key)).isEqualTo(GpuShare.NONE);
        assertThat(GpuShare.NONE.declared()).isFalse();
    }
}
