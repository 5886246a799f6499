package io.gpuslicer.server;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fails futures still pending after their timeout, as {@link CompletableFuture#orTimeout} does, but checked by one
 * daemon thread once per tick instead of one timer task per future. {@code orTimeout} schedules a task on the JDK's
 * shared delayer thread and cancels it when the future completes; with a timeout on every Binding and every placement
 * Event that thread was woken twice per scheduled pod, about 0.05 ms of CPU per pod (SchedulerLoad, 500 nodes). Here
 * a future only joins a queue, and the queue is swept {@code tick} apart: a timeout fires up to one tick late, which
 * does not matter for timeouts of many seconds (an API server that does not answer at all).
 */
public final class CoarseTimeouts implements AutoCloseable {
    private static final Duration SHARED_TICK = Duration.ofSeconds(1);

    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService sweeper;

    private record Pending(long deadlineNanos, CompletableFuture<?> future) {
    }

    /** One per process, swept every second, its thread started on first use. */
    public static CoarseTimeouts shared() {
        return Shared.INSTANCE;
    }

    private static final class Shared {
        static final CoarseTimeouts INSTANCE = new CoarseTimeouts(SHARED_TICK);
    }

    public CoarseTimeouts(Duration tick) {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gpu-slicer-timeouts");
            t.setDaemon(true);
            return t;
        });
        long nanos = tick.toNanos();
        sweeper.scheduleAtFixedRate(() -> sweep(System.nanoTime()), nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code future}, failed with a {@link TimeoutException} if it is still pending {@code timeout} from now. */
    public <T> CompletableFuture<T> within(CompletableFuture<T> future, long timeout, TimeUnit unit) {
        if (!future.isDone()) {
            pending.add(new Pending(System.nanoTime() + unit.toNanos(timeout), future));
        }
        return future;
    }

    /** Forgets completed futures and fails those past their deadline; what the sweeper thread runs each tick. */
    void sweep(long nowNanos) {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.future().isDone()) {
                it.remove();
            } else if (nowNanos - p.deadlineNanos() >= 0) {
                it.remove();
                p.future().completeExceptionally(new TimeoutException());
            }
        }
    }

    /** Futures still watched (for tests). */
    int watched() {
        return pending.size();
    }

    /** Stops sweeping; futures still watched keep whatever they get. */
    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
