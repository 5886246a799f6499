package io.gpuslicer.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/** Parses and validates a policy file. Parsing problems and validation errors come back as values. */
public final class PolicyLoader {
    private static final String DEFAULT_POLICY_RESOURCE = "/io/gpuslicer/policy/default-policy.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder().build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private PolicyLoader() {
    }

    /** Outcome of loading: a usable policy, or every reason it is not one. */
    public sealed interface Result permits Loaded, Rejected {
    }

    public record Loaded(Policy policy) implements Result {
    }

    public record Rejected(List<PolicyError> errors) implements Result {
        public Rejected {
            errors = List.copyOf(errors);
        }

        public String summary() {
            return errors.stream().map(PolicyError::toString).collect(Collectors.joining("; "));
        }
    }

    public static Result parse(String yaml) {
        PolicyDocument doc;
        try {
            doc = YAML.readValue(yaml, PolicyDocument.class);
        } catch (JsonMappingException e) {
            return new Rejected(List.of(new PolicyError(pathOf(e), null, firstLine(e.getOriginalMessage()) + location(e))));
        } catch (JsonProcessingException e) {
            return new Rejected(List.of(new PolicyError("(file)", null, "not valid YAML: " + firstLine(e.getOriginalMessage()) + location(e))));
        }
        if (doc == null) {
            return new Rejected(List.of(new PolicyError("(file)", null, "the policy file is empty")));
        }
        List<PolicyError> errors = PolicyValidator.validate(doc);
        if (!errors.isEmpty()) {
            return new Rejected(errors);
        }
        return new Loaded(doc.toPolicy(versionOf(yaml)));
    }

    public static Result load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new Rejected(List.of(new PolicyError("(file)", file.toString(), "cannot read the policy file: " + e)));
        }
        return parse(text);
    }

    /** The text of the built-in default policy, which reproduces the reference strategy. */
    public static String defaultPolicyText() {
        try (InputStream in = PolicyLoader.class.getResourceAsStream(DEFAULT_POLICY_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("default policy resource missing: " + DEFAULT_POLICY_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The built-in default policy. It is validated by a test, so a failure here is a build defect. */
    public static Policy defaultPolicy() {
        Result r = parse(defaultPolicyText());
        if (r instanceof Loaded loaded) {
            return loaded.policy();
        }
        throw new IllegalStateException("built-in default policy is invalid: " + ((Rejected) r).summary());
    }

    /** First 12 hex digits of the SHA-256 of the text: which policy made a decision. */
    static String versionOf(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a mandatory JDK algorithm", e);
        }
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "(file)" : sb.toString();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid value";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
