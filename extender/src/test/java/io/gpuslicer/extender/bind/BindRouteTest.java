package io.gpuslicer.extender.bind;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuslicer.extender.ExtenderConfig;
import io.gpuslicer.extender.ExtenderServer;
import io.gpuslicer.extender.Samples;
import io.gpuslicer.extender.ledger.SnapshotLedgerSource;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** {@code POST {prefix}/bind} over HTTP: ExtenderBindingArgs in, ExtenderBindingResult out, bad bodies a 400. */
class BindRouteTest {
    private Vertx vertx;
    private WebClient client;
    private ExtenderServer server;
    private SnapshotLedgerSource ledger;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
        ledger = new SnapshotLedgerSource(POLICY).addNode(sharedNodeObject("n", "a100-research", 3)).addPod(gpuPod("p", "research", 1));
        server = ExtenderServer.start(vertx, ExtenderConfig.plain(0), ledger).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static Stream<Arguments> bodies() {
        return Stream.of(
                arguments("a pending pod that fits is bound and the answer has an empty Error",
                        "{\"PodName\":\"p\",\"PodNamespace\":\"default\",\"PodUID\":\"uid-p\",\"Node\":\"n\"}", 200, "", 1),
                arguments("field names are matched without regard to case, as Go decodes them",
                        "{\"podName\":\"p\",\"podNamespace\":\"default\",\"podUID\":\"uid-p\",\"node\":\"n\"}", 200, "", 1),
                arguments("a node the ledger does not know is an Error the scheduler retries",
                        "{\"PodName\":\"p\",\"PodNamespace\":\"default\",\"PodUID\":\"uid-p\",\"Node\":\"nowhere\"}", 200,
                        "gpu-slicer: node nowhere unknown to the ledger", 0),
                arguments("a body that is not JSON is a 400", "{nope", 400, null, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void bodies(String sentence, String body, int status, String error, int boundAfter) throws Exception {
        HttpResponse<Buffer> r = client.post(server.actualPort(), "127.0.0.1", "/gpu-slicer/bind")
                .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(status);
        if (error != null) {
            JsonNode json = Samples.JSON.readTree(r.bodyAsString());
            assertThat(json.path("Error").asText()).isEqualTo(error);
        }
        assertThat(ledger.snapshot().node("n").usage().bound()).hasSize(boundAfter);
    }
}
