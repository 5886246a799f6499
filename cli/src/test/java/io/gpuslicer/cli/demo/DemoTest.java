package io.gpuslicer.cli.demo;

import io.gpuslicer.cli.demo.DemoRow.Result;
import io.gpuslicer.policy.PolicyLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The scripted batch over real HTTPS and HTTP on free ports, its placements asserted on the result object. */
class DemoTest {
    private static DemoServers servers;
    private static DemoResult result;

    @BeforeAll
    static void runTheDemo() throws Exception {
        servers = DemoServers.start(DemoServers.Options.defaults());
        result = new Demo(servers).runScript();
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    @Test
    void researchFillsItsThreeReplicasThenFallsBackToDevelopment() {
        for (int i = 0; i < 3; i++) {
            assertThat(result.row("research-" + i)).extracting(DemoRow::node, DemoRow::pool, DemoRow::fellBack)
                    .containsExactly("a100-research-1", "a100-research", false);
        }
        assertThat(result.row("research-3")).extracting(DemoRow::result, DemoRow::node, DemoRow::pool, DemoRow::fellBack)
                .containsExactly(Result.PLACED, "a100-dev-1", "a100-development", true);
    }

    @Test
    void theThirdProductionInferencePodIsPendingForWantOfA3gInstanceAndNeverFallsBack() {
        assertThat(result.row("serve-0").node()).isEqualTo("a100-mig-3g-1");
        assertThat(result.row("serve-1").node()).isEqualTo("a100-mig-3g-1");
        DemoRow third = result.row("serve-2");
        assertThat(third.result()).isEqualTo(Result.PENDING);
        assertThat(third.node()).isNull();
        assertThat(third.message()).startsWith("0/10 nodes are available: ")
                .contains("1 gpu-slicer: no free MIG instance of the pod's profile (nvidia.com/mig-3g.40gb: requested 1, used 2 of 2)");
    }

    @Test
    void aPodAskingForTheSmallProfileIsPinnedToTheSmallPoolNotFallenBack() {
        assertThat(result.row("serve-small-0")).extracting(DemoRow::result, DemoRow::node, DemoRow::pool, DemoRow::fellBack)
                .containsExactly(Result.PLACED, "a100-mig-1g-1", "mig-1g10gb", false);
    }

    @Test
    void criticalAgentsNeverLandOnTheNodeBeingReconfigured() {
        assertThat(result.rows()).filteredOn(r -> "critical-agents".equals(r.workloadType()))
                .hasSize(4)
                .noneMatch(r -> "a100-mig-2g-2".equals(r.node()));
        for (int i = 0; i < 3; i++) {
            assertThat(result.row("agent-" + i).node()).isEqualTo("a100-mig-2g-1");
        }
        // The fourth finds a100-mig-2g-1 full and waits rather than use the node whose layout is changing.
        assertThat(result.row("agent-3").result()).isEqualTo(Result.PENDING);
        assertThat(result.row("agent-3").message()).contains("1 gpu-slicer: node's MIG layout is being reconfigured");
    }

    @Test
    void theOtherTimeSlicedTypesArePlacedInTheirOwnPools() {
        assertThat(result.row("notebook-0")).extracting(DemoRow::workloadType, DemoRow::node, DemoRow::fellBack)
                .containsExactly("development", "a100-dev-1", false);
        assertThat(result.row("training-0").node()).isEqualTo("a100-train-1");
        assertThat(result.row("training-1").node()).isEqualTo("a100-train-1");
        assertThat(result.row("fine-tuning-0").node()).isEqualTo("h100-ft-1");
        assertThat(result.row("batch-scoring-0").node()).isEqualTo("a100-batch-1");
    }

    @Test
    void theScriptCoversEveryWorkloadTypeOfTheDefaultPolicy() {
        assertThat(result.rows()).extracting(DemoRow::workloadType)
                .containsAll(PolicyLoader.defaultPolicy().workloadTypes().keySet());
    }

    @Test
    void anUnknownWorkloadTypeIsDeniedWithTheKnownTypes() {
        DemoRow gaming = result.row("gaming-0");
        assertThat(gaming.result()).isEqualTo(Result.DENIED);
        assertThat(gaming.workloadType()).isEqualTo("gaming");
        assertThat(gaming.message()).contains("unknown workload type \"gaming\"")
                .contains(PolicyLoader.defaultPolicy().knownWorkloadTypes());
    }

    @Test
    void aCpuPodPassesUntouchedAndLandsOnTheUntaintedNode() {
        assertThat(result.row("web-0")).extracting(DemoRow::result, DemoRow::workloadType, DemoRow::pool, DemoRow::node)
                .containsExactly(Result.UNTOUCHED, null, null, "cpu-1");
    }

    @Test
    void theCapacityLeftPerPoolIsTheTotalMinusWhatIsPlacedThere() {
        Map<String, Long> placed = result.rows().stream().filter(r -> r.pool() != null)
                .collect(Collectors.groupingBy(DemoRow::pool, Collectors.counting()));
        // nightly-scoring-0 already runs on a100-batch-1 in the bundled cluster.
        Map<String, Long> alreadyRunning = Map.of("a100-batch", 1L);
        for (PoolCapacity pool : result.pools()) {
            long used = placed.getOrDefault(pool.pool(), 0L) + alreadyRunning.getOrDefault(pool.pool(), 0L);
            assertThat(pool.free()).as(pool.pool()).isEqualTo(pool.total() - used);
        }
        assertThat(result.pool("a100-research")).extracting(PoolCapacity::free, PoolCapacity::total).containsExactly(0, 3);
        assertThat(result.pool("mig-3g40gb")).extracting(PoolCapacity::free, PoolCapacity::total).containsExactly(0, 2);
        assertThat(result.pool("mig-2g20gb")).extracting(PoolCapacity::free, PoolCapacity::total, PoolCapacity::freeReconfiguring)
                .containsExactly(3, 6, 3);
    }

    @Test
    void theSummaryCountsEachOutcome() {
        assertThat(DemoReport.summary(result))
                .isEqualTo("15 placed (1 fell back to another pool), 2 pending, 1 denied, 1 not a GPU pod (left untouched)");
    }

    @Test
    void thePrintedTableHasOneAlignedLinePerPod() {
        String text = DemoReport.render(result);
        assertThat(text).containsPattern("(?m)^  research-3 +research +a100-development +a100-dev-1 +yes +placed$")
                .containsPattern("(?m)^  serve-2 +production-inference +- +- +- +Pending: 0/10 nodes are available: .*no free MIG instance")
                .containsPattern("(?m)^  serve-small-0 +production-inference +mig-1g10gb +a100-mig-1g-1 +no +placed$")
                .containsPattern("(?m)^  agent-0 +critical-agents +mig-2g20gb +a100-mig-2g-1 +no +placed$")
                .containsPattern("(?m)^  gaming-0 +gaming +- +- +- +Denied: unknown workload type \"gaming\"")
                .containsPattern("(?m)^  web-0 +- +- +cpu-1 +- +admitted unchanged")
                .containsPattern("(?m)^  mig-3g40gb +MIG 3g.40gb +1 +0/2 +MIG instances$");
        // Aligned: every pod line starts its NODE column at the same offset as the header.
        int nodeColumn = text.lines().filter(l -> l.startsWith("  POD ")).findFirst().orElseThrow().indexOf("NODE");
        assertThat(text.lines().filter(l -> l.startsWith("  research-")))
                .allSatisfy(l -> assertThat(l.substring(nodeColumn)).startsWith("a100-"));
    }
}
