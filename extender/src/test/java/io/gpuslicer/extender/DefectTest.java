package io.gpuslicer.extender;

import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.LedgerSource;
import io.gpuslicer.extender.ledger.LedgerStore;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;

import static io.gpuslicer.extender.ExtenderServerTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/** A genuine bug (here: a ledger that throws) is the one thing answered 500, without internals, and counted. */
class DefectTest {
    @Test
    void aBugIsAnswered500WithoutItsInternals() throws Exception {
        Vertx vertx = Vertx.vertx();
        WebClient client = WebClient.create(vertx);
        LedgerSource broken = new LedgerSource() {
            @Override
            public LedgerSnapshot snapshot() {
                throw new IllegalStateException("secret internals");
            }

            @Override
            public String notReadyReason() {
                return null;
            }

            @Override
            public LedgerStore store() {
                return new LedgerStore(Samples.samplePolicy());
            }
        };
        ExtenderServer server = await(ExtenderServer.start(vertx, ExtenderConfig.plain(0), broken).toCompletionStage());
        try {
            HttpResponse<Buffer> r = await(client.post(server.actualPort(), "127.0.0.1", "/gpu-slicer/filter")
                    .sendBuffer(Buffer.buffer(Samples.text("extender-ncc-true-filter-request.json"))).toCompletionStage());
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.bodyAsString()).isEqualTo("{\"error\":{\"code\":500,\"message\":\"internal error\"}}");
            // The call is recorded after the response is written: wait for it rather than race it.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!server.registry().scrape().contains("outcome=\"error\"") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(server.registry().scrape()).contains("outcome=\"error\"");
        } finally {
            await(server.close().toCompletionStage());
            client.close();
            await(vertx.close().toCompletionStage());
        }
    }
}
