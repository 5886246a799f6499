package io.gpuslicer.extender.driver;

import io.gpuslicer.extender.wire.HostPriority;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NodePickTest {
    @Test
    void theHighestScoreWins() {
        assertThat(NodePick.best(List.of("a", "b"), List.of(new HostPriority("a", 3), new HostPriority("b", 7)))).isEqualTo("b");
    }

    @Test
    void tiesGoToTheFirstNameSoRunsRepeat() {
        assertThat(NodePick.best(List.of("c", "b"), List.of(new HostPriority("c", 5), new HostPriority("b", 5)))).isEqualTo("b");
    }

    @Test
    void aFeasibleNodeLeftUnscoredCountsAsZero() {
        assertThat(NodePick.best(List.of("a", "z"), List.of(new HostPriority("z", 1)))).isEqualTo("z");
        assertThat(NodePick.best(List.of("b", "a"), List.of())).isEqualTo("a");
    }
}
