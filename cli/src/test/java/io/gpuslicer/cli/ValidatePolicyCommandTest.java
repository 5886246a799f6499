package io.gpuslicer.cli;

import io.gpuslicer.policy.PolicyLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ValidatePolicyCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Path file) {
        return ValidatePolicyCommand.validate(file, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void theDefaultPolicyIsValidAndExitsZero() throws Exception {
        Path file = Files.writeString(dir.resolve("policy.yaml"), PolicyLoader.defaultPolicyText());

        assertThat(run(file)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("valid", "8 pools", "7 workload types");
    }

    @Test
    void everyErrorIsPrintedAndTheExitCodeIsNonZero() throws Exception {
        Path file = Files.writeString(dir.resolve("policy.yaml"), PolicyLoader.defaultPolicyText()
                .replace("defaultWorkloadType: development", "defaultWorkloadType: dev")
                .replace("[a100-batch, a100-research]", "[a100-batch, mig-1g10gb]"));

        assertThat(run(file)).isEqualTo(1);
        String printed = err.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("2 error(s)", "defaultWorkloadType", "\"dev\"",
                "workloadTypes.batch-inference.pools[1]", "\"mig-1g10gb\"");
    }

    @Test
    void aMissingFileIsAnErrorNotACrash() {
        assertThat(run(dir.resolve("absent.yaml"))).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read the policy file");
    }

    @Test
    void theSubcommandIsWiredIntoTheMainCommand() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "apiVersion: nope\n");

        int code = new CommandLine(new GpuSlicer()).execute("validate-policy", file.toString());

        assertThat(code).isEqualTo(1);
    }
}
