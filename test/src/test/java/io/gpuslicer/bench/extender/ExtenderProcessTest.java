package io.gpuslicer.bench.extender;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark's extender runs with the options its Deployment ships, unless EXTENDER_ARGS says otherwise. */
class ExtenderProcessTest {

    @Test
    void theBenchmarkPassesTheOptionsTheExtendersDeploymentPasses() throws IOException {
        Deployment d = Serialization.unmarshal(Files.readString(repoRoot().resolve("manifests/extender/deployment.yaml")), Deployment.class);
        List<String> args = d.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
        assertThat(args).containsAll(ExtenderProcess.AS_THE_MANIFESTS_SHIP_IT);
    }

    @ParameterizedTest(name = "EXTENDER_ARGS \"{0}\" keeps the Deployment''s options {1}")
    @CsvSource(delimiter = '|', value = {
            "                                 | --placement-events-for=fallbacks",
            "--reservation-ttl-seconds=5      | --placement-events-for=fallbacks",
            "--placement-events-for=all       | ''",
            "--placement-events-for all       | ''",
            "--no-placement-events            | ''"})
    void extenderArgsReplaceTheDeploymentsOptionOfTheSameName(String extra, String kept) {
        List<String> extraArgs = extra == null ? List.of() : List.of(extra.trim().split("\\s+"));
        assertThat(ExtenderProcess.shippedUnlessReplaced(extraArgs)).isEqualTo(kept.isEmpty() ? List.of() : List.of(kept));
    }

    private static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("manifests/kustomization.yaml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
}
