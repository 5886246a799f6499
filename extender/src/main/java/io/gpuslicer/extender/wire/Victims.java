package io.gpuslicer.extender.wire;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.List;

/** Victims on one node as full Pod objects (nodeCacheCapable: false). */
@JsonFormat(with = JsonFormat.Feature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
public record Victims(@JsonProperty("Pods") List<Pod> pods, @JsonProperty("NumPDBViolations") long numPDBViolations) {
    public Victims {
        pods = pods == null ? List.of() : pods;
    }
}
