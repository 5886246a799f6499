package io.gpuslicer.extender.bind;

import java.util.Map;

/**
 * One pod to bind to one node, as kube-scheduler's ExtenderBindingArgs names it, and the annotations the Binding
 * carries onto the pod (kube-apiserver copies them: pkg/registry/core/pod/storage/storage.go
 * {@code setPodHostAndAnnotations}).
 */
public record Binding(String namespace, String name, String uid, String node, Map<String, String> annotations) {
    public Binding {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public Binding(String namespace, String name, String uid, String node) {
        this(namespace, name, uid, node, Map.of());
    }

    public String key() {
        return namespace + "/" + name;
    }
}
