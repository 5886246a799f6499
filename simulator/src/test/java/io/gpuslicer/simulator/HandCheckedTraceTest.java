package io.gpuslicer.simulator;

import io.gpuslicer.extender.core.WorkloadMix;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.policy.Policy;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Twelve tasks on three nodes, worked out on paper for the BestFit baseline (score
 * {@code ⌊100·(1 − ½·cpuLeft/128000 − ½·gpuLeft/8000)⌋}, highest wins; no ties occur):
 * <pre>
 * nodes: a 16 cores 1 GPU · b 16 cores 2 GPUs · c 32 cores 4 GPUs
 *  1 w1  whole GPU, 2 cores   a 94 · b 88 · c 69                      → a   (a: 0 GPU, 14 cores left)
 *  2 s1  0.5 GPU,   2 cores   b 85 · c 66 (a has no GPU left)         → b   GPU 0 at 500m
 *  3 s2  0.5 GPU,   2 cores   b 89 (fills GPU 0) · c 66               → b   GPU 0 full, 12 cores left
 *  4 q1  4 whole,   8 cores   only c has 4 idle GPUs                   → c   (24 cores left)
 *  5 c1  CPU only,  8 cores   a 97 · b 92 · c 93                      → a   (6 cores left)
 *  6 w2  whole GPU, 2 cores   only b's GPU 1 is idle                   → b   (10 cores left)
 *  7 s3  0.3 GPU              no GPU has room                          → unscheduled
 *  8 c2  CPU only,  7 cores   a too small · b 98 · c 93               → b   (3 cores left)
 *  9 c3  CPU only, 20 cores   only c                                   → c   (4 cores left)
 * 10 c4  CPU only,  5 cores   a 99 (b 3, c 4 cores: too small)         → a   (1 core left)
 * 11 w3  whole GPU            no GPU has room                          → unscheduled
 * 12 c5  CPU only,  1 core    a 100 · b 99 · c 98                     → a
 * allocated: 1 + 0.5 + 0.5 + 4 + 1 = 7 of 7 GPUs after task 6 = 100%, 2 tasks unscheduled.
 * </pre>
 */
class HandCheckedTraceTest {
    static final Path DIR = Path.of("src/test/resources/io/gpuslicer/simulator");

    @Test
    void bestFitPlacesTheTwelveTasksAsWorkedOutOnPaper() {
        Policy policy = Simulation.bundledPolicy();
        List<OpenbTrace.TraceTask> tasks = OpenbTrace.tasks(DIR.resolve("hand-pods.csv"));
        NodeState[] nodes = Simulation.nodesOf(OpenbTrace.nodes(DIR.resolve("hand-nodes.csv")), policy);
        List<Arrival> arrivals = Workload.inOrder(tasks, new ClusterObjects(policy), policy);
        Replay replay = new Replay(policy, io.gpuslicer.extender.core.Framework.DEFAULT, nodes);

        Replay.Result r = replay.run(new BestFitStrategy(), arrivals, 42, TieBreak.ORDERED, null);

        String[] names = {"a", "b", "c"};
        String placed = String.join(" ", Arrays.stream(r.placedOn()).mapToObj(i -> i < 0 ? "-" : names[i]).toList());
        assertThat(placed).isEqualTo("a b b c a b - b c a - a");
        assertThat(r.allocatedMilli()).containsExactly(1000, 1500, 2000, 6000, 6000, 7000, 7000, 7000, 7000, 7000, 7000, 7000);
        assertThat(r.unscheduled()).isEqualTo(2);
        assertThat(replay.clusterMilli()).isEqualTo(7000);
        // b's GPU 0 holds both halves; GPU 1 the whole GPU of w2.
        var shares = r.finalState()[1].usage().shares(r.finalState()[1].inventory());
        assertThat(new int[]{shares.load(0), shares.load(1)}).containsExactly(1000, 1000);
    }

    @Test
    void everyStrategyReplaysTheSameTraceWithinTheClustersCapacity() {
        Policy policy = Simulation.bundledPolicy();
        List<OpenbTrace.TraceTask> tasks = OpenbTrace.tasks(DIR.resolve("hand-pods.csv"));
        NodeState[] nodes = Simulation.nodesOf(OpenbTrace.nodes(DIR.resolve("hand-nodes.csv")), policy);
        List<Arrival> arrivals = Workload.inOrder(tasks, new ClusterObjects(policy), policy);
        WorkloadMix mix = Workload.observedMix(tasks);
        List<Replay.Result> results = Simulation.run(policy, nodes, arrivals, Simulation.STRATEGIES, mix, Workload.targetMix(tasks),
                42, TieBreak.ORDERED, 2, null);
        assertThat(results).extracting(Replay.Result::strategy).containsExactlyElementsOf(Simulation.STRATEGIES);
        for (Replay.Result r : results) {
            long[] curve = r.allocatedMilli();
            for (int k = 0; k < curve.length; k++) {
                // Allocation only grows, by exactly what a placed task declared, and never passes the 7 GPUs.
                long before = k == 0 ? 0 : curve[k - 1];
                long want = r.placedOn()[k] < 0 ? before : before + arrivals.get(k).task().demandMilli();
                assertThat(curve[k]).as(r.strategy() + " after task " + (k + 1)).isEqualTo(want).isLessThanOrEqualTo(7000);
            }
            for (NodeState n : r.finalState()) {
                var shares = n.usage().shares(n.inventory());
                for (int g = 0; g < shares.gpus(); g++) {
                    assertThat(shares.load(g)).as(r.strategy() + " " + n.name() + " GPU " + g).isBetween(0, 1000);
                }
                assertThat(n.usage().cpuMilli()).isLessThanOrEqualTo(n.inventory().cpuMilli());
            }
        }
    }
}
