package io.gpuslicer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code gpu-slicer simulate} on a few rows of the openb trace: the files, the table, the errors. */
class SimulateCommandTest {
    static final Path FIXTURES = Path.of("..", "simulator", "src", "test", "resources", "io", "gpuslicer", "simulator");

    @TempDir
    Path out;

    private int run(ByteArrayOutputStream stdout, ByteArrayOutputStream stderr, String... args) throws Exception {
        SimulateCommand cmd = new SimulateCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.run(new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @Test
    void writesSummaryCurveAndChartAndPrintsATableRowPerStrategy() throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = run(stdout, stderr, "--nodes", FIXTURES.resolve("openb-nodes-10.csv").toString(),
                "--pods", FIXTURES.resolve("openb-pods-40.csv").toString(), "--strategy", "gpu-slicer", "--strategy", "bestfit",
                "--out", out.toString());
        assertThat(code).isZero();
        assertThat(out.resolve("summary.json")).exists();
        assertThat(out.resolve("curve.csv")).exists();
        assertThat(Files.readString(out.resolve("chart.svg"))).contains("<svg");
        String table = stdout.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("Replaying openb-pods-40.csv on 10 nodes (20 GPUs)").contains("STRATEGY").contains("gpu-slicer")
                .contains("bestfit").doesNotContain("random ");
    }

    @Test
    void replaysTasksOnAClusterSnapshotWithAGivenPolicy() throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int code = run(stdout, new ByteArrayOutputStream(),
                "--snapshot", Path.of("src", "main", "resources", "io", "gpuslicer", "cli", "demo", "demo-cluster.json").toString(),
                "--policy", Path.of("..", "policy", "src", "main", "resources", "io", "gpuslicer", "policy", "default-policy.yaml").toString(),
                "--pods", FIXTURES.resolve("openb-pods-40.csv").toString(), "--strategy", "gpu-slicer", "--out", out.toString());
        assertThat(code).isZero();
        // The demo cluster's 10 nodes, pods included; its time-sliced GPUs are the capacity arrivals are measured against.
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("on 10 nodes (7 GPUs)");
        assertThat(out.resolve("summary.json")).exists();
    }

    @Test
    void anUnknownStrategyIsRefusedWithTheKnownOnes() throws Exception {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = run(new ByteArrayOutputStream(), stderr, "--nodes", FIXTURES.resolve("openb-nodes-10.csv").toString(),
                "--pods", FIXTURES.resolve("openb-pods-40.csv").toString(), "--strategy", "worstfit", "--out", out.toString());
        assertThat(code).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("unknown strategy worstfit (known: gpu-slicer, bestfit, fgd, random)");
    }

    @Test
    void aMissingTraceFileIsReportedNotThrown() throws Exception {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = run(new ByteArrayOutputStream(), stderr, "--nodes", out.resolve("nope.csv").toString(),
                "--pods", FIXTURES.resolve("openb-pods-40.csv").toString(), "--out", out.toString());
        assertThat(code).isEqualTo(1);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("cannot read").contains("nope.csv");
    }
}
