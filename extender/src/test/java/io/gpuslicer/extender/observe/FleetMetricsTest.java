package io.gpuslicer.extender.observe;

import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Bounded labels, and a pending pod leaving the queue it was counted in, whatever the policy became meanwhile. */
class FleetMetricsTest {
    private final FleetObserverTest.SettableClock clock = new FleetObserverTest.SettableClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FleetMetrics metrics = new FleetMetrics(registry, POLICY, clock);

    @Test
    void aPodPendingAcrossAPolicyReloadThatDropsItsTypeLeavesItsOriginalSeries() {
        GpuPodView pod = view(gpuPod("p", "research", 1), Instant.parse("2026-01-01T00:00:00Z"));
        metrics.pendingAdded(pod);
        assertThat(metrics.pendingPods("research", "a100-research")).isEqualTo(1);

        metrics.usePolicy(withoutResearch());
        metrics.pendingRemoved(pod);
        assertThat(metrics.pendingPods("research", "a100-research")).isZero();
        assertThat(metrics.pendingPods("other", "a100-research")).isZero();
    }

    @Test
    void unknownTypesAndPoolsAreLabelledOther() {
        metrics.usePolicy(withoutResearch());
        metrics.pendingAdded(view(gpuPod("p", "research", 1), Instant.now()));
        assertThat(metrics.pendingPods("other", "a100-research")).isEqualTo(1);
        assertThat(metrics.poolLabel("no-such-pool")).isEqualTo("other");
    }

    @Test
    void theOldestGaugeIsTheLongestWaitOfItsQueue() {
        clock.now = Instant.parse("2026-01-01T01:00:00Z");
        metrics.pendingAdded(view(gpuPod("a", "research", 1), Instant.parse("2026-01-01T00:50:00Z")));
        metrics.pendingAdded(view(gpuPod("b", "research", 1), Instant.parse("2026-01-01T00:30:00Z")));
        assertThat(registry.get("gpuslicer.extender.pending.oldest").tag("workload_type", "research").tag("pool", "a100-research")
                .gauge().value()).isEqualTo(1800.0);
    }

    private static GpuPodView view(io.fabric8.kubernetes.api.model.Pod pod, Instant created) {
        pod.getMetadata().setCreationTimestamp(created.toString());
        return GpuPodView.of(pod, POLICY).orElseThrow();
    }

    private static Policy withoutResearch() {
        String text = PolicyLoader.defaultPolicyText()
                .replaceFirst("(?m)^  research: +\\{pools: \\[a100-research, a100-development, a100-batch], priorityClass: research}\\n", "");
        PolicyLoader.Result r = PolicyLoader.parse(text);
        assertThat(r).as("policy without the research type").isInstanceOf(PolicyLoader.Loaded.class);
        Policy p = ((PolicyLoader.Loaded) r).policy();
        assertThat(p.workloadTypes()).doesNotContainKey("research");
        return p;
    }
}
