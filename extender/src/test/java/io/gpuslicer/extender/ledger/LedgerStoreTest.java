package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class LedgerStoreTest {
    private final LedgerStore store = new LedgerStore(POLICY);

    @Test
    void boundPodsHoldReplicasNominatedOnesAreKeptApartTerminatedAndUnboundOnesDoNot() {
        store.upsertNode(sharedNodeObject("n", "a100-research", 3));
        store.upsertPod(boundTo(gpuPod("bound", "research", 2), "n"));
        store.upsertPod(new PodBuilder(gpuPod("nominated", "research", 1)).editStatus().withNominatedNodeName("n").endStatus().build());
        store.upsertPod(new PodBuilder(boundTo(gpuPod("done", "research", 1), "n")).editStatus().withPhase("Succeeded").endStatus().build());
        store.upsertPod(gpuPod("pending", "research", 1));
        store.upsertPod(boundTo(cpuPod("cpu"), "n"));
        assertThat(store.snapshot().node("n").usage().gpuUnits()).isEqualTo(2);
        assertThat(store.snapshot().node("n").usage().podCount()).isEqualTo(1);
        assertThat(store.snapshot().node("n").usage().nominated()).extracting(PodUsage::uid).containsExactly("uid-nominated");
        // A pod of the nominated pod's priority (or lower) sees it; the nominated pod does not see itself.
        assertThat(store.snapshot().node("n").asSeenBy("uid-other", 100).usage().gpuUnits()).isEqualTo(3);
        assertThat(store.snapshot().node("n").asSeenBy("uid-nominated", 100).usage().gpuUnits()).isEqualTo(2);
    }

    @Test
    void aPodThatFinishesOrIsDeletedReleasesItsReplicas() {
        store.upsertNode(sharedNodeObject("n", "a100-research", 3));
        Pod pod = boundTo(gpuPod("p", "research", 1), "n");
        store.upsertPod(pod);
        store.upsertPod(boundTo(gpuPod("q", "research", 1), "n"));
        store.upsertPod(new PodBuilder(pod).editStatus().withPhase("Failed").endStatus().build());
        assertThat(store.snapshot().node("n").usage().gpuUnits()).isEqualTo(1);
        store.removePod("uid-q");
        assertThat(store.snapshot().node("n").usage().gpuUnits()).isZero();
    }

    @Test
    void aSnapshotStaysAsItWasWhileTheLedgerChanges() {
        store.upsertNode(sharedNodeObject("n", "a100-research", 3));
        LedgerSnapshot before = store.snapshot();
        store.bind(gpuPod("p", "research", 1), "n");
        assertThat(before.node("n").usage().gpuUnits()).isZero();
        assertThat(store.snapshot().node("n").usage().gpuUnits()).isEqualTo(1);
        assertThat(store.snapshot().version()).isGreaterThan(before.version());
        assertThat(store.snapshot()).isSameAs(store.snapshot());
    }

    @Test
    void podsSeenBeforeTheirNodeAreCountedOnceTheNodeArrives() {
        store.upsertPod(boundTo(gpuPod("early", "research", 1), "late"));
        assertThat(store.snapshot().node("late")).isNull();
        assertThat(store.snapshot().usageOf("late").gpuUnits()).isEqualTo(1);
        store.upsertNode(sharedNodeObject("late", "a100-research", 3));
        assertThat(store.snapshot().node("late").usage().gpuUnits()).isEqualTo(1);
    }

    @Test
    void aReloadedPolicyMovesNodesIntoItsPools() {
        store.upsertNode(withLabel(sharedNodeObject("n", "a100-research", 3), "team", "vision"));
        assertThat(store.snapshot().node("n").pools()).extracting(p -> p.name()).containsExactly("a100-research");
        String text = PolicyLoader.defaultPolicyText().replace("nodeSelector: {workload-type: research}", "nodeSelector: {team: vision}")
                .replace("nodeSelector: {workload-type: development}", "nodeSelector: {workload-type: research}");
        Policy next = ((PolicyLoader.Loaded) PolicyLoader.parse(text)).policy();
        store.setPolicy(next);
        assertThat(store.snapshot().node("n").pools()).extracting(p -> p.name()).containsExactly("a100-research", "a100-development");
        assertThat(store.snapshot().policy()).isSameAs(next);
    }

    @Test
    void aSnapshotFileOfNodesAndPodsLoadsIntoTheLedger() throws Exception {
        String list = "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":["
                + io.gpuslicer.extender.Samples.JSON.writeValueAsString(withKind(sharedNodeObject("n", "a100-research", 3), "Node")) + ","
                + io.gpuslicer.extender.Samples.JSON.writeValueAsString(withKind(boundTo(gpuPod("p", "research", 2), "n"), "Pod")) + ","
                + "{\"kind\":\"Service\",\"metadata\":{\"name\":\"ignored\"}}]}";
        SnapshotLedgerSource source = SnapshotLedgerSource.load(new ByteArrayInputStream(list.getBytes(StandardCharsets.UTF_8)), POLICY);
        assertThat(source.snapshot().node("n").usage().gpuUnits()).isEqualTo(2);
        assertThat(source.notReadyReason()).isNull();
    }

    @Test
    void poolStatsCountFreeReplicasAndMigInstancesPerPool() {
        store.upsertNode(sharedNodeObject("r", "a100-research", 3));
        store.upsertNode(migNodeObject("m", "3g.40gb"));
        store.bind(gpuPod("p", "research", 2), "r");
        store.bind(migPod("q", "production-inference", "3g.40gb"), "m");
        assertThat(store.snapshot().poolStats()).contains(new PoolStats("a100-research", 1, 0, 4), new PoolStats("mig-3g40gb", 1, 3, 0));
    }

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T withKind(T object, String kind) {
        if (object instanceof io.fabric8.kubernetes.api.model.Node n) {
            n.setKind(kind);
            n.setApiVersion("v1");
        } else if (object instanceof Pod p) {
            p.setKind(kind);
            p.setApiVersion("v1");
        }
        return object;
    }
}
