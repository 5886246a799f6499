package io.gpuslicer.extender.wire;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** Victims on one node, by UID (MetaVictims). */
@JsonFormat(with = JsonFormat.Feature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
public record MetaVictims(@JsonProperty("Pods") List<MetaPod> pods, @JsonProperty("NumPDBViolations") long numPDBViolations) {
    public MetaVictims {
        pods = pods == null ? List.of() : List.copyOf(pods);
    }
}
