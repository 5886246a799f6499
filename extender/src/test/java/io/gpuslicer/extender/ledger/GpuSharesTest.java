package io.gpuslicer.extender.ledger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class GpuSharesTest {

    /** Loads as "700|300|0": milli-GPU declared on GPU 0, 1, 2 (one pod each). */
    private static GpuShares loaded(String loads) {
        String[] parts = loads.split("\\|");
        GpuShares s = GpuShares.idle(parts.length);
        for (int g = 0; g < parts.length; g++) {
            int l = Integer.parseInt(parts[g]);
            if (l > 0) {
                s = s.with(new int[]{g}, l);
            }
        }
        return s;
    }

    @ParameterizedTest(name = "on GPUs loaded {0}, {2} GPU(s) at {1}m land on {3}")
    @CsvSource({
            "0|0|0,       300, 1, 0",
            "700|300|0,   300, 1, 0",
            "700|300|0,   400, 1, 1",
            "700|300|0,   800, 1, 2",
            "700|300|0,   1000, 1, 2",
            "300|300|0,   500, 1, 0",
            "0|0|0|0,     1000, 2, 0 1",
            "500|0|0|0,   1000, 2, 1 2",
            "900|950|990, 200, 1, none",
            "500|0|900,   1000, 2, none",
            "0|0,         500, 3, none"})
    void aShareGoesToTheFullestGpuItFitsAndWholeGpusNeedNoSharer(String loads, int share, int units, String want) {
        int[] got = loaded(loads).choose(share, units, Integer.MAX_VALUE);
        String text = got == null ? "none" : String.join(" ", Arrays.stream(got).mapToObj(String::valueOf).toList());
        assertThat(text).isEqualTo(want);
    }

    @ParameterizedTest(name = "with at most {1} pods per GPU, a 100m share on GPUs with {0} pods lands on {2}")
    @CsvSource({
            "2|0, 3, 0",
            "3|0, 3, 1",
            "3|3, 3, none"})
    void theSharerCapKeepsAPodOffACrowdedGpu(String pods, int cap, String want) {
        String[] parts = pods.split("\\|");
        GpuShares s = GpuShares.idle(parts.length);
        for (int g = 0; g < parts.length; g++) {
            for (int i = 0; i < Integer.parseInt(parts[g]); i++) {
                s = s.with(new int[]{g}, 100);
            }
        }
        int[] got = s.choose(100, 1, cap);
        assertThat(got == null ? "none" : String.valueOf(got[0])).isEqualTo(want);
    }

    @ParameterizedTest(name = "GPUs loaded {0}: {1}m free in all, {2}m in use, free largest first {3}")
    @CsvSource({
            "0|0,         2000, 0,    1000 1000",
            "700|300|0,   2000, 1000, 1000 700 300",
            "1000|460,    540,  1460, 540 0"})
    void freeAndLoadAddUpPerGpu(String loads, int free, int load, String sorted) {
        GpuShares s = loaded(loads);
        assertThat(s.freeTotal()).isEqualTo(free);
        assertThat(s.loadTotal()).isEqualTo(load);
        assertThat(String.join(" ", Arrays.stream(s.freeSortedDescending()).mapToObj(String::valueOf).toList())).isEqualTo(sorted);
    }
}
