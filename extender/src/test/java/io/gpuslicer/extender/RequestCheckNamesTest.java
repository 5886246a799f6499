package io.gpuslicer.extender;

import io.gpuslicer.extender.wire.ExtenderArgs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static io.gpuslicer.extender.Fixtures.gpuPod;
import static org.assertj.core.api.Assertions.assertThat;

/** The node-name check of every filter and prioritize call: a name twice is refused wherever it repeats, distinct names never. */
class RequestCheckNamesTest {

    @ParameterizedTest(name = "{0} distinct names, then name {1} again at the end: {2}")
    @CsvSource({
            "1, -1, accepted",
            "230, -1, accepted",
            "5000, -1, accepted",
            "2, 0, refused",
            "230, 0, refused",
            "230, 229, refused",
            "5000, 4321, refused",
    })
    void aNameTwiceIsRefusedAndDistinctNamesAreNot(int distinct, int repeated, String verdict) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < distinct; i++) {
            names.add("gpu-node-" + i);
        }
        if (repeated >= 0) {
            names.add(new String("gpu-node-" + repeated));
        }
        String problem = RequestCheck.problem(new ExtenderArgs(gpuPod("p", "research", 1), null, names));
        if (verdict.equals("accepted")) {
            assertThat(problem).isNull();
        } else {
            assertThat(problem).isEqualTo("NodeNames names node \"gpu-node-" + repeated + "\" more than once");
        }
    }
}
