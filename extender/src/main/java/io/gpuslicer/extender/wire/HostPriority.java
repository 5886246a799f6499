package io.gpuslicer.extender.wire;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of a HostPriorityList; {@code score} is 0..10 (MaxExtenderPriority). */
@JsonFormat(with = JsonFormat.Feature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
public record HostPriority(@JsonProperty("Host") String host, @JsonProperty("Score") long score) {
}
