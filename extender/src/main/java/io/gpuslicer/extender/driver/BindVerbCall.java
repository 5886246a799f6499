package io.gpuslicer.extender.driver;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.wire.ExtenderBindingArgs;
import io.gpuslicer.extender.wire.ExtenderBindingResult;
import io.gpuslicer.extender.wire.ExtenderJson;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.io.IOException;

/**
 * kube-scheduler's binding step when the extender is the binder ({@code bindVerb}): POST
 * ExtenderBindingArgs to {@code {prefix}/bind}; a non-empty {@code Error} fails the binding
 * (pkg/scheduler/extender.go {@code Bind}), and the scheduler forgets the pod and retries it.
 */
public final class BindVerbCall implements SchedulerDriver.Binder {
    private final HttpClient client;
    private final String host;
    private final int port;
    private final String prefix;

    public BindVerbCall(HttpClient client, String host, int port, String prefix) {
        this.client = client;
        this.host = host;
        this.port = port;
        this.prefix = prefix;
    }

    @Override
    public Future<Void> bind(Pod pod, String node) {
        ExtenderBindingArgs args = new ExtenderBindingArgs(pod.getMetadata().getName(), pod.getMetadata().getNamespace(),
                pod.getMetadata().getUid(), node);
        Buffer body;
        try {
            body = Buffer.buffer(ExtenderJson.MAPPER.writeValueAsBytes(args));
        } catch (JsonProcessingException e) {
            return Future.failedFuture(e);
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
                .setURI(prefix + "/bind").putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        return client.request(options).compose(request -> request.send(body)
                .compose(response -> response.body().compose(answer -> {
                    if (response.statusCode() != 200) {
                        return Future.failedFuture(new SchedulerDriver.ExtenderCallException("bind answered " + response.statusCode() + ": " + answer));
                    }
                    try {
                        ExtenderBindingResult r = ExtenderJson.MAPPER.readValue(answer.getBytes(), ExtenderBindingResult.class);
                        return r.ok() ? Future.<Void>succeededFuture()
                                : Future.failedFuture(new SchedulerDriver.ExtenderCallException("bind error: " + r.error()));
                    } catch (IOException e) {
                        return Future.failedFuture(new SchedulerDriver.ExtenderCallException("bind answered unreadable JSON: " + e.getMessage()));
                    }
                })));
    }
}
