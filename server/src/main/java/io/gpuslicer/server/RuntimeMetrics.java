package io.gpuslicer.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The process and JVM series an operator expects of any Java service on Prometheus, from Micrometer's own
 * binders: CPU ({@code process_cpu_time_ns_total}, {@code process_cpu_usage}), heap and other memory pools
 * ({@code jvm_memory_used_bytes{area,id}}), collections and what was allocated between them
 * ({@code jvm_gc_pause_seconds}, {@code jvm_gc_memory_allocated_bytes_total}), threads, classes, open files,
 * uptime and the JVM's version. All are read from the JVM's management beans when scraped (the collector's
 * pauses and allocation are counted by a notification per collection): nothing on a request's path.
 * <p>
 * The extender's CPU per placed pod, the figure {@code ./bench extender.SchedulerLoad} measures, is then a query
 * (ms; the dashboard's): {@code sum(rate(process_cpu_time_ns_total{job="gpu-slicer-extender"}[5m])) / 1e6
 * / sum(max by (pool, fallback) (rate(gpuslicer_extender_placements_total[5m])))}.
 */
public final class RuntimeMetrics implements AutoCloseable {
    private final JvmGcMetrics gc;

    private RuntimeMetrics(JvmGcMetrics gc) {
        this.gc = gc;
    }

    /** Binds the series to {@code registry}; {@link #close} removes the collector's notification listeners. */
    public static RuntimeMetrics bind(MeterRegistry registry) {
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return new RuntimeMetrics(gc);
    }

    @Override
    public void close() {
        gc.close();
    }
}
