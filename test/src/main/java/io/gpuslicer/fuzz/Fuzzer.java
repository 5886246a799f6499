package io.gpuslicer.fuzz;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends seeded, mutated copies of a target's captured bodies over its real transport (HTTPS or HTTP,
 * keep-alive connections, a bounded number in flight) and records every answer in a {@link FuzzReport}.
 * Case {@code i} of seed {@code s} is always the same request ({@link #generate}).
 */
public final class Fuzzer {
    /** A request without an answer after this long is a hang: the server's own deadline is 10 s. */
    public static final long HANG_MILLIS = 15_000;
    private static final List<String> OTHER_CONTENT_TYPES = List.of("text/plain", "application/xml",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "APPLICATION/JSON",
            "application/json; charset=utf-16", "application/json-patch+json", "*/*", "", ";;;");

    private Fuzzer() {
    }

    public static FuzzCase generate(FuzzTarget target, long seed, long index) {
        SplittableRandom random = new SplittableRandom(seed ^ (index * 0x9E3779B97F4A7C15L));
        FuzzTarget.Endpoint endpoint = target.endpoints().get(random.nextInt(target.endpoints().size()));
        int seedIndex = random.nextInt(endpoint.seeds().size());
        String contentType = "application/json";
        int roll = random.nextInt(100);
        if (roll < 2) {
            contentType = null;
        } else if (roll < 8) {
            contentType = OTHER_CONTENT_TYPES.get(random.nextInt(OTHER_CONTENT_TYPES.size()));
        }
        String seedName = endpoint.path() + "#" + seedIndex;
        if (random.nextInt(500) == 0) {
            return new FuzzCase(index, endpoint.path(), seedName, contentType, new byte[0], List.of("empty body"));
        }
        JsonMutator.Mutated m = new JsonMutator(random).mutate(endpoint.seeds().get(seedIndex));
        return new FuzzCase(index, endpoint.path(), seedName, contentType, m.body(), m.steps());
    }

    /**
     * Runs cases {@code 0..cases-1}, at most {@code inFlight} at once, then probes the server.
     * Blocks the calling thread; the requests run on {@code vertx}'s event loop.
     */
    public static FuzzReport run(Vertx vertx, FuzzTarget target, long seed, long cases, int inFlight) throws InterruptedException {
        return run(vertx, target, seed, cases, inFlight, 0);
    }

    /** As {@link #run(Vertx, FuzzTarget, long, long, int)}, printing a progress line every {@code progressEvery} cases (0: never). */
    public static FuzzReport run(Vertx vertx, FuzzTarget target, long seed, long cases, int inFlight, long progressEvery)
            throws InterruptedException {
        FuzzReport report = new FuzzReport(target.name(), seed);
        HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setPipelining(false)
                .setMaxWaitQueueSize(-1).setConnectTimeout(5_000);
        if (target.tls()) {
            options.setSsl(true).setVerifyHost(false).setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(target.caPem())));
        }
        HttpClient client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(inFlight));
        Semaphore permits = new Semaphore(inFlight);
        long start = System.nanoTime();
        for (long i = 0; i < cases; i++) {
            if (progressEvery > 0 && i > 0 && i % progressEvery == 0) {
                System.out.printf("  %s: %,d cases, %.0f cases/s%n", target.name(), i, i / ((System.nanoTime() - start) / 1e9));
            }
            FuzzCase c = generate(target, seed, i);
            permits.acquire();
            send(client, target, c).onComplete(ar -> {
                if (ar.succeeded()) {
                    report.answered(ar.result().status, c, ar.result().body);
                } else if (isTimeout(ar.cause())) {
                    report.hung(c);
                } else {
                    report.closedWithoutAnswer(c, ar.cause());
                }
                permits.release();
            });
        }
        permits.acquire(inFlight);
        double seconds = (System.nanoTime() - start) / 1e9;
        boolean alive = probe(client, target);
        report.finished(seconds, alive);
        await(client.close());
        return report;
    }

    private record Answer(int status, String body) {
    }

    private static Future<Answer> send(HttpClient client, FuzzTarget target, FuzzCase c) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(target.port())
                .setURI(c.path()).setIdleTimeout(HANG_MILLIS);
        if (c.contentType() != null) {
            request.putHeader("Content-Type", c.contentType());
        }
        return client.request(request)
                .compose(req -> req.send(Buffer.buffer(c.body())))
                .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.statusCode() >= 500 ? b.toString() : null)));
    }

    private static boolean probe(HttpClient client, FuzzTarget target) {
        FuzzTarget.Probe p = target.healthy();
        FuzzCase c = new FuzzCase(-1, p.path(), "probe", "application/json", p.body(), List.of());
        try {
            Answer a = send(client, target, c).toCompletionStage().toCompletableFuture().get(HANG_MILLIS, TimeUnit.MILLISECONDS);
            return a.status() == p.expectedStatus();
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean isTimeout(Throwable t) {
        return t instanceof TimeoutException || t instanceof io.netty.handler.timeout.TimeoutException
                || (t.getMessage() != null && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("timeout"));
    }

    private static void await(Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
