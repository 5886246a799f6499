package io.gpuslicer.bench.webhook;

import io.gpuslicer.server.tls.CertificateAuthority;
import io.gpuslicer.server.EventLoops;
import io.gpuslicer.webhook.WebhookConfig;
import io.gpuslicer.webhook.WebhookServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./bench webhook.WebhookBench [connections] [warmupSeconds] [seconds]}: the webhook started in-process
 * over HTTPS (certificate from a throw-away CA), driven with the captured kubectl-run AdmissionReview by a
 * closed loop of keep-alive connections (one request in flight per connection, no pipelining).
 * Prints admissions/s and the client-observed latency percentiles. Client and server share the machine.
 */
public final class WebhookBench {
    private static final String SAMPLE = "/io/gpuslicer/bench/webhook/kubectl-run.json";

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int warmupSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        byte[] body = sample();

        Path dir = Files.createTempDirectory("webhook-bench");
        CertificateAuthority ca = CertificateAuthority.create("bench-ca", Duration.ofDays(1));
        CertificateAuthority.Issued issued = ca.issue("localhost", List.of("localhost", "127.0.0.1"), Duration.ofDays(1));
        Files.writeString(dir.resolve("tls.crt"), issued.certificatePem());
        Files.writeString(dir.resolve("tls.key"), issued.privateKeyPem());

        // Server and client get one event loop each, so they do not fight over the same thread; the server's on the
        // transport the webhook command gives it (EventLoops: native epoll where it loads).
        Vertx serverVertx = EventLoops.vertx(1);
        Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        WebhookServer server = await(WebhookServer.start(serverVertx,
                WebhookConfig.of(dir.resolve("tls.crt").toString(), dir.resolve("tls.key").toString()).withPorts("127.0.0.1", 0, -1)));
        HttpClient client = clientVertx.createHttpClient(new HttpClientOptions()
                        .setSsl(true).setVerifyHost(false).setKeepAlive(true).setPipelining(false)
                        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca.caPem()))),
                new PoolOptions().setHttp1MaxSize(connections));
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(server.actualPort())
                .setURI("/mutate?timeout=10s").putHeader("Content-Type", "application/json");
        Buffer payload = Buffer.buffer(body);

        System.out.printf("webhook bench: %d keep-alive connections, body %d bytes, warm-up %d s, measure %d s, %d cores shared by client and server%n",
                connections, body.length, warmupSeconds, seconds, Runtime.getRuntime().availableProcessors());
        run(clientVertx, client, request, payload, connections, warmupSeconds, false);
        Result r = run(clientVertx, client, request, payload, connections, seconds, true);
        System.out.printf("admissions/s: %.0f  (%d in %.1f s, %d errors)%n", r.count / r.seconds, r.count, r.seconds, r.errors);
        System.out.printf("latency ms: p50 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
                r.percentile(50) / 1e6, r.percentile(99) / 1e6, r.percentile(99.9) / 1e6, r.percentile(100) / 1e6);

        await(client.close());
        await(server.close());
        await(clientVertx.close());
        await(serverVertx.close());
        Files.delete(dir.resolve("tls.crt"));
        Files.delete(dir.resolve("tls.key"));
        Files.delete(dir);
    }

    private record Result(long[] latencies, long count, long errors, double seconds) {
        double percentile(double p) {
            if (count == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(count - 1, Math.ceil(p / 100.0 * count) - 1);
            return latencies[Math.max(0, index)];
        }
    }

    /** A closed loop per connection: send, wait for the whole response, send again, until the time is up. */
    private static Result run(Vertx vertx, HttpClient client, RequestOptions request, Buffer payload, int connections,
                              int seconds, boolean record) throws Exception {
        long[] latencies = new long[record ? 2_000_000 : 0];
        AtomicLong count = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicLong active = new AtomicLong(connections);
        long start = System.nanoTime();
        vertx.runOnContext(v -> {
            for (int i = 0; i < connections; i++) {
                loop(client, request, payload, latencies, count, errors, stop, active, done);
            }
        });
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        done.get(30, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long n = Math.min(count.get(), latencies.length);
        long[] sorted = record ? Arrays.copyOf(latencies, (int) n) : new long[0];
        Arrays.sort(sorted);
        return new Result(sorted, record ? n : count.get(), errors.get(), elapsed);
    }

    private static void loop(HttpClient client, RequestOptions request, Buffer payload, long[] latencies, AtomicLong count,
                             AtomicLong errors, AtomicBoolean stop, AtomicLong active, CompletableFuture<Void> done) {
        if (stop.get()) {
            if (active.decrementAndGet() == 0) {
                done.complete(null);
            }
            return;
        }
        long t0 = System.nanoTime();
        client.request(request)
                .compose(req -> req.send(payload))
                .compose(resp -> resp.body().map(b -> resp.statusCode()))
                .onComplete(ar -> {
                    long took = System.nanoTime() - t0;
                    if (ar.succeeded() && ar.result() == 200) {
                        long i = count.getAndIncrement();
                        if (i < latencies.length) {
                            latencies[(int) i] = took;
                        }
                    } else {
                        errors.incrementAndGet();
                    }
                    loop(client, request, payload, latencies, count, errors, stop, active, done);
                });
    }

    private static byte[] sample() throws IOException {
        try (InputStream in = WebhookBench.class.getResourceAsStream(SAMPLE)) {
            if (in == null) {
                throw new IOException("missing " + SAMPLE);
            }
            return in.readAllBytes();
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
