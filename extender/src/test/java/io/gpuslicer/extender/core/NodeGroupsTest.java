package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.LedgerStore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Nodes grouped by pool and the framework's verdict: "why is my pod pending" in a few lines. */
class NodeGroupsTest {

    @Test
    void nodesAreGroupedByPoolAndReasonInThePodsPoolOrderThenOtherPools() {
        LedgerStore store = new LedgerStore(POLICY);
        store.upsertNode(sharedNodeObject("research-1", "a100-research", 3));
        store.upsertNode(sharedNodeObject("research-2", "a100-research", 3));
        store.upsertNode(sharedNodeObject("dev-1", "a100-development", 3));
        store.upsertNode(sharedNodeObject("train-1", "a100-training", 3));
        store.upsertNode(node("cpu-1", java.util.Map.of(), java.util.Map.of()));
        sharers("research-1", "research", 6).forEach(store::upsertPod);
        sharers("research-2", "research", 6).forEach(store::upsertPod);
        sharers("dev-1", "development", 5).forEach(store::upsertPod);

        List<NodeGroups.Group> groups = NodeGroups.of(Framework.DEFAULT, PodInfo.of(gpuPod("p", "research", 2), POLICY), store.snapshot());

        assertThat(groups).extracting(g -> g.pool() + " " + g.rank() + " " + (g.fits() ? "fits" : g.status().reason()) + " " + g.nodes())
                .containsExactly(
                        "a100-research 0 REPLICAS_FULL [research-1, research-2]",
                        "a100-development 1 REPLICAS_FULL [dev-1]",
                        "a100-training -1 POOL_NOT_ALLOWED [train-1]",
                        "null -1 POOL_NOT_ALLOWED [cpu-1]");
    }

    @Test
    void nodesWhereThePodFitsFormTheirOwnGroupBeforeTheRefusedOnesOfTheSamePool() {
        LedgerStore store = new LedgerStore(POLICY);
        store.upsertNode(sharedNodeObject("research-1", "a100-research", 3));
        store.upsertNode(sharedNodeObject("research-2", "a100-research", 3));
        sharers("research-2", "research", 6).forEach(store::upsertPod);

        List<NodeGroups.Group> groups = NodeGroups.of(Framework.DEFAULT, PodInfo.of(gpuPod("p", "research", 1), POLICY), store.snapshot());

        assertThat(groups).extracting(g -> (g.fits() ? "fits" : g.status().reason().name()) + " " + g.nodes())
                .containsExactly("fits [research-1]", "REPLICAS_FULL [research-2]");
    }
}
