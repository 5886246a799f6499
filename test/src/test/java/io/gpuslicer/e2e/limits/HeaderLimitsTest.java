package io.gpuslicer.e2e.limits;

import io.gpuslicer.fuzz.FuzzServers;
import io.gpuslicer.server.SlowClients;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Oversized request lines and headers are refused by every listener before any handler runs. */
class HeaderLimitsTest {
    private static Vertx vertx;
    private static FuzzServers servers;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        servers = FuzzServers.start(vertx);
    }

    @AfterAll
    static void stop() throws Exception {
        servers.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static RawClient connect(String listener) throws Exception {
        return switch (listener) {
            case "webhook https" -> RawClient.tls(servers.webhook.actualPort(), servers.webhookTarget.caPem());
            case "webhook metrics" -> RawClient.plain(servers.webhook.metricsPort());
            default -> RawClient.plain(servers.extender.actualPort());
        };
    }

    @ParameterizedTest(name = "{0}: headers over the limit are answered 431 and the connection closed")
    @ValueSource(strings = {"webhook https", "webhook metrics", "extender"})
    void headersOverTheLimitAreAnswered431(String listener) throws Exception {
        try (RawClient c = connect(listener)) {
            c.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(SlowClients.MAX_HEADER_BYTES) + "\r\n\r\n");
            assertThat(c.readUntilClosed()).startsWith("HTTP/1.1 431");
        }
    }

    @ParameterizedTest(name = "{0}: headers just under the limit are served")
    @ValueSource(strings = {"webhook https", "webhook metrics", "extender"})
    void headersUnderTheLimitAreServed(String listener) throws Exception {
        try (RawClient c = connect(listener)) {
            c.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(SlowClients.MAX_HEADER_BYTES - 200) + "\r\n\r\n");
            assertThat(c.readResponse()).startsWith("HTTP/1.1 200");
        }
    }

    @ParameterizedTest(name = "{0}: a request line over the limit is answered 414 and the connection closed")
    @ValueSource(strings = {"webhook https", "webhook metrics", "extender"})
    void aRequestLineOverTheLimitIsAnswered414(String listener) throws Exception {
        try (RawClient c = connect(listener)) {
            c.send("GET /healthz?" + "a".repeat(SlowClients.MAX_REQUEST_LINE_BYTES) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(c.readUntilClosed()).matches("(?s)HTTP/1\\.[01] 414 .*"); // HTTP/1.0: the version was never read
        }
    }
}
