package io.gpuslicer.server;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Servers close first, then what still runs on Vert.x, then Vert.x itself. */
class ShutdownTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void whatRunsBetweenSeesTheServersClosedAndVertxStillRunning() {
        Vertx vertx = Vertx.vertx();
        List<String> steps = new ArrayList<>();
        Promise<Void> serverClosed = Promise.promise();
        vertx.setTimer(50, id -> {
            steps.add("server closed");
            serverClosed.complete();
        });

        Shutdown.closeThenStop(vertx, TIMEOUT, () -> {
            CompletableFuture<String> onVertx = new CompletableFuture<>();
            vertx.runOnContext(v -> onVertx.complete("Vert.x still runs"));
            steps.add(onVertx.orTimeout(5, TimeUnit.SECONDS).join());
        }, serverClosed.future());

        assertThat(steps).containsExactly("server closed", "Vert.x still runs");
        assertThatThrownBy(() -> vertx.createHttpServer().listen(0).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS))
                .as("Vert.x is stopped afterwards").isNotNull();
    }

    @Test
    void vertxStopsEvenWhenWhatRunsBetweenFails() {
        Vertx vertx = Vertx.vertx();

        assertThatThrownBy(() -> Shutdown.closeThenStop(vertx, TIMEOUT, () -> {
            throw new IllegalStateException("a client that would not close");
        })).hasMessageContaining("would not close");

        assertThatThrownBy(() -> vertx.createHttpServer().listen(0).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS))
                .as("Vert.x is stopped anyway").isNotNull();
    }
}
