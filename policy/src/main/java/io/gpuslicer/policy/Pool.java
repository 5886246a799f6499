package io.gpuslicer.policy;

import java.util.List;
import java.util.Map;

/**
 * A set of GPU nodes, named by the admin's own node labels.
 *
 * @param migProfile the one MIG profile the pool offers; null unless {@code mode} is MIG
 */
public record Pool(String name, SharingMode mode, String migProfile, Map<String, String> nodeSelector,
                   List<TolerationSpec> tolerations) {
    public Pool {
        nodeSelector = Map.copyOf(nodeSelector);
        tolerations = List.copyOf(tolerations);
    }

    /** True when the node labels carry every key/value of this pool's selector. */
    public boolean matches(Map<String, String> nodeLabels) {
        if (nodeLabels == null) {
            return false;
        }
        for (Map.Entry<String, String> e : nodeSelector.entrySet()) {
            if (!e.getValue().equals(nodeLabels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
