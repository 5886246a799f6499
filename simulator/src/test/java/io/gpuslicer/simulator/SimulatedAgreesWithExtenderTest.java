package io.gpuslicer.simulator;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.gpuslicer.extender.Extender;
import io.gpuslicer.extender.core.ExtenderMetrics;
import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.extender.core.WorkloadMix;
import io.gpuslicer.extender.ledger.GpuShares;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.extender.ledger.SnapshotLedgerSource;
import io.gpuslicer.extender.wire.ExtenderArgs;
import io.gpuslicer.extender.wire.HostPriority;
import io.gpuslicer.policy.Policy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator decides with the live extender's code: after a replay, the same cluster loaded into the
 * extender's ledger from Node and bound Pod objects (as informers or a kubectl snapshot deliver them)
 * gives, node for node, the same filter verdicts, the same prioritize scores and the same modelled GPU
 * shares as the simulator's own state.
 */
class SimulatedAgreesWithExtenderTest {

    @Test
    void filterAndPrioritizeAgreeNodeForNodeWithTheReplay() {
        Policy policy = Simulation.bundledPolicy();
        ClusterObjects objects = new ClusterObjects(policy);
        List<OpenbTrace.TraceNode> traceNodes = OpenbTrace.nodes(HandCheckedTraceTest.DIR.resolve("openb-nodes-10.csv"));
        // GPU tasks only: the live ledger holds GPU pods (the CPU of CPU-only pods is kube-scheduler's to count).
        List<OpenbTrace.TraceTask> tasks = OpenbTrace.tasks(HandCheckedTraceTest.DIR.resolve("openb-pods-40.csv")).stream()
                .filter(t -> t.gpus() > 0).toList();
        List<Arrival> arrivals = Workload.inOrder(tasks, objects, policy);
        WorkloadMix mix = Workload.observedMix(tasks);
        Framework framework = Framework.standard(() -> mix);
        NodeState[] initial = Simulation.nodesOf(traceNodes, policy);
        int replayed = 20;
        Replay.Result r = new Replay(policy, framework, initial)
                .run(new GpuSlicerStrategy(framework), arrivals.subList(0, replayed), 42, TieBreak.ORDERED, null);

        SnapshotLedgerSource ledger = new SnapshotLedgerSource(policy);
        List<String> names = new ArrayList<>();
        for (OpenbTrace.TraceNode n : traceNodes) {
            Node node = objects.node(n);
            ledger.addNode(node);
            names.add(node.getMetadata().getName());
        }
        for (int k = 0; k < replayed; k++) {
            if (r.placedOn()[k] >= 0) {
                ledger.addPod(new PodBuilder(arrivals.get(k).pod()).editSpec().withNodeName(names.get(r.placedOn()[k])).endSpec()
                        .withNewStatus().withPhase("Running").endStatus().build());
            }
        }
        Extender extender = new Extender(ledger, framework, ExtenderMetrics.NOOP);
        NodeState[] simulated = r.finalState();

        for (int i = 0; i < simulated.length; i++) {
            NodeState live = ledger.snapshot().node(names.get(i));
            GpuShares mine = simulated[i].usage().shares(simulated[i].inventory());
            GpuShares theirs = live.usage().shares(live.inventory());
            for (int g = 0; g < mine.gpus(); g++) {
                assertThat(theirs.load(g)).as(names.get(i) + " GPU " + g).isEqualTo(mine.load(g));
            }
        }
        int compared = 0;
        int ranked = 0;
        for (Arrival next : arrivals.subList(replayed, arrivals.size())) {
            Pod pod = next.pod();
            PodInfo info = PodInfo.of(pod, policy);
            List<String> feasible = new ArrayList<>();
            List<NodeState> candidates = new ArrayList<>();
            for (int i = 0; i < simulated.length; i++) {
                if (framework.filter(info, simulated[i]).isSuccess()) {
                    feasible.add(names.get(i));
                    candidates.add(simulated[i]);
                }
            }
            assertThat(extender.filter(ExtenderArgs.ofNames(pod, names)).nodeNames()).as(pod.getMetadata().getName())
                    .containsExactlyElementsOf(feasible);
            long[] scores = new GpuSlicerStrategy(framework)
                    .score(next, info, candidates.toArray(new NodeState[0]), new Random(1)).scores();
            Map<String, Long> simulatedScores = new HashMap<>();
            for (int c = 0; c < scores.length; c++) {
                simulatedScores.put(feasible.get(c), scores[c]);
            }
            Map<String, Long> liveScores = new HashMap<>();
            for (HostPriority hp : extender.prioritize(ExtenderArgs.ofNames(pod, feasible))) {
                liveScores.put(hp.host(), hp.score());
            }
            assertThat(liveScores).as(pod.getMetadata().getName()).isEqualTo(simulatedScores);
            compared++;
            ranked += new java.util.HashSet<>(liveScores.values()).size() > 1 ? 1 : 0;
        }
        assertThat(compared).isGreaterThanOrEqualTo(5);
        // The comparison has teeth: some decisions rank the nodes differently, and some nodes are refused.
        assertThat(ranked).isPositive();
    }
}
