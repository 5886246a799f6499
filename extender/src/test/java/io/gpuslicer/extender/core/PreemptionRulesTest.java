package io.gpuslicer.extender.core;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.gpuslicer.extender.Extender;
import io.gpuslicer.extender.ledger.SnapshotLedgerSource;
import io.gpuslicer.extender.wire.ExtenderPreemptionArgs;
import io.gpuslicer.extender.wire.ExtenderPreemptionResult;
import io.gpuslicer.extender.wire.MetaPod;
import io.gpuslicer.extender.wire.MetaVictims;
import io.gpuslicer.policy.NvidiaKeys;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Points 1, 3 and 4 of issue 7, through {@code /preempt} as kube-scheduler calls it (NodeNameToMetaVictims),
 * checked against kube-scheduler's rules: SelectVictimsOnNode in
 * pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go (lower priority only, remove all,
 * check fit, reprieve highest priority first) and the extender checks in pkg/scheduler/framework/preemption/preemption.go
 * and pkg/scheduler/extender.go (every victim must be a pod on the node; never a node without victims).
 * The node "n" holds 2 GPUs x 3 time-slice replicas (cap 4 sharers per GPU) unless a row says otherwise.
 */
class PreemptionRulesTest {

    /** What the ledger holds before the call. */
    record Cluster(String description, Consumer<SnapshotLedgerSource> setup) {
        @Override
        public String toString() {
            return description;
        }
    }

    /** Expected answer for node n: absent (null victims), or these victims and this PDB count. */
    record Want(List<String> victims, long pdb) {
        static Want absent() {
            return new Want(null, 0);
        }
    }

    static Pod low(String name, int priority, int replicas) {
        return boundTo(withPriority(gpuPod(name, "research", replicas), priority), "n");
    }

    static Pod preemptor(int priority, int replicas) {
        return withPriority(gpuPod("preemptor", "research", replicas), priority);
    }

    static Cluster researchNode(Pod... pods) {
        return new Cluster("research node", l -> {
            l.addNode(sharedNodeObject("n", "a100-research", 3));
            for (Pod p : pods) {
                l.addPod(p);
            }
        });
    }

