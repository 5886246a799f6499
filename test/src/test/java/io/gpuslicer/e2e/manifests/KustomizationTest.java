package io.gpuslicer.e2e.manifests;

import static io.gpuslicer.e2e.manifests.ManifestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** kustomize's part, checked in Java: every kustomization resolves and every document is a valid typed object. */
@DisplayName("Kustomizations")
class KustomizationTest {

    static Stream<Path> kustomizations() {
        return kustomizationDirs().stream();
    }

    static Stream<Path> manifestFiles() {
        Set<Path> notObjects = new HashSet<>();
        for (Path dir : kustomizationDirs()) {
            notObjects.add(dir.resolve("kustomization.yaml"));
            Kustomization k = Kustomization.in(dir);
            k.configMapGenerators().forEach(g -> notObjects.addAll(g.files().values()));
            k.secretGenerators().forEach(g -> notObjects.addAll(g.files().values()));
        }
        return yamlFiles().stream().filter(f -> !notObjects.contains(f.normalize()));
    }

    @Test
    @DisplayName("the root, nvidia, examples and cert-manager kustomizations exist")
    void theExpectedKustomizationsExist() {
        assertThat(kustomizationDirs().stream().map(ManifestSupport::relative))
                .contains("manifests", "manifests/nvidia", "manifests/examples", "certs/cert-manager");
    }

    @ParameterizedTest(name = "{0}: every resource, generator file and patch exists")
    @MethodSource("kustomizations")
    void everyReferencedFileExists(Path dir) {
        Kustomization k = Kustomization.in(dir);
        // A kustomize Component (an optional part an overlay adds, e.g. manifests/monitoring) has its own apiVersion.
        assertThat(k.raw().path("apiVersion").asText() + " " + k.raw().path("kind").asText())
                .isIn("kustomize.config.k8s.io/v1beta1 Kustomization", "kustomize.config.k8s.io/v1alpha1 Component");
        assertThat(k.resourcePaths()).isNotEmpty().allSatisfy(r -> assertThat(
                Files.isRegularFile(r) || Files.isRegularFile(r.resolve("kustomization.yaml")))
                .as("resource %s of %s", r, relative(dir)).isTrue());
        Stream.concat(k.configMapGenerators().stream(), k.secretGenerators().stream()).forEach(g -> {
            assertThat(g.files()).as("generator %s", g.name()).isNotEmpty();
            g.files().values().forEach(f -> assertThat(f).as("file of generator %s", g.name()).isRegularFile());
        });
        assertThat(k.patchPaths()).allSatisfy(p -> assertThat(p).isRegularFile());
    }

    @ParameterizedTest(name = "{0}: builds into uniquely named objects")
    @MethodSource("kustomizations")
    void buildsWithoutDuplicates(Path dir) {
        List<HasMetadata> objects = build(dir);
        assertThat(objects).isNotEmpty();
        List<String> ids = objects.stream()
                .map(o -> apiVersionKind(o) + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName())
                .toList();
        assertThat(ids).doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}: every patch targets an object of the build")
    @MethodSource("kustomizations")
    void patchesTargetExistingObjects(Path dir) {
        Kustomization k = Kustomization.in(dir);
        List<HasMetadata> objects = build(dir);
        k.raw().path("patches").forEach(p -> {
            String kind = p.path("target").path("kind").asText();
            String name = p.path("target").path("name").asText();
            assertThat(objects).as("patch target %s/%s", kind, name)
                    .anyMatch(o -> o.getKind().equals(kind) && o.getMetadata().getName().equals(name));
        });
    }

    @ParameterizedTest(name = "{0} parses into typed Kubernetes objects")
    @MethodSource("manifestFiles")
    void everyDocumentIsATypedObject(Path file) {
        List<HasMetadata> objects = objects(file);
        assertThat(objects).as(relative(file)).isNotEmpty();
        for (HasMetadata o : objects) {
            assertThat(o.getApiVersion()).as("apiVersion in %s", relative(file)).isNotBlank();
            assertThat(o.getKind()).as("kind in %s", relative(file)).isNotBlank();
            assertThat(o.getMetadata().getName()).as("name in %s", relative(file)).isNotBlank();
            if (isBuiltInGroup(o.getApiVersion())) {
                assertThat(o).as("%s in %s is a kind the API server serves", apiVersionKind(o), relative(file))
                        .isNotInstanceOf(GenericKubernetesResource.class);
                assertThat(unknownFields(o)).as("fields of %s %s a typed model does not know", apiVersionKind(o),
                        o.getMetadata().getName()).isEmpty();
            } else {
                assertThat(o.getApiVersion()).as("only cert-manager and Prometheus Operator kinds are not built in")
                        .matches("(cert-manager\\.io|monitoring\\.coreos\\.com)/.*");
            }
        }
    }

