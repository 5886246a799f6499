package io.gpuslicer.e2e.extender;

import io.gpuslicer.extender.ExtenderConfig;
import io.gpuslicer.extender.ExtenderServer;
import io.gpuslicer.extender.driver.SchedulerDriver;
import io.gpuslicer.extender.ledger.SnapshotLedgerSource;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The extender over HTTP driven like kube-scheduler over a small cluster of the reference strategy:
 * two time-sliced pools (research, development) and two MIG pools (3g.40gb, 1g.10gb).
 */
class ExtenderSchedulingTest {
    private static final Policy POLICY = PolicyLoader.defaultPolicy();
    private static final List<String> NODES = List.of("research-1", "development-1", "mig3g-1", "mig1g-1");

    private Vertx vertx;
    private HttpClient client;
    private ExtenderServer server;
    private SnapshotLedgerSource ledger;
    private SchedulerDriver scheduler;
    private final ClusterBuilder cluster = new ClusterBuilder(POLICY);

    @BeforeEach
    void start() throws Exception {
        ledger = new SnapshotLedgerSource(POLICY)
                .addNode(cluster.sharedNode("research-1", "a100-research", 2, 2))
                .addNode(cluster.sharedNode("development-1", "a100-development", 2, 2))
                .addNode(cluster.migNode("mig3g-1", "mig-3g40gb", 1))
                .addNode(cluster.migNode("mig1g-1", "mig-1g10gb", 1));
        vertx = Vertx.vertx();
        client = vertx.createHttpClient();
        server = ExtenderServer.start(vertx, ExtenderConfig.plain(0), ledger).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        scheduler = new SchedulerDriver(client, "127.0.0.1", server.actualPort(), ExtenderConfig.DEFAULT_PREFIX,
                (pod, node) -> {
                    ledger.bind(pod, node);
                    return Future.succeededFuture();
                });
    }

    /** Every node goes to the extender: the test is about its filters, not kube-scheduler's own. */
    private SchedulerDriver.Outcome schedule(Pod pod) throws Exception {
        return scheduler.schedule(pod, NODES).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void researchPodsFillTheirPoolThenFallBackToDevelopment() throws Exception {
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            SchedulerDriver.Outcome o = schedule(cluster.pod("research-" + i, "research", Map.of()));
            assertThat(o.pending()).as("research-%d pending: %s", i, o.failedNodes()).isFalse();
            placed.add(o.node());
        }
        // 2 GPUs x 2 replicas in the research pool; the fifth pod finds it full and borrows development.
        assertThat(placed).containsExactly("research-1", "research-1", "research-1", "research-1", "development-1", "development-1");
        SchedulerDriver.Outcome next = schedule(cluster.pod("research-6", "research", Map.of()));
        assertThat(next.failedNodes()).containsKey("research-1");
        assertThat(next.failedNodes().get("research-1")).contains("no free time-slice replica");
        assertThat(next.unresolvableNodes()).containsOnlyKeys("mig3g-1", "mig1g-1");
        assertThat(server.registry().scrape()).contains("gpuslicer_extender_fallback_placements_total{workload_type=\"research\"}");
    }

    @Test
    void aProductionInferencePodStaysPendingWhenItsMigPoolIsFullAndNeverFallsBack() throws Exception {
        // One A100 in 3g.40gb layout holds two instances.
        assertThat(schedule(cluster.pod("serve-0", "production-inference", Map.of())).node()).isEqualTo("mig3g-1");
        assertThat(schedule(cluster.pod("serve-1", "production-inference", Map.of())).node()).isEqualTo("mig3g-1");

        SchedulerDriver.Outcome third = schedule(cluster.pod("serve-2", "production-inference", Map.of()));
        assertThat(third.pending()).isTrue();
        assertThat(third.failedNodes()).containsOnlyKeys("mig3g-1");
        assertThat(third.failedNodes().get("mig3g-1"))
                .isEqualTo("gpu-slicer: no free MIG instance of the pod's profile (nvidia.com/gpu (MIG 3g.40gb): requested 1, used 2 of 2)");
        // The 1g.10gb pool is listed for the workload type but is another profile: never a fallback, and preemption skips it.
        assertThat(third.unresolvableNodes().get("mig1g-1"))
                .isEqualTo("gpu-slicer: node is not in a pool the workload type may use (node pools mig-1g10gb; allowed mig-3g40gb)");
        assertThat(third.unresolvableNodes()).containsKeys("research-1", "development-1");
    }

    @Test
    void aPodAskingForTheSmallProfileIsPinnedToItsOwnPool() throws Exception {
        SchedulerDriver.Outcome small = schedule(cluster.pod("small-0", "production-inference",
                Map.of(POLICY.vocabulary().migProfileLabel(), "1g.10gb")));
        assertThat(small.node()).isEqualTo("mig1g-1");
        assertThat(small.unresolvableNodes()).containsKey("mig3g-1");
    }
}
