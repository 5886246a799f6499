package io.gpuslicer.extender.bind;

/** One pod to bind to one node, as kube-scheduler's ExtenderBindingArgs names it. */
public record Binding(String namespace, String name, String uid, String node) {
    public String key() {
        return namespace + "/" + name;
    }
}
