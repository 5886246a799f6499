package io.gpuslicer.e2e.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the manifest tests need of kustomize and of the API server, in plain Java: find the
 * repository, read kustomizations, split YAML streams into documents, turn every document into
 * a typed fabric8 object, build a kustomization (resources + configMapGenerator + patches, applied as
 * kustomize does: {@link KustomizePatches}), evaluate label selectors, and find fields a typed model did not
 * recognise (a real API server would reject or drop them).
 */
final class ManifestSupport {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ManifestSupport() {
    }

    // ---- paths --------------------------------------------------------------------------

    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("manifests/kustomization.yaml")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (with manifests/kustomization.yaml) above " + dir);
    }

    static Path manifests() {
        return repoRoot().resolve("manifests");
    }

    static Path certs() {
        return repoRoot().resolve("certs");
    }

    static String relative(Path p) {
        return repoRoot().relativize(p.toAbsolutePath().normalize()).toString();
    }

    /** Every folder holding a kustomization.yaml under manifests/ and certs/. */
    static List<Path> kustomizationDirs() {
        try (Stream<Path> a = Files.walk(manifests()); Stream<Path> b = Files.walk(certs())) {
            return Stream.concat(a, b)
                    .filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                    .map(Path::getParent)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every *.yaml / *.yml file under manifests/ and certs/. */
    static List<Path> yamlFiles() {
        try (Stream<Path> a = Files.walk(manifests()); Stream<Path> b = Files.walk(certs())) {
            return Stream.concat(a, b)
                    .filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- YAML -----------------------------------------------------------------------------

    /** The non-empty documents of a YAML stream, as Jackson trees. */
    static List<JsonNode> yamlDocuments(Path file) {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<JsonNode> docs = new ArrayList<>();
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode() && !(n.isObject() && n.isEmpty())) {
                    docs.add(n);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    static JsonNode yamlTree(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One typed object per document, through fabric8's registry of kinds (unknown kinds: GenericKubernetesResource). */
    static List<HasMetadata> objects(Path file) {
        List<HasMetadata> out = new ArrayList<>();
        for (JsonNode doc : yamlDocuments(file)) {
            byte[] json = doc.toString().getBytes(StandardCharsets.UTF_8);
            KubernetesResource r = Serialization.unmarshal(new ByteArrayInputStream(json));
            if (!(r instanceof HasMetadata h)) {
                throw new IllegalStateException(file + ": a document is not an object with metadata: " + r);
            }
            out.add(h);
        }
        return out;
    }

    /** True for the API groups a kube-apiserver serves itself (fabric8 has typed classes for them). */
    static boolean isBuiltInGroup(String apiVersion) {
        if (!apiVersion.contains("/")) {
            return true;
        }
        String group = apiVersion.substring(0, apiVersion.indexOf('/'));
        return !group.contains(".") || group.endsWith(".k8s.io");
    }

    // ---- kustomize, the subset we use ---------------------------------------------------------

    record Kustomization(Path dir, JsonNode raw) {
        static Kustomization in(Path dir) {
            List<JsonNode> docs = yamlDocuments(dir.resolve("kustomization.yaml"));
            if (docs.size() != 1) {
                throw new IllegalStateException(dir + "/kustomization.yaml must hold one document");
            }
            return new Kustomization(dir, docs.get(0));
        }

        List<String> list(String field) {
            List<String> out = new ArrayList<>();
            raw.path(field).forEach(n -> out.add(n.asText()));
            return out;
        }

        List<Path> resourcePaths() {
            return list("resources").stream().map(r -> dir.resolve(r).normalize()).toList();
        }

        /** configMapGenerator entries as (generator node, files as key → path). */
        List<Generator> configMapGenerators() {
            return generators("configMapGenerator");
        }

        List<Generator> secretGenerators() {
            return generators("secretGenerator");
        }

        private List<Generator> generators(String field) {
            List<Generator> out = new ArrayList<>();
            for (JsonNode g : raw.path(field)) {
                Map<String, Path> files = new LinkedHashMap<>();
                for (JsonNode f : g.path("files")) {
                    String spec = f.asText();
                    int eq = spec.indexOf('=');
                    String key = eq < 0 ? Path.of(spec).getFileName().toString() : spec.substring(0, eq);
                    String path = eq < 0 ? spec : spec.substring(eq + 1);
                    files.put(key, dir.resolve(path).normalize());
                }
                out.add(new Generator(g, files));
            }
            return out;
        }

        List<Path> patchPaths() {
            List<Path> out = new ArrayList<>();
            for (JsonNode p : raw.path("patches")) {
                if (p.has("path")) {
                    out.add(dir.resolve(p.get("path").asText()).normalize());
                }
            }
            for (JsonNode p : raw.path("patchesStrategicMerge")) {
                out.add(dir.resolve(p.asText()).normalize());
            }
            return out;
        }
    }

    record Generator(JsonNode raw, Map<String, Path> files) {
        String name() {
            return raw.path("name").asText();
        }

        String namespace() {
            return raw.path("namespace").asText(null);
        }

        boolean hashDisabled() {
            return raw.path("options").path("disableNameSuffixHash").asBoolean(false);
        }
    }

    /** The objects `kustomize build dir` would emit, patches applied (not its labels/images transformers). */
    static List<HasMetadata> build(Path dir) {
        Kustomization k = Kustomization.in(dir);
        List<HasMetadata> out = new ArrayList<>();
        for (Path r : k.resourcePaths()) {
            if (Files.isDirectory(r)) {
                out.addAll(build(r));
            } else {
                out.addAll(objects(r));
            }
        }
        for (Generator g : k.configMapGenerators()) {
            Map<String, String> data = new LinkedHashMap<>();
            g.files().forEach((key, path) -> {
                try {
                    data.put(key, Files.readString(path));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            ConfigMap cm = new ConfigMapBuilder()
                    .withNewMetadata().withName(g.name()).withNamespace(g.namespace()).endMetadata()
                    .withData(data)
                    .build();
            out.add(cm);
        }
        return KustomizePatches.apply(k, out);
    }

    static List<HasMetadata> root() {
        return build(manifests());
    }

    static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name) {
        List<T> found = ofType(objects, type).stream().filter(o -> name.equals(o.getMetadata().getName())).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one " + type.getSimpleName() + " named " + name + ", found " + found.size());
        }
        return found.get(0);
    }

    static List<Container> containers(Deployment d) {
        List<Container> out = new ArrayList<>(d.getSpec().getTemplate().getSpec().getContainers());
        if (d.getSpec().getTemplate().getSpec().getInitContainers() != null) {
            out.addAll(d.getSpec().getTemplate().getSpec().getInitContainers());
        }
        return out;
    }

    static String apiVersionKind(HasMetadata o) {
        return o.getApiVersion() + "/" + o.getKind();
    }

    // ---- label selectors, as the API server evaluates them ------------------------------------------

    /** metav1.LabelSelector semantics: every matchLabels pair and every expression must hold; empty matches all. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!Objects.equals(l.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                boolean has = l.containsKey(r.getKey());
                List<String> values = r.getValues() == null ? List.of() : r.getValues();
                boolean ok = switch (r.getOperator()) {
                    case "In" -> has && values.contains(l.get(r.getKey()));
                    case "NotIn" -> !has || !values.contains(l.get(r.getKey()));
                    case "Exists" -> has;
                    case "DoesNotExist" -> !has;
                    default -> throw new IllegalArgumentException("unknown selector operator " + r.getOperator());
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---- fields the typed model did not recognise ------------------------------------------------

    /**
     * Paths of every value that landed in a model object's additionalProperties: a misspelt or
     * misplaced field, or a value of the wrong type. The API server would reject it (strict
     * field validation) or silently drop it.
     */
    static List<String> unknownFields(Object root) {
        List<String> out = new ArrayList<>();
        walk(root, "", out, new IdentityHashMap<>());
        return out;
    }

    private static void walk(Object o, String path, List<String> out, IdentityHashMap<Object, Boolean> seen) {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Enum<?>
                || o instanceof GenericKubernetesResource || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "[" + k + "]", out, seen));
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object v : c) {
                walk(v, path + "[" + i++ + "]", out, seen);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class || SKIP_GETTERS.contains(m.getName())) {
                continue;
            }
            Object v;
            try {
                v = m.invoke(o);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> out.add(path + "." + k));
                }
                continue;
            }
            String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            walk(v, path + "." + field, out, seen);
        }
    }

    private static final Set<String> SKIP_GETTERS = Set.of("getClass", "getPlural", "getSingular", "getFullResourceName",
            "getGroup", "getVersion", "getKind", "getApiVersion", "getNumericalAmount", "getAmount", "getFormat");
}
