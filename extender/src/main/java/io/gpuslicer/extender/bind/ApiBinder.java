package io.gpuslicer.extender.bind;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.gpuslicer.server.CoarseTimeouts;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the pod's Binding through the {@code pods/binding} subresource, as kube-scheduler's own
 * DefaultBinder does ({@code client.CoreV1().Pods(ns).Bind}); RBAC: {@code create} on {@code pods/binding}.
 * The Binding names the pod's UID, so a pod deleted and recreated under the same name is not bound by mistake.
 * <p>
 * One small JSON body written by hand and POSTed with the client's own HTTP client (its TLS and credentials):
 * fabric8's model, builders and object mapper cost more than the rest of the bind verb, and the answer (the
 * Binding echoed back) is not read unless it is an error.
 */
public final class ApiBinder implements Binder {
    /** Longer than any API server answer should take; kube-scheduler gives the whole bind call 5 s by default. */
    private static final long TIMEOUT_SECONDS = 30;

    private final KubernetesClient client;
    private final String apiRoot;

    public ApiBinder(KubernetesClient client) {
        this.client = client;
        String master = client.getMasterUrl().toString();
        this.apiRoot = (master.endsWith("/") ? master.substring(0, master.length() - 1) : master) + "/api/v1/namespaces/";
    }

    @Override
    public void bind(Binding b) {
        try {
            bindAsync(b).get(TIMEOUT_SECONDS + 1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(b, "interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof BindFailure f ? f : failed(b, String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            throw failed(b, "no answer from the API server in " + TIMEOUT_SECONDS + " s");
        }
    }

    /**
     * POSTs the Binding and completes with the API server's answer, on the HTTP client's thread; nothing blocks. An
     * answer that never comes fails the bind after {@link #TIMEOUT_SECONDS} (give or take a second: {@link CoarseTimeouts}).
     */
    @Override
    public CompletableFuture<Void> bindAsync(Binding b) {
        HttpClient http = client.getHttpClient();
        HttpRequest request = http.newHttpRequestBuilder()
                .uri(apiRoot + b.namespace() + "/pods/" + b.name() + "/binding")
                .post("application/json", body(b)).build();
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<HttpResponse<String>> answered = http.sendAsync(request, String.class);
        CoarseTimeouts.shared().within(answered, TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((answer, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                done.completeExceptionally(failed(b, cause instanceof TimeoutException ? "no answer from the API server in "
                        + TIMEOUT_SECONDS + " s" : cause.getMessage() == null ? cause.toString() : cause.getMessage()));
            } else if (answer.isSuccessful()) {
                done.complete(null);
            } else {
                done.completeExceptionally(failed(b, answer.code() == 404 ? "pod not found" : statusMessage(answer)));
            }
        });
        return done;
    }

    /** The Binding, as fabric8 would write it: metadata (name, namespace, uid, annotations) and the target Node. */
    static String body(Binding b) {
        StringBuilder json = new StringBuilder(200).append("{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":");
        quoted(json, b.name()).append(",\"namespace\":");
        quoted(json, b.namespace());
        if (b.uid() != null) {
            quoted(json.append(",\"uid\":"), b.uid());
        }
        if (!b.annotations().isEmpty()) {
            char sep = '{';
            json.append(",\"annotations\":");
            for (var a : b.annotations().entrySet()) {
                quoted(json.append(sep), a.getKey()).append(':');
                quoted(json, a.getValue());
                sep = ',';
            }
            json.append('}');
        }
        json.append("},\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":");
        return quoted(json, b.node()).append("}}").toString();
    }

    private static StringBuilder quoted(StringBuilder json, String s) {
        json.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, json);
        return json.append('"');
    }

    /** The API server's Status message (e.g. "pods \"p\" is forbidden: ..."), else the HTTP status. */
    private String statusMessage(HttpResponse<String> answer) {
        String body = answer.body();
        try {
            Status status = body == null || body.isEmpty() ? null : client.getKubernetesSerialization().unmarshal(body, Status.class);
            if (status != null && status.getMessage() != null) {
                return status.getMessage();
            }
        } catch (RuntimeException notAStatus) {
            // fall through to the HTTP status
        }
        return "HTTP " + answer.code() + (body == null || body.isEmpty() ? "" : ": " + body);
    }

    private static BindFailure failed(Binding b, String why) {
        return new BindFailure("binding " + b.key() + " to " + b.node() + " failed: " + why);
    }
}
