package io.gpuslicer.e2e.manifests;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kubectl plugin script, installed as the README says (a symlink on the PATH), runs the repository's
 * launcher with its arguments. The launcher is replaced by a stub that prints them, so no build runs.
 */
class KubectlPluginTest {

    @Test
    void theSymlinkedPluginRunsTheLauncherOfItsRepositoryWithTheSameArguments(@TempDir Path dir) throws Exception {
        Path bin = installed(dir);
        Result r = run(List.of(bin.resolve("kubectl-gpu_slicer").toString(), "explain", "team-b/wide-research-0", "--demo"), bin);
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.out).isEqualTo("launcher got: explain team-b/wide-research-0 --demo\n");
    }

    @Test
    void kubectlFindsThePluginAsGpuSlicer(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not installed here");
        Path bin = installed(dir);
        Result r = run(List.of("kubectl", "gpu-slicer", "status", "--demo"), bin);
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.out).isEqualTo("launcher got: status --demo\n");
    }

    /** A copy of the repository's script next to a stub launcher, and a bin folder with a symlink to it. */
    private static Path installed(Path dir) throws IOException {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Path script = repo.resolve("kubectl-gpu_slicer");
        Files.copy(ManifestSupport.repoRoot().resolve("kubectl-gpu_slicer"), script);
        assertThat(Files.isExecutable(ManifestSupport.repoRoot().resolve("kubectl-gpu_slicer"))).as("the script is executable").isTrue();
        Path launcher = repo.resolve("gpu-slicer");
        Files.writeString(launcher, "#!/usr/bin/env bash\necho \"launcher got: $*\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("kubectl-gpu_slicer"), script);
        return bin;
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(List<String> command, Path bin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
