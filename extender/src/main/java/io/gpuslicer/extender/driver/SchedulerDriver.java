package io.gpuslicer.extender.driver;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.wire.ExtenderArgs;
import io.gpuslicer.extender.wire.ExtenderFilterResult;
import io.gpuslicer.extender.wire.ExtenderJson;
import io.gpuslicer.extender.wire.HostPriority;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Calls the extender the way kube-scheduler does with {@code nodeCacheCapable: true}: filter over the
 * nodes the scheduler's own plugins left, prioritize the survivors, pick the highest score
 * ({@link NodePick}), then bind through a {@link Binder} (the API server's binding, or a ledger's).
 * The demo, the end-to-end tests and simulations share it, so "what the scheduler would do" is written once.
 */
public final class SchedulerDriver {
    /** Records the pod on the chosen node: a ledger bind, or setting spec.nodeName in an API server. */
    @FunctionalInterface
    public interface Binder {
        Future<Void> bind(Pod pod, String node);
    }

    /**
     * Where a pod went, or why it stayed pending.
     *
     * @param node              the chosen node, null when no node passed the filter
     * @param failedNodes       the extender's {@code FailedNodes} (may fit later)
     * @param unresolvableNodes the extender's {@code FailedAndUnresolvableNodes} (never fit; preemption skips them)
     */
    public record Outcome(String node, Map<String, String> failedNodes, Map<String, String> unresolvableNodes) {
        public Outcome {
            failedNodes = failedNodes == null ? Map.of() : Map.copyOf(failedNodes);
            unresolvableNodes = unresolvableNodes == null ? Map.of() : Map.copyOf(unresolvableNodes);
        }

        public boolean pending() {
            return node == null;
        }
    }

    /** The extender answered with an error (non-200, or {@code Error} set): kube-scheduler fails the attempt and retries. */
    public static final class ExtenderCallException extends RuntimeException {
        public ExtenderCallException(String message) {
            super(message);
        }
    }

    private final HttpClient client;
    private final String host;
    private final int port;
    private final String prefix;
    private final Binder binder;

    /**
     * @param client an HTTP client (with TLS options when the extender serves HTTPS)
     * @param prefix the extender's URL prefix, e.g. {@code /gpu-slicer}
     */
    public SchedulerDriver(HttpClient client, String host, int port, String prefix, Binder binder) {
        this.client = client;
        this.host = host;
        this.port = port;
        this.prefix = prefix;
        this.binder = binder;
    }

    /** Filter → (prioritize) → pick → bind over {@code nodes}. */
    public Future<Outcome> schedule(Pod pod, List<String> nodes) {
        return call("filter", ExtenderArgs.ofNames(pod, nodes), ExtenderFilterResult.class).compose(filtered -> {
            if (filtered.error() != null && !filtered.error().isEmpty()) {
                return Future.failedFuture(new ExtenderCallException("filter error: " + filtered.error()));
            }
            List<String> feasible = filtered.nodeNames() == null ? List.of() : filtered.nodeNames();
            if (feasible.isEmpty()) {
                return Future.succeededFuture(new Outcome(null, filtered.failedNodes(), filtered.failedAndUnresolvableNodes()));
            }
            return choose(pod, feasible)
                    .compose(best -> binder.bind(pod, best)
                            .map(v -> new Outcome(best, filtered.failedNodes(), filtered.failedAndUnresolvableNodes())));
        });
    }

    /**
     * Prioritize is called even for a single feasible node. kube-scheduler skips scoring then ("just use
     * it"), but the extender counts fallback placements in prioritize, and the tests read that metric.
     */
    private Future<String> choose(Pod pod, List<String> feasible) {
        return call("prioritize", ExtenderArgs.ofNames(pod, feasible), HostPriority[].class)
                .map(scores -> NodePick.best(feasible, Arrays.asList(scores)));
    }

    private <T> Future<T> call(String verb, ExtenderArgs args, Class<T> type) {
        Buffer body;
        try {
            body = Buffer.buffer(ExtenderJson.MAPPER.writeValueAsBytes(args));
        } catch (JsonProcessingException e) {
            return Future.failedFuture(e);
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
                .setURI(prefix + "/" + verb).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        // The body is read in the same callback that gets the response: chained a step later, its bytes may be gone.
        return client.request(options).compose(request -> request.send(body)
                .compose(response -> response.body().compose(answer -> decode(verb, response, answer, type))));
    }

    private static <T> Future<T> decode(String verb, HttpClientResponse response, Buffer answer, Class<T> type) {
        if (response.statusCode() != 200) {
            return Future.failedFuture(new ExtenderCallException(verb + " answered " + response.statusCode() + ": " + answer));
        }
        try {
            return Future.succeededFuture(ExtenderJson.MAPPER.readValue(answer.getBytes(), type));
        } catch (IOException e) {
            return Future.failedFuture(new ExtenderCallException(verb + " answered unreadable JSON: " + e.getMessage()));
        }
    }
}
