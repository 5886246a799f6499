package io.gpuslicer.e2e.manifests;

import static io.gpuslicer.e2e.manifests.ManifestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.gpuslicer.cli.GpuSlicer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The Deployments' container args are parsed by the real command line, so a renamed flag breaks the build, not the rollout. */
@DisplayName("Container arguments")
class ContainerArgsTest {

    static Stream<String> gpuSlicerDeployments() {
        return ofType(root(), Deployment.class).stream()
                .filter(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage().startsWith("ghcr.io/gpu-slicer/"))
                .map(d -> d.getMetadata().getName());
    }

    @ParameterizedTest(name = "the args of {0} are accepted by gpu-slicer''s command line")
    @MethodSource("gpuSlicerDeployments")
    void argsParse(String deployment) {
        Container c = named(root(), Deployment.class, deployment).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getCommand()).as("the image's ENTRYPOINT runs the jar").isNullOrEmpty();
        List<String> args = c.getArgs();
        CommandLine.ParseResult parsed = new CommandLine(new GpuSlicer()).parseArgs(args.toArray(String[]::new));
        assertThat(parsed.subcommand()).isNotNull();
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo(args.get(0));
        assertThat(parsed.subcommand().unmatched()).isEmpty();
    }

    @Test
    @DisplayName("an unknown flag is refused, so the check can fail")
    void unknownFlagIsRefused() {
        assertThatThrownBy(() -> new CommandLine(new GpuSlicer()).parseArgs("webhook", "--no-such-flag=1"))
                .isInstanceOf(CommandLine.ParameterException.class);
    }
}
