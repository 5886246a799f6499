package io.gpuslicer.extender.wire;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;

/** ExtenderBindingArgs: the pod kube-scheduler chose a node for, by name, namespace and UID. */
@JsonFormat(with = JsonFormat.Feature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
public record ExtenderBindingArgs(@JsonProperty("PodName") String podName,
                                  @JsonProperty("PodNamespace") String podNamespace,
                                  @JsonProperty("PodUID") String podUID,
                                  @JsonProperty("Node") String node) {
}
