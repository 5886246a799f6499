package io.gpuslicer.extender.ledger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** A request's node names are found by number in the index, and names the index does not hold are not. */
class NodeIndexTest {

    static Stream<Arguments> lookups() {
        return Stream.of(
                arguments("a name of the index is found at its number", List.of("gpu-a", "gpu-b", "gpu-c"), "gpu-b", 1),
                arguments("a name the index does not hold is not found", List.of("gpu-a", "gpu-b"), "gpu-z", -1),
                arguments("a name that only starts like one of the index is not found", List.of("gpu-node-1"), "gpu-node-10", -1),
                arguments("a name that only ends like one of the index is not found", List.of("gpu-node-10"), "node-10", -1),
                arguments("of two names with one hash (\"Aa\", \"BB\") the second is found", List.of("Aa", "BB"), "BB", 1),
                arguments("of two names with one hash the first is found", List.of("Aa", "BB"), "Aa", 0),
                arguments("a name with the hash of one held is not found", List.of("Aa"), "BB", -1),
                arguments("a name of characters beyond Latin-1 is found", List.of("gpu-a", "gpu-\u00e9\u4e2d"), "gpu-\u00e9\u4e2d", 1),
                arguments("the empty name is found when held", List.of("gpu-a", ""), "", 1),
                arguments("an empty index holds nothing", List.of(), "gpu-a", -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void lookups(String sentence, List<String> names, String asked, int number) {
        NodeIndex index = NodeIndex.of(names);

        assertThat(index.of(asked)).isEqualTo(number);
        if (number >= 0) {
            assertThat(index.name(number)).isEqualTo(asked);
        }
    }

    @Test
    void everyNameOfAClusterIsFoundAtItsOwnNumberWhateverTheTableSize() {
        for (int size : new int[]{1, 2, 3, 500, 5_000}) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                names.add("gpu-node-" + i);
            }
            NodeIndex index = NodeIndex.of(names);
            for (int i = 0; i < size; i++) {
                assertThat(index.of("gpu-node-" + i)).as("gpu-node-%d of %d", i, size).isEqualTo(i);
            }
            assertThat(index.of("gpu-node-" + size)).isEqualTo(-1);
        }
    }
}
