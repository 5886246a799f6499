package io.gpuslicer.cli.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;

import java.io.IOException;
import java.util.UUID;

/**
 * Calls the webhook as kube-apiserver does: an AdmissionReview over HTTPS, trusting only the CA of the
 * webhook configuration's caBundle and checking the host name against the serving certificate.
 */
public final class WebhookCaller implements AutoCloseable {
    private final HttpClient client;
    private final String host;
    private final int port;

    public WebhookCaller(Vertx vertx, String caPem, String host, int port) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(caPem))));
        this.host = host;
        this.port = port;
    }

    public Future<Admission> admit(Pod pod) {
        String uid = UUID.randomUUID().toString();
        Buffer body;
        try {
            body = Buffer.buffer(AdmissionReviews.JSON.writeValueAsBytes(AdmissionReviews.request(uid, pod)));
        } catch (JsonProcessingException e) {
            return Future.failedFuture(e);
        }
        // The API server appends its timeout as a query parameter; the webhook must accept it.
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
                .setURI("/mutate?timeout=10s").putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        // The body is read in the same callback that gets the response: chained a step later, its bytes may be gone.
        return client.request(options).compose(request -> request.send(body)
                .compose(response -> response.body().compose(answer -> {
                    if (response.statusCode() != 200) {
                        return Future.failedFuture(new IOException("the webhook answered " + response.statusCode() + ": " + answer));
                    }
                    try {
                        return Future.succeededFuture(AdmissionReviews.response(uid, pod, answer.getBytes()));
                    } catch (IOException e) {
                        return Future.failedFuture(e);
                    }
                })));
    }

    @Override
    public void close() {
        client.close();
    }
}
