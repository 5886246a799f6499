package io.gpuslicer.cli.status;

import io.gpuslicer.cli.GpuSlicer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code gpu-slicer explain NAMESPACE/POD} on the demo's bundled cluster. */
class ExplainCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream stdout;
    private PrintStream stderr;

    @BeforeEach
    void capture() {
        stdout = System.out;
        stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(stdout);
        System.setErr(stderr);
    }

    private String explain(String pod) {
        assertThat(new CommandLine(new GpuSlicer()).execute("explain", "--demo", pod)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aPendingTimeSlicedPodGetsTheWebhooksDecisionAndOneLinePerPoolAndVerdict() {
        assertThat(explain("team-b/wide-research-0"))
                .startsWith("team-b/wide-research-0: Pending for 20m\n")
                .containsPattern("(?m)^  workload type +research \\(time-slicing, priority 100\\)$")
                .containsPattern("(?m)^  pools +a100-research preferred, then a100-development, a100-batch as fallbacks$")
                .containsPattern("(?m)^  asks for +4 time-slice replicas$")
                .containsPattern("(?m)^  a100-research +preferred +1 +the pod asks for more than the node has in total \\(time-slice replicas: requested 4, used 0 of 3\\): a100-research-1$")
                .containsPattern("(?m)^  a100-batch +fallback 2 +1 +the pod asks for more than the node has in total \\(time-slice replicas: requested 4, used 1 of 3\\): a100-batch-1$")
                .containsPattern("(?m)^  mig-2g20gb +not allowed +2 +node is not in a pool the workload type may use: a100-mig-2g-1, a100-mig-2g-2$")
                .containsPattern("(?m)^  \\(no pool\\) +not allowed +1 +.*: cpu-1$")
                .contains("It asks for more than any node of its pools has in total");
    }

    @Test
    void aPendingMigPodShowsTheTooSmallNodeAndTheReconfiguringOneAsSeparateGroupsOfItsOnePool() {
        assertThat(explain("team-b/agents-4x-0"))
                .containsPattern("(?m)^  pools +mig-2g20gb, pinned: a MIG pod never falls back$")
                .containsPattern("(?m)^  mig-2g20gb +preferred +1 +the pod asks for more than the node has in total "
                        + "\\(nvidia.com/mig-2g.20gb: requested 4, used 0 of 3\\): a100-mig-2g-1$")
                .containsPattern("(?m)^  mig-2g20gb +preferred +1 +node's MIG layout is being reconfigured "
                        + "\\(nvidia.com/mig.config.state=pending\\): a100-mig-2g-2$")
                .contains("None of its pools' nodes can take it as they are configured");
    }

    @Test
    void aBoundPodSaysWhereItIsAndWhatShareItCanExpect() {
        assertThat(explain("team-batch/nightly-scoring-0"))
                .startsWith("team-batch/nightly-scoring-0: bound to a100-batch-1\n")
                .contains("placed on the preferred pool a100-batch (node a100-batch-1); 1 pod per GPU, expected throughput share 1.00");
    }

    @Test
    void anUnknownPodIsAnErrorNamingIt() {
        assertThat(new CommandLine(new GpuSlicer()).execute("explain", "--demo", "team-b/nope")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("explain: team-b/nope: no such pod in bundled demo cluster\n");
    }
}
