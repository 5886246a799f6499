package io.gpuslicer.e2e.limits;

import io.gpuslicer.fuzz.FuzzServers;
import io.gpuslicer.server.HttpJson;
import io.gpuslicer.server.SlowClients;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stalled raw sockets against all three listeners (webhook HTTPS, webhook metrics HTTP, extender HTTP):
 * a connection that does not complete its headers within {@link SlowClients#HEADER_DEADLINE_MILLIS}, or
 * its body within the request deadline, is closed; an idle keep-alive connection is not. The scenarios run
 * at once, so the whole test takes about one request deadline.
 */
class SlowClientTest {
    /** Timers fire late on a loaded 2-core machine; a connection held until the idle timeout (120 s) is far beyond. */
    private static final long SLACK_MILLIS = 8_000;

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

    private record Listener(String name, int port, String caPem, String postPath) {
        RawClient connect() throws Exception {
            return caPem == null ? RawClient.plain(port) : RawClient.tls(port, caPem);
        }
    }

    /** What a scenario observed: how long until the server closed, and what it sent. */
    private record Closed(long millis, String received) {
    }

    @Test
    void slowClientsAreCutOffAndIdleKeepAliveConnectionsAreNot() throws Exception {
        List<Listener> listeners = List.of(
                new Listener("webhook https", servers.webhook.actualPort(), servers.webhookTarget.caPem(), "/mutate"),
                new Listener("webhook metrics", servers.webhook.metricsPort(), null, "/metrics"),
                new Listener("extender", servers.extender.actualPort(), null, "/gpu-slicer/filter"));
        ExecutorService pool = Executors.newCachedThreadPool();
        Map<String, CompletableFuture<Closed>> headerStalls = new LinkedHashMap<>();
        Map<String, CompletableFuture<Closed>> bodyStalls = new LinkedHashMap<>();
        Map<String, CompletableFuture<String>> keepAlive = new LinkedHashMap<>();
        try {
            for (Listener l : listeners) {
                headerStalls.put(l.name + ": stops in the middle of the headers", closedAfter(pool, () -> {
                    RawClient c = l.connect();
                    c.send("POST " + l.postPath + " HTTP/1.1\r\nHost: localhost\r\nContent-Ty");
                    return c;
                }));
                headerStalls.put(l.name + ": sends nothing", closedAfter(pool,
                        () -> l.caPem == null ? l.connect() : new RawClient.Bare(new Socket("127.0.0.1", l.port)).client()));
                headerStalls.put(l.name + ": trickles its headers a byte at a time", trickle(pool, l));
                bodyStalls.put(l.name + ": stalls in the middle of the body", closedAfter(pool, () -> {
                    RawClient c = l.connect();
                    c.send("POST " + l.postPath + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 5000\r\n\r\n{\"kind\":");
                    return c;
                }));
                keepAlive.put(l.name, CompletableFuture.supplyAsync(() -> {
                    try (RawClient c = l.connect()) {
                        c.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
                        c.readResponse();
                        Thread.sleep(SlowClients.HEADER_DEADLINE_MILLIS + 2_000);
                        c.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
                        return c.readResponse();
                    } catch (Exception e) {
                        return "failed: " + e;
                    }
                }, pool));
            }
            headerStalls.forEach((name, f) -> {
                Closed closed = f.join();
                assertThat(closed.millis).as(name + " (closed after ms)")
                        .isBetween(SlowClients.HEADER_DEADLINE_MILLIS - 500, SlowClients.HEADER_DEADLINE_MILLIS + SLACK_MILLIS);
            });
            bodyStalls.forEach((name, f) -> {
                Closed closed = f.join();
                assertThat(closed.millis).as(name + " (closed after ms)")
                        .isBetween(HttpJson.REQUEST_DEADLINE_MILLIS - 500, HttpJson.REQUEST_DEADLINE_MILLIS + SLACK_MILLIS);
                if (!name.startsWith("webhook metrics")) {
                    // A body route answers the stalled request before closing; the metrics port has none.
                    assertThat(closed.received).as(name).startsWith("HTTP/1.1 408");
                }
            });
            keepAlive.forEach((name, f) -> assertThat(f.join()).as(name + ": a keep-alive connection idle past the header deadline")
                    .startsWith("HTTP/1.1 200"));
        } finally {
            pool.shutdownNow();
        }
    }

    private interface Opener {
        RawClient open() throws Exception;
    }

    private static CompletableFuture<Closed> closedAfter(ExecutorService pool, Opener opener) {
        return CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            try (RawClient c = opener.open()) {
                String received = c.readUntilClosed();
                return new Closed(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), received);
            } catch (AssertionError e) {
                return new Closed(Long.MAX_VALUE, e.getMessage());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, pool);
    }

    /** A header line sent one byte every 500 ms, never finished: a slowloris that keeps the socket busy. */
    private static CompletableFuture<Closed> trickle(ExecutorService pool, Listener l) {
        return closedAfter(pool, () -> {
            RawClient c = l.connect();
            c.send("GET /healthz HTTP/1.1\r\nX-Slow: ");
            Thread writer = new Thread(() -> {
                try {
                    while (true) {
                        Thread.sleep(500);
                        c.send("a");
                    }
                } catch (IOException | InterruptedException closed) {
                    // the server closed the connection (or the test ended)
                }
            });
            writer.setDaemon(true);
            writer.start();
            return c;
        });
    }
}
