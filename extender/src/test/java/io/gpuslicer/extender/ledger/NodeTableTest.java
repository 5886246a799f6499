package io.gpuslicer.extender.ledger;

import io.gpuslicer.policy.PolicyLoader;
import io.gpuslicer.policy.Pool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A snapshot's node table ({@link NodeTable}) holds by number exactly the states its map holds by name, after
 * whatever the ledger went through, and keeps them while the ledger changes; so do its pools' members.
 */
class NodeTableTest {

    @ParameterizedTest(name = "seed {0}: nodes come and go, pods are bound and removed, the policy is reloaded")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void theTableHoldsByNumberWhatTheMapHoldsByName(int seed) {
        Random random = new Random(seed);
        LedgerStore store = new LedgerStore(POLICY);
        Map<String, LedgerSnapshot> kept = new HashMap<>();
        Map<String, Map<String, NodeState>> keptStates = new HashMap<>();
        for (int step = 0; step < 400; step++) {
            String node = "gpu-" + random.nextInt(40);
            switch (random.nextInt(6)) {
                case 0, 1 -> store.upsertNode(sharedNodeObject(node, random.nextBoolean() ? "a100-research" : "a100-batch", 4));
                case 2 -> store.removeNode(node);
                case 3 -> store.upsertPod(boundTo(gpuPod("p" + step, "research", 1), node));
                case 4 -> store.removePod("uid-p" + random.nextInt(step + 1));
                default -> store.setPolicy(PolicyLoader.defaultPolicy());
            }
            LedgerSnapshot snapshot = store.snapshot();
            // Pools' members read of some tables only: the next table takes them over, or finds them when asked.
            assertAgrees(snapshot, "step " + step, random.nextBoolean());
            if (step % 50 == 0) {
                kept.put("step " + step, snapshot);
                keptStates.put("step " + step, new HashMap<>(snapshot.nodes()));
            }
        }
        for (var e : kept.entrySet()) {
            assertAgrees(e.getValue(), e.getKey() + ", read at the end", true);
            assertThat(e.getValue().nodes()).as(e.getKey()).isEqualTo(keptStates.get(e.getKey()));
        }
    }

    @Test
    void aSnapshotMadeFromAMapNumbersItsNodesWhenFirstAsked() {
        NodeState a = sharedNode("a", "a100-research", 0);
        NodeState b = sharedNode("b", "a100-research", 3);
        LedgerSnapshot snapshot = new LedgerSnapshot(POLICY, Map.of("a", a, "b", b), Map.of(), 1);

        assertAgrees(snapshot, "from a map", true);
        assertThat(snapshot.table().members("a100-development")).as("a pool without nodes").isEmpty();
        assertThat(snapshot.table().index().of("c")).isEqualTo(-1);
    }

    @Test
    void theTableIsNotPartOfASnapshotsEquality() {
        Map<String, NodeState> nodes = Map.of("a", sharedNode("a", "a100-research", 0));
        assertThat(new LedgerSnapshot(POLICY, nodes, Map.of(), 1)).isEqualTo(new LedgerSnapshot(POLICY, nodes, Map.of(), 1))
                .hasSameHashCodeAs(new LedgerSnapshot(POLICY, nodes, Map.of(), 1));
    }

    private static void assertAgrees(LedgerSnapshot snapshot, String when, boolean members) {
        NodeTable table = snapshot.table();
        assertThat(table.index().size()).as(when + ": nodes numbered").isEqualTo(snapshot.nodes().size());
        for (Map.Entry<String, NodeState> e : snapshot.nodes().entrySet()) {
            int number = table.index().of(e.getKey());
            assertThat(number).as(when + ": number of " + e.getKey()).isNotNegative();
            assertThat(table.state(number)).as(when + ": state of " + e.getKey()).isSameAs(e.getValue());
        }
        if (!members) {
            return;
        }
        for (String pool : snapshot.policy().pools().keySet()) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < table.index().size(); i++) {
                for (Pool p : table.state(i).pools()) {
                    if (p.name().equals(pool)) {
                        expected.add(i);
                    }
                }
            }
            assertThat(table.members(pool)).as(when + ": the nodes of pool " + pool)
                    .containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
