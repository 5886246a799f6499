package io.gpuslicer.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stopping servers and then Vert.x, from a plain thread (a shutdown hook, a test). The two steps are
 * awaited one after the other, never chained with {@code compose}/{@code eventually}: the continuation of
 * a server's close future runs on that server's event loop, which {@code vertx.close()} terminates, so a
 * chained future is never completed and the caller waits out its whole timeout.
 */
public final class Shutdown {
    private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);

    private Shutdown() {
    }

    /** Waits for each close in turn, then closes Vert.x; logs (never throws) what did not finish in time. */
    public static void closeThenStop(Vertx vertx, Duration timeout, Future<?>... closes) {
        closeThenStop(vertx, timeout, () -> {
        }, closes);
    }

    /**
     * As {@link #closeThenStop(Vertx, Duration, Future[])}, running {@code between} once the servers are closed and
     * before Vert.x stops: what still needs Vert.x to close cleanly (an API client on it, informers) closes there.
     */
    public static void closeThenStop(Vertx vertx, Duration timeout, Runnable between, Future<?>... closes) {
        for (Future<?> close : closes) {
            await(close, timeout, "server close");
        }
        try {
            between.run();
        } finally {
            await(vertx.close(), timeout, "Vert.x close");
        }
    }

    private static void await(Future<?> future, Duration timeout, String what) {
        try {
            future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            LOG.warn("{} failed: {}", what, e.getCause().getMessage());
        } catch (TimeoutException e) {
            LOG.warn("{} did not finish within {}", what, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
