package io.gpuslicer.extender.observe;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.LedgerStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The placement Event's sentence, on ledgers that hold the placed pod (informer) or not yet (bind verb). */
class PlacementNoteTest {

    static Stream<Arguments> placements() {
        Pod research = gpuPod("new", "research", 1);
        Pod serve = mixedMigPod("serve", "production-inference", "3g.40gb");
        return Stream.of(
                arguments("a pod on its preferred pool gets its share from the contention curve",
                        List.of(sharedNodeObject("research-1", "a100-research", 3)), sharers("research-1", "research", 3),
                        research, "research-1",
                        "placed on the preferred pool a100-research (node research-1); 2 pods per GPU, expected throughput share 0.46"),
                arguments("a fallback names the full preferred pool with its use",
                        List.of(sharedNodeObject("research-1", "a100-research", 3), sharedNodeObject("dev-1", "a100-development", 3)),
                        sharers("research-1", "research", 6), research, "dev-1",
                        "a100-research full: 6/6 replicas; placed on the fallback pool a100-development (node dev-1); "
                                + "1 pod per GPU, expected throughput share 1.00"),
                arguments("a fallback past a pool with replicas left names the filter that refused it",
                        List.of(sharedNodeObject("research-1", "a100-research", 6), sharedNodeObject("dev-1", "a100-development", 3)),
                        sharers("research-1", "research", 8), research, "dev-1",
                        "a100-research refused: time-slice sharers per GPU would exceed the policy's cap (1 node); "
                                + "placed on the fallback pool a100-development (node dev-1); 1 pod per GPU, expected throughput share 1.00"),
                arguments("a fallback past two pools lists both",
                        List.of(sharedNodeObject("research-1", "a100-research", 3), sharedNodeObject("dev-1", "a100-development", 3),
                                sharedNodeObject("batch-1", "a100-batch", 3)),
                        concat(sharers("research-1", "research", 6), sharers("dev-1", "development", 6)), research, "batch-1",
                        "a100-research full: 6/6 replicas; a100-development full: 6/6 replicas; placed on the fallback pool "
                                + "a100-batch (node batch-1); 1 pod per GPU, expected throughput share 1.00"),
                arguments("a MIG pod is on an isolated instance",
                        List.of(mixedMigNodeObject("mig-1", "3g.40gb")), List.of(), serve, "mig-1",
                        "placed on the preferred pool mig-3g40gb (node mig-1); isolated MIG 3g.40gb instance, "
                                + "expected throughput share 1.00 of it; 1/4 instances of the node in use"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void theNoteReadsTheSameBeforeAndAfterTheLedgerCountsThePod(String name, List<Node> nodes, List<Pod> running, Pod pod,
                                                                String node, String expected) {
        LedgerStore store = new LedgerStore(POLICY);
        nodes.forEach(store::upsertNode);
        running.forEach(store::upsertPod);
        LedgerSnapshot before = store.snapshot();
        store.upsertPod(boundTo(pod, node));
        LedgerSnapshot after = store.snapshot();
        PodInfo info = PodInfo.of(pod, POLICY);
        assertThat(PlacementNote.of(Framework.DEFAULT, info, node, before)).isEqualTo(expected);
        assertThat(PlacementNote.of(Framework.DEFAULT, info, node, after)).isEqualTo(expected);
    }

    static Stream<Arguments> aFallbackIsExplainedByTheBetterPoolsWithoutThePod() {
        return Stream.of(
                arguments("a pod bound on the fallback node named leaves the better pool's nodes as they are", "dev-1", "dev-1"),
                arguments("a pod counted on a better pool's node is taken from it", "research-1", "dev-1"),
                arguments("a node named that the ledger does not know is no short cut", "research-1", "gone"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void aFallbackIsExplainedByTheBetterPoolsWithoutThePod(String sentence, String countedOn, String named) {
        LedgerStore store = new LedgerStore(POLICY);
        store.upsertNode(sharedNodeObject("research-1", "a100-research", 3));
        store.upsertNode(sharedNodeObject("dev-1", "a100-development", 3));
        sharers("research-1", "research", 2).forEach(store::upsertPod);
        sharers("dev-1", "development", 2).forEach(store::upsertPod);
        Pod pod = boundTo(gpuPod("new", "research", 1), countedOn);
        store.upsertPod(pod);
        LedgerSnapshot snapshot = store.snapshot();
        PodInfo info = PodInfo.of(pod, POLICY);

        LedgerSnapshot unplaced = PlacementNote.passedOver(snapshot, info, 1, named);

        assertThat(unplaced.nodes().keySet()).as("the nodes of a100-research, the pool ranked before the fallback")
                .containsExactly("research-1");
        assertThat(unplaced.node("research-1").usage().pod(info.uid())).isNull();
        assertThat(unplaced.node("research-1").usage().gpuUnits())
                .isEqualTo(snapshot.node("research-1").usage().gpuUnits() - (countedOn.equals("research-1") ? 1 : 0));
    }

    private static List<Pod> concat(List<Pod> a, List<Pod> b) {
        List<Pod> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
