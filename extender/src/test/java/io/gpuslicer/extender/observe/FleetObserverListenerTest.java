package io.gpuslicer.extender.observe;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.LedgerStore;
import io.gpuslicer.extender.ledger.NodeState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the fleet observer asks and tells its placement listener when it sees a pending GPU pod bound, fed as the
 * informer feeds it (the ledger first, then the observer), without an API server: the listener is asked whether it
 * wants the placement, with the rank of the node's pool among the pod's, and told it (with a snapshot) only if so.
 */
class FleetObserverListenerTest {
    private final FleetObserverTest.SettableClock clock = new FleetObserverTest.SettableClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LedgerStore store = new LedgerStore(POLICY, clock);

    /** Wants what it is set to want; records the ranks it was asked about and the placements it was told. */
    private static final class Recording implements PlacementListener {
        final boolean wanting;
        final List<Integer> asked = new ArrayList<>();
        final List<String> told = new ArrayList<>();

        Recording(boolean wanting) {
            this.wanting = wanting;
        }

        @Override
        public boolean wants(PodInfo info, int rank) {
            asked.add(rank);
            return wanting;
        }

        @Override
        public void placed(Pod pod, String node, LedgerSnapshot snapshotBefore) {
            NodeState state = snapshotBefore.node(node);
            told.add(pod.getMetadata().getName() + " on " + node + ", the ledger counting "
                    + (state == null ? "no such node" : state.usage().podCount() + " pod(s) there"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "a pod bound on its preferred pool is offered at rank 0, research-1, 0",
            "a pod that fell back to its second pool is offered at rank 1, dev-1, 1",
            "a pod bound on a node the ledger does not know is offered at rank -1, nowhere, -1"})
    void theListenerIsAskedWithTheRankOfTheNodesPool(String sentence, String node, int rank) {
        Recording listener = new Recording(true);
        bindSeen(listener, node);
        assertThat(listener.asked).containsExactly(rank);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a listener that wants the placement is told it, with a ledger that counts the pod | true | train-0 on research-1, the ledger counting 1 pod(s) there",
            "a listener that wants nothing is not told (and no snapshot is taken for it) | false | "})
    void onlyAWantedPlacementIsTold(String sentence, boolean wanting, String told) {
        Recording listener = new Recording(wanting);
        bindSeen(listener, "research-1");
        assertThat(listener.told).containsExactlyElementsOf(told == null ? List.of() : List.of(told));
        assertThat(registry.get("gpuslicer.extender.placements").tag("pool", "a100-research").tag("fallback", "false")
                .counter().count()).as("counted either way").isEqualTo(1);
    }

    /** A research pod seen pending, then bound to {@code node}: the ledger's handler first, then the observer's. */
    private void bindSeen(PlacementListener listener, String node) {
        store.upsertNode(sharedNodeObject("research-1", "a100-research", 3));
        store.upsertNode(sharedNodeObject("dev-1", "a100-development", 3));
        FleetObserver observer = new FleetObserver(store, new FleetMetrics(registry, POLICY, clock), listener, clock);
        Pod pending = gpuPod("train-0", "research", 1);
        store.upsertPod(pending);
        observer.onAdd(pending);
        Pod bound = boundTo(pending, node);
        store.upsertPod(bound);
        observer.onUpdate(pending, bound);
    }
}