    @ParameterizedTest(name = "{0} is used by a kustomization")
    @MethodSource("manifestFiles")
    void noManifestIsOrphaned(Path file) {
        Set<Path> used = new HashSet<>();
        for (Path dir : kustomizationDirs()) {
            Kustomization k = Kustomization.in(dir);
            used.addAll(k.resourcePaths());
            used.addAll(k.patchPaths());
        }
        assertThat(used).as("%s is listed in some kustomization's resources or patches", relative(file))
                .contains(file.normalize());
    }

    @Test
    @DisplayName("the unknown-field check finds a misspelt field, so it can fail")
    void unknownFieldCheckDetectsTypos() {
        var pc = (PriorityClass) io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                "{\"apiVersion\":\"scheduling.k8s.io/v1\",\"kind\":\"PriorityClass\",\"metadata\":{\"name\":\"x\"},"
                        + "\"value\":1,\"preemptPolicy\":\"Never\"}");
        assertThat(unknownFields(pc)).containsExactly(".preemptPolicy");
        var mwc = (MutatingWebhookConfiguration) io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                "{\"apiVersion\":\"admissionregistration.k8s.io/v1\",\"kind\":\"MutatingWebhookConfiguration\","
                        + "\"metadata\":{\"name\":\"x\"},\"webhooks\":[{\"name\":\"a.b.c\",\"timeout\":5}]}");
        assertThat(unknownFields(mwc)).containsExactly(".webhooks[0].timeout");
    }

    @Test
    @DisplayName("the root kustomization installs gpu-slicer only: its namespace plus the kube-system auth RoleBinding")
    void rootStaysInItsOwnNamespaces() {
        List<HasMetadata> objects = root();
        assertThat(ofType(objects, Namespace.class)).extracting(n -> n.getMetadata().getName()).containsExactly("gpu-slicer");
        Set<Class<?>> clusterScoped = Set.of(Namespace.class, ClusterRole.class, ClusterRoleBinding.class,
                MutatingWebhookConfiguration.class, PriorityClass.class);
        for (HasMetadata o : objects) {
            String ns = o.getMetadata().getNamespace();
            if (clusterScoped.contains(o.getClass())) {
                assertThat(ns).as("%s %s is cluster-scoped", o.getKind(), o.getMetadata().getName()).isNull();
            } else if (o.getMetadata().getName().endsWith("extension-apiserver-authentication-reader")) {
                assertThat(ns).isEqualTo("kube-system");
            } else {
                assertThat(ns).as("namespace of %s %s", o.getKind(), o.getMetadata().getName()).isEqualTo("gpu-slicer");
            }
        }
        assertThat(Kustomization.in(manifests()).raw().has("namespace"))
                .as("a namespace transformer would move the kube-system RoleBinding").isFalse();
    }

    @Test
    @DisplayName("the gpu-slicer image is set through kustomize images so it can be overridden")
    void imageIsOverridable() {
        var images = Kustomization.in(manifests()).raw().path("images");
        assertThat(images).hasSize(1);
        assertThat(images.get(0).path("name").asText()).isEqualTo("ghcr.io/gpu-slicer/gpu-slicer");
        assertThat(images.get(0).path("newTag").asText()).isEqualTo("0.1.0");
        List<String> ours = ofType(root(), io.fabric8.kubernetes.api.model.apps.Deployment.class).stream()
                .flatMap(d -> containers(d).stream()).map(c -> c.getImage())
                .filter(i -> i.startsWith("ghcr.io/gpu-slicer/")).toList();
        assertThat(ours).hasSize(2).allMatch(i -> i.equals("ghcr.io/gpu-slicer/gpu-slicer:0.1.0"));
    }
}
