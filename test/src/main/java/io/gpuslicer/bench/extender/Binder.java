package io.gpuslicer.bench.extender;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * How the simulated scheduler binds a pod to the node it chose; either way the binding reaches the
 * extender's ledger through its pod informer, as in a cluster.
 */
interface Binder {
    String describe();

    void bind(Pod pod, String node) throws Exception;

    /**
     * kube-scheduler's DefaultBinder: the pod's {@code spec.nodeName} set in the API server (a Binding
     * there; fabric8's CRUD mock has no binding subresource, so the field is patched directly).
     */
    static Binder specNodeName(KubernetesClient client) {
        return new Binder() {
            @Override
            public String describe() {
                return "spec.nodeName through the API server";
            }

            @Override
            public void bind(Pod pod, String node) {
                client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"nodeName\":\"" + node + "\"}}");
            }
        };
    }
}
