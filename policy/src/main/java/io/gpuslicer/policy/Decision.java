package io.gpuslicer.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The webhook's decision, written as the pod annotation {@code <prefix>/decision} and read back by
 * the extender. Compact JSON, e.g.
 * {@code {"type":"research","mode":"time-slicing","pools":["a100-research","a100-development"],"policy":"3f2a9c0d1e4b"}}.
 *
 * @param migProfile null for shared modes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Decision(@JsonProperty("type") String workloadType,
                       @JsonProperty("mode") String mode,
                       @JsonProperty("pools") List<String> pools,
                       @JsonProperty("migProfile") String migProfile,
                       @JsonProperty("policy") String policyVersion) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Decision {
        pools = pools == null ? List.of() : List.copyOf(pools);
    }

    public static Decision of(Classification.Placement placement, String policyVersion) {
        return new Decision(placement.workloadType().name(), placement.mode().wireName(),
                placement.pools().stream().map(Pool::name).toList(), placement.migProfile(), policyVersion);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a Decision always serialises", e);
        }
    }

    /**
     * Parses an annotation value; empty when absent or not a decision (then the pod is not ours). A cluster has a
     * few dozen distinct decisions (workload types × pool lists × policy versions) and the extender reads one on
     * every call and pod event, so answers are remembered ({@link #PARSED}).
     */
    public static Optional<Decision> parse(String json) {
        if (json == null || json.isBlank()) {
            return Optional.empty();
        }
        if (json.length() > MEMO_MAX_CHARS) {
            return read(json);
        }
        Optional<Decision> known = PARSED.get(json);
        if (known == null) {
            known = read(json);
            if (PARSED.size() >= MEMO_MAX_ENTRIES) {
                // Far more distinct values than any cluster has (someone writes junk annotations): start over.
                PARSED.clear();
            }
            PARSED.put(json, known);
        }
        return known;
    }

    /** Parsed annotation values (a Decision is immutable, so one instance serves every pod that carries the value). */
    private static final ConcurrentHashMap<String, Optional<Decision>> PARSED = new ConcurrentHashMap<>();
    static final int MEMO_MAX_ENTRIES = 1024;
    static final int MEMO_MAX_CHARS = 2048;

    private static Optional<Decision> read(String json) {
        try {
            Decision d = JSON.readValue(json, Decision.class);
            return d.workloadType() == null || d.mode() == null || d.pools().isEmpty() ? Optional.empty() : Optional.of(d);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    public Optional<SharingMode> sharingMode() {
        return SharingMode.fromWireName(mode);
    }
}
