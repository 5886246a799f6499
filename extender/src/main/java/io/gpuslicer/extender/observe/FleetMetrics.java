package io.gpuslicer.extender.observe;

import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.Pool;
import io.gpuslicer.policy.WorkloadType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the pod informer teaches about the queue, in Prometheus terms:
 * <ul>
 *   <li>{@code gpuslicer_extender_pending_pods{workload_type,pool,mode}} — GPU pods waiting, by the pool they want first
 *       ({@code mode} = that pool's sharing mode: {@code mig}, {@code time-slicing}, {@code mps});</li>
 *   <li>{@code gpuslicer_extender_pending_oldest_seconds{workload_type,pool,mode}} — how long the oldest of them has waited
 *       (0 when none): "MIG pods pending longer than N minutes" is one comparison;</li>
 *   <li>{@code gpuslicer_extender_pod_scheduling_wait_seconds{workload_type}} — creation → binding (histogram, up to 1 h);</li>
 *   <li>{@code gpuslicer_extender_placements_total{pool,fallback}} — bindings seen, by pool and whether it was a fallback;</li>
 *   <li>{@code gpuslicer_extender_preemptions_total{workload_type}} — pods nominated after preempting (preemptor's type);</li>
 *   <li>{@code gpuslicer_extender_preemption_victims_total{workload_type}} — pods evicted by kube-scheduler's preemption (victim's type);</li>
 *   <li>{@code gpuslicer_extender_placement_events_total{result}} — placement Events created, updated, skipped (rate limit) or failed.</li>
 * </ul>
 * Label values are bounded: workload types and pools of the policy, anything else is {@code other}; never
 * pod or node names. The policy's combinations are registered up front at 0, so rates and alerts see
 * a series before the first event.
 */
public final class FleetMetrics {
    static final String OTHER = "other";
    /** Bucket bounds of the wait histogram: seconds to an hour (MIG pods may wait that long by design). */
    static final Duration[] WAIT_BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofMinutes(20), Duration.ofMinutes(30), Duration.ofHours(1)};

    private final MeterRegistry registry;
    private final Clock clock;
    /** (type, pool) → pending pod uid → creation time. */
    private final Map<String, Map<String, Instant>> pending = new ConcurrentHashMap<>();
    /** pending pod uid → the queue it was counted in (labels may map differently after a policy reload). */
    private final Map<String, Map<String, Instant>> queueOf = new ConcurrentHashMap<>();
    private volatile Policy policy;

    public FleetMetrics(MeterRegistry registry, Policy policy, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        usePolicy(policy);
    }

    /** Label values follow the policy in force; its combinations get their zero series. */
    public void usePolicy(Policy next) {
        this.policy = next;
        for (WorkloadType type : next.workloadTypes().values()) {
            for (var pool : type.pools()) {
                queue(type.name(), pool.name());
                placements(pool.name(), false);
                placements(pool.name(), true);
            }
            waits(type.name());
            preemptions(type.name());
            victims(type.name());
        }
        for (String result : new String[]{"created", "updated", "skipped", "failed"}) {
            events(result);
        }
    }

    void pendingAdded(GpuPodView pod) {
        Map<String, Instant> q = queue(typeLabel(pod.workloadType()), poolLabel(pod.wantedPool()));
        Map<String, Instant> before = queueOf.put(pod.uid(), q);
        if (before != null && before != q) {
            before.remove(pod.uid());
        }
        q.put(pod.uid(), pod.created() == null ? clock.instant() : pod.created());
    }

    void pendingRemoved(GpuPodView pod) {
        Map<String, Instant> q = queueOf.remove(pod.uid());
        if (q != null) {
            q.remove(pod.uid());
        }
    }

    void bound(String workloadType, String pool, boolean fallback, Duration wait) {
        placements(poolLabel(pool), fallback).increment();
        if (wait != null && !wait.isNegative()) {
            waits(typeLabel(workloadType)).record(wait);
        }
    }

    void preemption(String workloadType) {
        preemptions(typeLabel(workloadType)).increment();
    }

    void victim(String workloadType) {
        victims(typeLabel(workloadType)).increment();
    }

    void event(String result) {
        events(result).increment();
    }

    /** Current value of the pending gauge (tests, status). */
    public int pendingPods(String workloadType, String pool) {
        Map<String, Instant> q = pending.get(workloadType + '\u0000' + pool);
        return q == null ? 0 : q.size();
    }

    String typeLabel(String workloadType) {
        return workloadType != null && policy.workloadTypes().containsKey(workloadType) ? workloadType : OTHER;
    }

    String poolLabel(String pool) {
        return pool != null && policy.pools().containsKey(pool) ? pool : OTHER;
    }

    private Map<String, Instant> queue(String type, String pool) {
        return pending.computeIfAbsent(type + '\u0000' + pool, k -> {
            Map<String, Instant> q = new ConcurrentHashMap<>();
            Tags tags = Tags.of("workload_type", type, "pool", pool, "mode", modeOf(pool));
            Gauge.builder("gpuslicer.extender.pending.pods", q, Map::size)
                    .description("GPU pods waiting to be scheduled, by workload type and the pool they want first")
                    .tags(tags).register(registry);
            Gauge.builder("gpuslicer.extender.pending.oldest", q, this::oldestSeconds).baseUnit("seconds")
                    .description("How long the oldest of these pending GPU pods has waited since its creation")
                    .tags(tags).register(registry);
            return q;
        });
    }

    private double oldestSeconds(Map<String, Instant> queue) {
        Instant oldest = null;
        for (Instant created : queue.values()) {
            if (oldest == null || created.isBefore(oldest)) {
                oldest = created;
            }
        }
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
    }

    private String modeOf(String pool) {
        Pool p = policy.pools().get(pool);
        return p == null ? OTHER : p.mode().wireName();
    }

    /**
     * The meters by series, found once: a meter builder registers through the registry's id lookup (tags sorted, an
     * id allocated), which per bound pod cost more than the informer's event handling.
     */
    private final Map<String, Meter> meters = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    private <M extends Meter> M meter(String series, java.util.function.Supplier<M> register) {
        return (M) meters.computeIfAbsent(series, s -> register.get());
    }

    private Counter placements(String pool, boolean fallback) {
        return meter("placements\0" + pool + '\0' + fallback, () -> placementsMeter(pool, fallback));
    }

    private Timer waits(String type) {
        return meter("waits\0" + type, () -> waitsMeter(type));
    }

    private Counter events(String result) {
        return meter("events\0" + result, () -> eventsMeter(result));
    }

    private Counter placementsMeter(String pool, boolean fallback) {
        return Counter.builder("gpuslicer.extender.placements").tag("pool", pool).tag("fallback", String.valueOf(fallback))
                .description("GPU pods seen bound, by the pool of their node and whether it is a fallback pool for them")
                .register(registry);
    }

    private Timer waitsMeter(String type) {
        return Timer.builder("gpuslicer.extender.pod.scheduling.wait").tag("workload_type", type)
                .description("Time from a GPU pod's creation to its binding to a node")
                .serviceLevelObjectives(WAIT_BUCKETS)
                .register(registry);
    }

    private Counter preemptions(String type) {
        return Counter.builder("gpuslicer.extender.preemptions").tag("workload_type", type)
                .description("GPU pods nominated to a node by preemption, by the preemptor's workload type").register(registry);
    }

    private Counter victims(String type) {
        return Counter.builder("gpuslicer.extender.preemption.victims").tag("workload_type", type)
                .description("GPU pods evicted by kube-scheduler's preemption, by the victim's workload type").register(registry);
    }

    private Counter eventsMeter(String result) {
        return Counter.builder("gpuslicer.extender.placement.events").tag("result", result)
                .description("Placement Events on pods: created, updated (a repeat counted), skipped (rate limit), failed")
                .register(registry);
    }
}
