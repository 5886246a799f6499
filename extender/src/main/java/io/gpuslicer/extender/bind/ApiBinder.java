package io.gpuslicer.extender.bind;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Creates the pod's Binding through the {@code pods/binding} subresource, as kube-scheduler's own
 * DefaultBinder does ({@code client.CoreV1().Pods(ns).Bind}); RBAC: {@code create} on {@code pods/binding}.
 * The Binding names the pod's UID, so a pod deleted and recreated under the same name is not bound by mistake.
 */
public final class ApiBinder implements Binder {
    private final KubernetesClient client;

    public ApiBinder(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public void bind(io.gpuslicer.extender.bind.Binding b) {
        Binding binding = new BindingBuilder().withNewMetadata().withName(b.name()).withNamespace(b.namespace())
                .withUid(b.uid()).endMetadata()
                .withNewTarget().withApiVersion("v1").withKind("Node").withName(b.node()).endTarget().build();
        String answer;
        try {
            answer = client.raw("/api/v1/namespaces/" + b.namespace() + "/pods/" + b.name() + "/binding", "POST", binding);
        } catch (KubernetesClientException e) {
            throw new BindFailure("binding " + b.key() + " to " + b.node() + " failed: "
                    + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage()));
        }
        if (answer == null) {
            // fabric8's raw() answers null for a 404: the pod is gone.
            throw new BindFailure("binding " + b.key() + " to " + b.node() + " failed: pod not found");
        }
    }
}
