package io.gpuslicer.extender.wire;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.Map;

/**
 * ExtenderPreemptionArgs: the preemptor and the scheduler's candidate nodes with their victims,
 * as full pods (nodeCacheCapable: false) or UIDs (true).
 */
@JsonFormat(with = JsonFormat.Feature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
public record ExtenderPreemptionArgs(@JsonProperty("Pod") Pod pod,
                                     @JsonProperty("NodeNameToVictims") Map<String, Victims> nodeNameToVictims,
                                     @JsonProperty("NodeNameToMetaVictims") Map<String, MetaVictims> nodeNameToMetaVictims) {
}
