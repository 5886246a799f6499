package io.gpuslicer.extender.wire;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.NodeList;

import java.util.List;
import java.util.Map;

/**
 * ExtenderFilterResult. {@code FailedAndUnresolvableNodes} are nodes preemption will not try.
 *
 * @param nodes     the passing Node objects (nodeCacheCapable: false), else null
 * @param nodeNames the passing node names (nodeCacheCapable: true), else null
 * @param error     non-empty: the whole call failed and the scheduler retries the pod
 */
@JsonFormat(with = JsonFormat.Feature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
public record ExtenderFilterResult(@JsonProperty("Nodes") @JsonInclude(JsonInclude.Include.NON_NULL) NodeList nodes,
                                   @JsonProperty("NodeNames") @JsonInclude(JsonInclude.Include.NON_NULL) List<String> nodeNames,
                                   @JsonProperty("FailedNodes") Map<String, String> failedNodes,
                                   @JsonProperty("FailedAndUnresolvableNodes") Map<String, String> failedAndUnresolvableNodes,
                                   @JsonProperty("Error") String error) {

    public static ExtenderFilterResult error(String message) {
        return new ExtenderFilterResult(null, null, Map.of(), Map.of(), message);
    }
}
