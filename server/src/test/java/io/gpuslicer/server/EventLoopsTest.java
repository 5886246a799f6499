package io.gpuslicer.server;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The servers' Vert.x runs on native epoll where the shipped library loads, and says what it runs on. */
class EventLoopsTest {

    @Test
    void onLinuxX8664TheServersVertxRunsOnNativeEpoll() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the shipped native transport is for Linux x86_64");
        Vertx vertx = EventLoops.vertx();
        Vertx client = EventLoops.clientVertx();
        try {
            assertThat(EventLoops.transport(vertx)).isEqualTo("native epoll");
            assertThat(EventLoops.transport(client)).isEqualTo("native epoll");
            int port = vertx.createHttpServer().requestHandler(r -> r.response().end("ok")).listen(0)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
            String body = client.createHttpClient().request(io.vertx.core.http.HttpMethod.GET, port, "127.0.0.1", "/")
                    .compose(req -> req.send().compose(io.vertx.core.http.HttpClientResponse::body))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();
            assertThat(body).as("a request served and answered on native epoll").isEqualTo("ok");
        } finally {
            client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aVertxOnTheJdksSelectorSaysSo() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            assertThat(EventLoops.transport(vertx)).startsWith("NIO");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
