package io.gpuslicer.extender;

import io.gpuslicer.server.HttpJson;
import io.gpuslicer.server.Shutdown;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A client that stalls mid-body gets a 408 and loses the connection; it never holds it open. */
class RequestDeadlineTest {

    @Test
    void aStalledRequestBodyIsAnswered408AndTheConnectionClosed() throws Exception {
        Vertx vertx = Vertx.vertx();
        ExtenderServer server = ExtenderServer.start(vertx, ExtenderConfig.plain(0), Samples.sampleLedger(Samples.samplePolicy()))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
            socket.setSoTimeout((int) (HttpJson.REQUEST_DEADLINE_MILLIS * 4));
            OutputStream out = socket.getOutputStream();
            out.write(("POST /gpu-slicer/filter HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{\"Pod\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();

            String answer = readUntilClosed(socket.getInputStream());

            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":408").contains("not received completely");
            assertThat(waitedMillis).isGreaterThanOrEqualTo(HttpJson.REQUEST_DEADLINE_MILLIS - 1000);
        } finally {
            Shutdown.closeThenStop(vertx, Duration.ofSeconds(30), server.close());
        }
    }

    /** Everything the server sends until it closes the connection (a socket timeout fails the test). */
    private static String readUntilClosed(InputStream in) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                all.write(buf, 0, n);
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the connection was not closed; received so far: " + all.toString(StandardCharsets.UTF_8), e);
        }
        return all.toString(StandardCharsets.UTF_8);
    }
}
