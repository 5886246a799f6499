package io.gpuslicer.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code gpuslicer_webhook_admissions_total{workload_type,outcome}} and the latency histogram
 * {@code gpuslicer_webhook_admission_seconds} (percentile buckets on, so p99 can be computed server side).
 * Meters are looked up once per (type, outcome) and cached: the hot path does a map read and an add.
 */
public final class MicrometerWebhookMetrics implements WebhookMetrics {
    private final MeterRegistry registry;
    private final Timer latency;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

    public MicrometerWebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.latency = Timer.builder("gpuslicer.webhook.admission")
                .description("Time to answer one AdmissionReview, from body received to response written")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
    }

    @Override
    public void admission(String workloadType, Outcome outcome, long durationNanos) {
        latency.record(durationNanos, TimeUnit.NANOSECONDS);
        counters.computeIfAbsent(workloadType + '\u0000' + outcome.tag(), k -> Counter.builder("gpuslicer.webhook.admissions")
                .description("AdmissionReviews answered, by workload type and outcome")
                .tag("workload_type", workloadType)
                .tag("outcome", outcome.tag())
                .register(registry)).increment();
    }
}
