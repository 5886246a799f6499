package io.gpuslicer.extender.ledger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Snapshots of the ledger's maps are immutable copies, whatever was written before or after them. */
class SnapshotMapTest {

    @ParameterizedTest(name = "{0} node names that differ only at their end spread over the shards")
    @ValueSource(ints = {500, 5_000})
    void namesThatDifferOnlyAtTheirEndSpreadOverTheShards(int nodes) {
        int[] perShard = new int[SnapshotMap.SHARDS];
        for (int i = 0; i < nodes; i++) {
            perShard[SnapshotMap.shard("gpu-node-" + i)]++;
        }
        // A snapshot after one write copies one shard: at most three times its share plus a run of 16 neighbouring
        // hashes (kept together for locality), never most of the cluster (the top bits alone put 400 of 500 in one).
        int most = java.util.Arrays.stream(perShard).max().getAsInt();
        assertThat(most).isLessThanOrEqualTo(3 * nodes / SnapshotMap.SHARDS + 16);
        assertThat(java.util.Arrays.stream(perShard).filter(n -> n > 0).count()).isGreaterThan(SnapshotMap.SHARDS / 2);
    }

    @org.junit.jupiter.api.Test
    void namesSentInOrderStayTogetherInRunsForTheirLookups() {
        int together = 0;
        for (int i = 0; i < 500; i++) {
            if (SnapshotMap.shard("gpu-node-" + i) == SnapshotMap.shard("gpu-node-" + (i + 1))) {
                together++;
            }
        }
        assertThat(together).as("neighbours sharing a shard, of 500").isGreaterThan(300);
    }

    @ParameterizedTest(name = "after {0} random writes every snapshot equals the map as it was when taken")
    @ValueSource(ints = {1, 10, 100, 2_000})
    void everySnapshotEqualsTheMapAsItWasWhenTaken(int writes) {
        SnapshotMap<String, Integer> map = new SnapshotMap<>();
        Map<String, Integer> truth = new HashMap<>();
        Map<Map<String, Integer>, Map<String, Integer>> taken = new java.util.IdentityHashMap<>();
        Random random = new Random(writes);
        for (int i = 0; i < 200; i++) {
            map.put("n" + i, i);
            truth.put("n" + i, i);
        }
        for (int w = 0; w < writes; w++) {
            String key = "n" + random.nextInt(250);
            if (random.nextInt(4) == 0) {
                map.remove(key);
                truth.remove(key);
            } else {
                map.put(key, w);
                truth.put(key, w);
            }
            if (random.nextInt(3) == 0) {
                taken.put(map.snapshot(), new HashMap<>(truth));
            }
        }
        taken.put(map.snapshot(), new HashMap<>(truth));
        taken.forEach((snapshot, expected) -> {
            assertThat(snapshot).isEqualTo(expected);
            assertThat(snapshot).hasSize(expected.size());
            for (int i = 0; i < 250; i++) {
                assertThat(snapshot.get("n" + i)).isEqualTo(expected.get("n" + i));
                assertThat(snapshot.containsKey("n" + i)).isEqualTo(expected.containsKey("n" + i));
            }
        });
    }

    @Test
    void aSnapshotCannotBeWrittenTo() {
        SnapshotMap<String, Integer> map = new SnapshotMap<>();
        map.put("a", 1);
        map.snapshot();
        map.put("b", 2);
        Map<String, Integer> snapshot = map.snapshot();
        assertThatThrownBy(() -> snapshot.put("c", 3)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(snapshot).containsOnlyKeys("a", "b");
    }

    @Test
    void anUnchangedMapHandsOutTheSameSnapshot() {
        SnapshotMap<String, Integer> map = new SnapshotMap<>();
        map.put("a", 1);
        Map<String, Integer> first = map.snapshot();
        assertThat(map.snapshot()).isSameAs(first);
    }
}
