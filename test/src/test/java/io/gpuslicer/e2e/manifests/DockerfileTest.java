package io.gpuslicer.e2e.manifests;

import static io.gpuslicer.e2e.manifests.ManifestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The Dockerfile")
class DockerfileTest {

    @Test
    @DisplayName("builds the cli fat jar and runs it as the user the Deployments expect")
    void buildsTheJarTheDeploymentsRun() throws IOException {
        String dockerfile = Files.readString(repoRoot().resolve("Dockerfile"));
        String cliPom = Files.readString(repoRoot().resolve("cli/pom.xml"));
        assertThat(cliPom).contains("<outputFile>${project.build.directory}/gpu-slicer.jar</outputFile>");
        assertThat(dockerfile).contains("FROM maven:3.9-eclipse-temurin-17 AS build")
                .contains("mvn -B -q -DskipTests -pl cli -am package")
                // The maintained distroless line: its Debian 12 Java images are no longer rebuilt.
                .contains("FROM gcr.io/distroless/java17-debian13:nonroot")
                .contains("cli/target/gpu-slicer.jar")
                .contains("USER 65532")
                .contains("ENTRYPOINT [\"java\", \"-XX:MaxRAMPercentage=75\", \"-XX:-OmitStackTraceInFastThrow\", \"-jar\", \"/app/gpu-slicer.jar\"]");
        List<Long> uids = ofType(root(), Deployment.class).stream()
                .filter(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage().startsWith("ghcr.io/gpu-slicer/"))
                .map(d -> d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser()).toList();
        assertThat(uids).hasSize(2).containsOnly(65532L);
        assertThat(Files.readAllLines(repoRoot().resolve(".dockerignore"))).contains(".git").anyMatch(l -> l.contains("target/"));
    }
}
