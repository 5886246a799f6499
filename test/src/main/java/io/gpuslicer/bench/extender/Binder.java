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
     * The extender's bind verb, as the manifests configure it ({@code bindVerb: bind}): {@code POST {prefix}/bind}
     * with ExtenderBindingArgs on the scheduler's connection; the extender re-checks, reserves and creates the
     * Binding in the API server ({@link BindingCrudDispatcher} turns it into {@code spec.nodeName}).
     */
    static Binder bindVerb(KeepAliveConnection connection, String prefix, long[] latencies, int[] count) {
        return new Binder() {
            @Override
            public String describe() {
                return "the extender's bind verb (POST " + prefix + "/bind, Binding created through the API server)";
            }

            @Override
            public void bind(Pod pod, String node) throws Exception {
                var meta = pod.getMetadata();
                String body = "{\"PodName\":\"" + meta.getName() + "\",\"PodNamespace\":\"" + meta.getNamespace()
                        + "\",\"PodUID\":\"" + meta.getUid() + "\",\"Node\":\"" + node + "\"}";
                KeepAliveConnection.Response r;
                String text;
                for (int attempt = 0; ; attempt++) {
                    long t = System.nanoTime();
                    r = connection.post(prefix + "/bind", body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    if (count[0] < latencies.length) {
                        latencies[count[0]++] = System.nanoTime() - t;
                    }
                    text = r.text();
                    // The pod was created a moment ago: the extender's informer may not have it yet. kube-scheduler
                    // would forget the pod and schedule it again; retrying the bind is the cheap equivalent here.
                    if (attempt >= 1000 || !text.contains("not seen by the extender yet")) {
                        break;
                    }
                    Thread.sleep(1);
                }
                if (r.status() != 200 || !(text.contains("\"Error\":\"\"") || !text.contains("\"Error\""))) {
                    throw new IllegalStateException("bind answered " + r.status() + ": " + text);
                }
            }
        };
    }

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
