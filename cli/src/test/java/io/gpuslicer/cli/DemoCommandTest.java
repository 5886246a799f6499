package io.gpuslicer.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code gpu-slicer demo} as typed: what it prints and its exit code. */
class DemoCommandTest {
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

    private int run(String... args) {
        return new CommandLine(new GpuSlicer()).execute(args);
    }

    @Test
    void theDemoPrintsTheEndpointsTheTableTheCapacityAndTheSummaryThenExitsZero() {
        assertThat(run("demo")).isEqualTo(0);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).containsPattern("webhook +https://localhost:[0-9]+/mutate")
                .containsPattern("extender +http://localhost:[0-9]+/gpu-slicer/")
                .containsPattern("(?m)^  research-3 +research +a100-development +a100-dev-1 +yes +placed$")
                .contains("Free GPU capacity per pool:")
                .contains("15 placed (1 fell back to another pool), 2 pending, 1 denied, 1 not a GPU pod (left untouched)")
                .doesNotContain("caBundle");
        // Only the absence of warnings is checked: in this shared test JVM the loggers were configured before the
        // demo could quieten them, so INFO lines of other tests' servers may appear; a fresh gpu-slicer prints none.
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain(" WARN ").doesNotContain(" ERROR ").doesNotContain("Exception");
    }

    @Test
    void aPortInUseIsAClearErrorAndANonZeroExit() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int code = run("demo", "--extender-port", String.valueOf(taken.getLocalPort()));
            assertThat(code).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("demo: the extender cannot start on 127.0.0.1:" + taken.getLocalPort() + ": ")
                    .containsIgnoringCase("address already in use");
        }
    }

    @Test
    void aMissingSnapshotFileIsAClearError() {
        assertThat(run("demo", "--snapshot", "/nonexistent/cluster.json")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("demo: cannot read the cluster snapshot /nonexistent/cluster.json");
    }
}
