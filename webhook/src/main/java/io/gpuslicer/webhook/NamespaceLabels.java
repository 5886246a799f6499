package io.gpuslicer.webhook;

import java.util.Map;

/** Labels of a namespace, for the namespace-default workload type. Unknown namespace: empty map. */
@FunctionalInterface
public interface NamespaceLabels {
    NamespaceLabels NONE = namespace -> Map.of();

    Map<String, String> of(String namespace);
}
