package io.gpuslicer.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A future still pending at its deadline fails with a TimeoutException, as orTimeout fails it; nothing else is touched. */
class CoarseTimeoutsTest {
    /** Sweeps only when the test says so: its own thread ticks once an hour. */
    private final CoarseTimeouts timeouts = new CoarseTimeouts(Duration.ofHours(1));

    @AfterEach
    void close() {
        timeouts.close();
    }

    @Test
    void aFutureStillPendingAtItsDeadlineFailsWithATimeoutException() {
        CompletableFuture<String> answer = timeouts.within(new CompletableFuture<>(), 30, TimeUnit.SECONDS);

        timeouts.sweep(System.nanoTime() + TimeUnit.SECONDS.toNanos(31));

        assertThatThrownBy(answer::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
        assertThat(timeouts.watched()).isZero();
    }

    @Test
    void aFutureBeforeItsDeadlineIsLeftPendingAndStillWatched() {
        CompletableFuture<String> answer = timeouts.within(new CompletableFuture<>(), 30, TimeUnit.SECONDS);

        timeouts.sweep(System.nanoTime() + TimeUnit.SECONDS.toNanos(29));

        assertThat(answer).isNotDone();
        assertThat(timeouts.watched()).isOne();
    }

    @Test
    void aFutureThatCompletedKeepsItsValueAndIsForgottenAtTheNextSweep() {
        CompletableFuture<String> answer = timeouts.within(new CompletableFuture<>(), 30, TimeUnit.SECONDS);
        answer.complete("bound");

        timeouts.sweep(System.nanoTime() + TimeUnit.SECONDS.toNanos(31));

        assertThat(answer).isCompletedWithValue("bound");
        assertThat(timeouts.watched()).isZero();
    }

    @Test
    void aFutureDoneAlreadyIsNotWatchedAtAll() {
        timeouts.within(CompletableFuture.completedFuture("bound"), 30, TimeUnit.SECONDS);

        assertThat(timeouts.watched()).isZero();
    }

    @Test
    void theSweeperThreadFailsAnOverdueFutureWithinATick() throws Exception {
        try (CoarseTimeouts ticking = new CoarseTimeouts(Duration.ofMillis(20))) {
            CompletableFuture<String> answer = ticking.within(new CompletableFuture<>(), 50, TimeUnit.MILLISECONDS);

            assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
        }
    }
}
