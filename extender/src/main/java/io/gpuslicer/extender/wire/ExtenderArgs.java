package io.gpuslicer.extender.wire;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.List;

/**
 * k8s.io/kube-scheduler/extender/v1 ExtenderArgs. The Go type has no JSON tags, so the wire names
 * are the capitalised field names; Go decodes case-insensitively, and so do we.
 *
 * @param nodes     full Node objects when {@code nodeCacheCapable: false}, else null
 * @param nodeNames node names when {@code nodeCacheCapable: true}, else null
 */
@JsonFormat(with = JsonFormat.Feature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ExtenderArgs(@JsonProperty("Pod") Pod pod,
                           @JsonProperty("Nodes") NodeList nodes,
                           @JsonProperty("NodeNames") List<String> nodeNames) {

    public static ExtenderArgs ofNames(Pod pod, List<String> names) {
        return new ExtenderArgs(pod, null, names);
    }

    public static ExtenderArgs ofNodes(Pod pod, NodeList nodes) {
        return new ExtenderArgs(pod, nodes, null);
    }

    /** True when the scheduler sent full Node objects (nodeCacheCapable: false). */
    public boolean hasFullNodes() {
        return nodes != null && nodes.getItems() != null && nodeNames == null;
    }
}