    static Stream<Arguments> preemption() {
        Pod full1 = low("a", 100, 1), full2 = low("b", 100, 1), full3 = low("c", 100, 1);
        Pod full4 = low("d", 100, 1), full5 = low("e", 100, 1), full6 = low("f", 100, 1);
        return Stream.of(
                arguments("a node where the pod fits without GPU victims and nothing was proposed is not returned (never zero victims)",
                        researchNode(full1, full2), preemptor(500, 1), List.of(), 0L, Want.absent()),
                arguments("a node where the pod fits without GPU victims keeps the scheduler's own proposal",
                        researchNode(full1, full2), preemptor(500, 1), List.of("uid-cpu-hog"), 0L, new Want(List.of("uid-cpu-hog"), 0)),
                arguments("a full node gives up exactly one lower-priority pod, the one the scheduler proposed among equals",
                        researchNode(full1, full2, full3, full4, full5, full6), preemptor(500, 1), List.of("uid-a"), 0L,
                        new Want(List.of("uid-a"), 0)),
                arguments("a pod only nominated to the node is never named as a victim",
                        new Cluster("research node, five bound, one nominated", l -> {
                            researchNode(full1, full2, full3, full4, full5).setup().accept(l);
                            l.addPod(new PodBuilder(withPriority(gpuPod("nominated", "research", 1), 600)).editStatus()
                                    .withNominatedNodeName("n").endStatus().build());
                        }), preemptor(500, 1), List.of(), 0L, new Want(List.of("uid-e"), 1)),
                arguments("a pod whose binding is in flight is never named as a victim",
                        new Cluster("research node, five bound, one reserved", l -> {
                            researchNode(full1, full2, full3, full4, full5).setup().accept(l);
                            l.store().reserve(withPriority(gpuPod("reserved", "research", 1), 10), "n", Duration.ofSeconds(10));
                        }), preemptor(500, 1), List.of(), 0L, new Want(List.of("uid-e"), 1)),
                arguments("a lower-priority pod nominated to the node does not make the preemptor evict anyone",
                        new Cluster("research node, five bound, one low-priority nominated", l -> {
                            researchNode(full1, full2, full3, full4, full5).setup().accept(l);
                            l.addPod(new PodBuilder(withPriority(gpuPod("nominated", "research", 1), 10)).editStatus()
                                    .withNominatedNodeName("n").endStatus().build());
                        }), preemptor(500, 1), List.of(), 0L, Want.absent()),
                arguments("the fewest pods are evicted: a two-replica pod alone, not a one-replica pod first and then it",
                        researchNode(low("h1", 1000, 1), low("h2", 1000, 1), low("h3", 1000, 1), low("x", 10, 1), low("y", 20, 2)),
                        preemptor(500, 2), List.of(), 0L, new Want(List.of("uid-y"), 1)),
                arguments("the highest-priority victim is given back first",
                        researchNode(low("h1", 1000, 1), low("h2", 1000, 1), low("h3", 1000, 1), low("h4", 1000, 1),
                                low("p10", 10, 1), low("p20", 20, 1)),
                        preemptor(500, 1), List.of(), 0L, new Want(List.of("uid-p10"), 1)),
                arguments("borrowed capacity is reclaimed first, whatever the priorities",
                        researchNode(low("h1", 1000, 1), low("h2", 1000, 1), low("h3", 1000, 1), low("h4", 1000, 1),
                                low("home", 10, 1), boundTo(withPriority(gpuPod("borrower", "development", 1), 20), "n")),
                        preemptor(500, 1), List.of(), 0L, new Want(List.of("uid-borrower"), 1)),
                arguments("pods of equal or higher priority are never victims, so a node full of them is dropped",
                        researchNode(low("h1", 500, 3), low("h2", 600, 3)), preemptor(500, 1), List.of("uid-h1"), 0L, Want.absent()),
                arguments("a victim set within the scheduler's proposal keeps its PDB violation count",
                        researchNode(full1, full2, full3, full4, full5, full6), preemptor(500, 1), List.of("uid-f", "uid-a"), 1L,
                        new Want(List.of("uid-f"), 1)),
                arguments("a victim the scheduler did not propose counts as a possible PDB violation",
                        researchNode(full1, full2, full3, full4, full5, full6), preemptor(500, 1), List.of("uid-cpu-hog"), 0L,
                        new Want(List.of("uid-cpu-hog", "uid-f"), 1)),
                arguments("a node whose MIG layout change failed is never a preemption candidate",
                        new Cluster("MIG node in state failed", l -> {
                            l.addNode(withLabel(migNodeObject("n", "3g.40gb"), NvidiaKeys.MIG_CONFIG_STATE, "failed"));
                            for (int i = 0; i < 4; i++) {
                                l.addPod(boundTo(withPriority(migPod("m" + i, "production-inference", "3g.40gb"), 10), "n"));
                            }
                        }), withPriority(migPod("preemptor", "production-inference", "3g.40gb"), 5000), List.of("uid-m0"), 0L, Want.absent()),
                arguments("a MIG pod is never a victim of a time-sliced pod",
                        new Cluster("full MIG node", l -> {
                            l.addNode(migNodeObject("n", "3g.40gb"));
                            for (int i = 0; i < 4; i++) {
                                l.addPod(boundTo(withPriority(migPod("m" + i, "production-inference", "3g.40gb"), 10), "n"));
                            }
                        }), preemptor(100_000, 1), List.of("uid-m0"), 0L, Want.absent()),
                arguments("a MIG pod evicts one lower-priority holder of its profile",
                        new Cluster("full MIG node", l -> {
                            l.addNode(migNodeObject("n", "3g.40gb"));
                            for (int i = 0; i < 4; i++) {
                                l.addPod(boundTo(withPriority(migPod("m" + i, "production-inference", "3g.40gb"), 10 * (i + 1)), "n"));
                            }
                        }), withPriority(migPod("preemptor", "production-inference", "3g.40gb"), 5000), List.of(), 0L,
                        new Want(List.of("uid-m0"), 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void preemption(String sentence, Cluster cluster, Pod pod, List<String> proposed, long proposedPdb, Want want) {
        SnapshotLedgerSource ledger = new SnapshotLedgerSource(POLICY);
        cluster.setup().accept(ledger);
        List<MetaPod> meta = new ArrayList<>();
        proposed.forEach(uid -> meta.add(new MetaPod(uid)));
        ExtenderPreemptionResult r = new Extender(ledger, ExtenderMetrics.NOOP).preempt(
                new ExtenderPreemptionArgs(pod, null, Map.of("n", new MetaVictims(meta, proposedPdb))));
        if (want.victims() == null) {
            assertThat(r.nodeNameToMetaVictims()).doesNotContainKey("n");
            return;
        }
        MetaVictims got = r.nodeNameToMetaVictims().get("n");
        assertThat(got).as("node n is returned").isNotNull();
        assertThat(got.pods()).extracting(MetaPod::uid).containsExactlyInAnyOrderElementsOf(want.victims());
        assertThat(got.numPDBViolations()).isEqualTo(want.pdb());
        // kube-scheduler's own checks: at least one victim, every victim a pod bound to the node.
        assertThat(got.pods()).isNotEmpty();
        var bound = ledger.snapshot().node("n").usage().bound().stream().map(u -> u.uid()).toList();
        got.pods().stream().map(MetaPod::uid).filter(uid -> !proposed.contains(uid))
                .forEach(uid -> assertThat(bound).as("victim %s is bound to n", uid).contains(uid));
        // SelectVictimsOnNode's own guarantees for the GPU victims: lower priority, the pod fits without them,
        // and none of them can be given back (the set is minimal).
        PodInfo info = PodInfo.of(pod, POLICY);
        var node = ledger.snapshot().node("n").asSeenBy(info.uid(), info.priority());
        List<String> gpuVictims = got.pods().stream().map(MetaPod::uid).filter(uid -> node.usage().boundPod(uid) != null).toList();
        var without = node.usage();
        for (String uid : gpuVictims) {
            assertThat(node.usage().boundPod(uid).priority()).as("victim %s has lower priority", uid).isLessThan(info.priority());
            without = without.without(uid);
        }
        if (!gpuVictims.isEmpty()) {
            assertThat(Framework.DEFAULT.filter(info, new io.gpuslicer.extender.ledger.NodeState(node.inventory(), without, node.pools())).isSuccess())
                    .as("the pod fits once the victims are gone").isTrue();
            for (String uid : gpuVictims) {
                var back = without.with(node.usage().boundPod(uid));
                assertThat(Framework.DEFAULT.filter(info, new io.gpuslicer.extender.ledger.NodeState(node.inventory(), back, node.pools())).isSuccess())
                        .as("victim %s cannot be given back", uid).isFalse();
            }
        }
    }
}
