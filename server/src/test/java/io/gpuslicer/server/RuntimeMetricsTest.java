package io.gpuslicer.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The process and JVM series both servers export, as operators' dashboards and alerts query them. */
class RuntimeMetricsTest {

    @ParameterizedTest(name = "{0} is exported, for {1}")
    @CsvSource(delimiter = '|', textBlock = """
            process_cpu_time_ns_total                    | CPU per placed pod and per server
            process_cpu_usage                            | CPU share of the container
            jvm_memory_used_bytes{area="heap"            | heap use against its maximum
            jvm_memory_max_bytes{area="heap"             | heap use against its maximum
            jvm_gc_pause_seconds_count                   | collections and their pauses
            jvm_gc_memory_allocated_bytes_total          | allocation per placed pod
            jvm_gc_live_data_size_bytes                  | the old generation after a full collection
            jvm_threads_live_threads                     | a thread leak
            process_files_open_files                     | a socket or file leak
            process_uptime_seconds                       | restarts
            jvm_info{                                    | which JVM runs it
            """)
    void theScrapeCarriesTheSeries(String series, String purpose) {
        PrometheusMeterRegistry registry = Metrics.newRegistry();
        try (RuntimeMetrics ignored = RuntimeMetrics.bind(registry)) {
            System.gc(); // a collection, so that the pause and allocation series have a sample
            awaitUpTo(Duration.ofSeconds(10), () -> registry.scrape().contains("jvm_gc_pause_seconds_count{"));
            assertThat(registry.scrape()).as(purpose).contains("\n" + series);
        }
    }

    @Test
    void theCpuTimeCountsTheWorkDone() {
        PrometheusMeterRegistry registry = Metrics.newRegistry();
        try (RuntimeMetrics ignored = RuntimeMetrics.bind(registry)) {
            double before = cpuNanos(registry);
            long sink = 0;
            long until = System.nanoTime() + 200_000_000L;
            while (System.nanoTime() < until) {
                sink += Long.numberOfTrailingZeros(sink + System.nanoTime());
            }
            assertThat(sink).isNotNegative();
            // 200 ms of wall time on a busy thread: at least some tens of ms of CPU, even on a shared machine.
            assertThat(cpuNanos(registry) - before).isGreaterThan(20_000_000);
        }
    }

    @Test
    void closingRemovesTheCollectorsListenersSoAStoppedServerCountsNoMore() {
        PrometheusMeterRegistry stopped = Metrics.newRegistry();
        PrometheusMeterRegistry running = Metrics.newRegistry();
        RuntimeMetrics.bind(stopped).close();
        try (RuntimeMetrics ignored = RuntimeMetrics.bind(running)) {
            System.gc();
            // Notifications of one collection reach every listener in turn: once the running registry counted it,
            // a listener left behind would have counted it too.
            awaitUpTo(Duration.ofSeconds(10), () -> pauses(running) > 0);
            assertThat(pauses(stopped)).isZero();
        }
    }

    /** The collector's notifications arrive on a thread of the JVM's, shortly after the collection. */
    private static void awaitUpTo(Duration limit, BooleanSupplier condition) {
        long until = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("still false after %s", limit).isLessThan(until);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static double cpuNanos(PrometheusMeterRegistry registry) {
        return registry.get("process.cpu.time").functionCounter().count();
    }

    private static double pauses(PrometheusMeterRegistry registry) {
        return registry.find("jvm.gc.pause").timers().stream().mapToLong(t -> t.count()).sum();
    }
}
