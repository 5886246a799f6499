package io.gpuslicer.extender.ledger;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A map written by one thread at a time (under the ledger's lock) whose immutable copies never copy what
 * nobody wrote. The keys are spread over {@link #SHARDS} maps; a copy shares every shard nobody wrote since
 * the last copy and copies only the written ones (see {@link #shard} for how evenly). (An earlier overlay
 * design copied everything once the overlay grew, every few dozen events: a request that met that copy waited
 * half a millisecond at 5,000 nodes, which was the p99.) Lookups go to one shard: one hash, one table.
 * Values are never null.
 */
final class SnapshotMap<K, V> {
    /** What {@link #snapshot()} hands out: read-only, and read by {@link LedgerSnapshot} without another wrapper. */
    interface Frozen {
    }

    static final int SHARDS = 64;

    @SuppressWarnings("unchecked")
    private final HashMap<K, V>[] live = new HashMap[SHARDS];
    /** The shards of the last snapshot; a written shard is copied again at the next one. */
    @SuppressWarnings("unchecked")
    private final HashMap<K, V>[] published = new HashMap[SHARDS];
    private final boolean[] dirty = new boolean[SHARDS];
    private int size;
    /** The last snapshot handed out; null after a write. */
    private Map<K, V> last;

    SnapshotMap() {
        for (int i = 0; i < SHARDS; i++) {
            live[i] = new HashMap<>();
            published[i] = live[i];
            dirty[i] = true;
        }
    }

    /**
     * The shard of a key: runs of 16 neighbouring hashes share one, and the runs are spread over the shards by
     * Fibonacci hashing (times an odd constant, top bits). Names that differ only in their last character have
     * neighbouring hashes ("gpu-node-17", "gpu-node-18": one apart), so a request that sends names in order still
     * finds a few of them together in one table, in neighbouring buckets (the shard maps index by the plain hash's
     * low bits), while a cluster's nodes fill all shards: 500 such names put at most 22 in one shard, 5,000 at most
     * 106. The first design (the hash's top bits alone) put 400 of 500 in one shard, which every snapshot after a
     * binding then copied whole; spreading every name on its own cost the in-process 5,000-node p99 its locality
     * (about 0.9–1.7 ms instead of 0.95).
     */
    static int shard(Object key) {
        return ((key.hashCode() >>> 4) * 0x9E3779B9) >>> (Integer.SIZE - 6);
    }

    V get(K key) {
        return live[shard(key)].get(key);
    }

    V getOrDefault(K key, V fallback) {
        return live[shard(key)].getOrDefault(key, fallback);
    }

    void put(K key, V value) {
        int s = shard(key);
        if (live[s].put(key, value) == null) {
            size++;
        }
        dirty[s] = true;
        last = null;
    }

    void remove(K key) {
        int s = shard(key);
        if (live[s].remove(key) != null) {
            size--;
            dirty[s] = true;
            last = null;
        }
    }

    /** An immutable copy of the current content. */
    Map<K, V> snapshot() {
        if (last != null) {
            return last;
        }
        for (int i = 0; i < SHARDS; i++) {
            if (dirty[i]) {
                published[i] = new HashMap<>(live[i]);
                dirty[i] = false;
            }
        }
        last = new Sharded<>(published.clone(), size);
        return last;
    }

    /** Shards nobody writes to any more, read-only (AbstractMap refuses writes). */
    private static final class Sharded<K, V> extends AbstractMap<K, V> implements Frozen {
        private final HashMap<K, V>[] shards;
        private final int size;

        Sharded(HashMap<K, V>[] shards, int size) {
            this.shards = shards;
            this.size = size;
        }

        @Override
        public V get(Object key) {
            return key == null ? null : shards[shard(key)].get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return key != null && shards[shard(key)].containsKey(key);
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Set<Entry<K, V>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return size;
                }

                @Override
                public Iterator<Entry<K, V>> iterator() {
                    return new Iterator<>() {
                        private final Iterator<HashMap<K, V>> shardsLeft = Arrays.asList(shards).iterator();
                        private Iterator<Entry<K, V>> current = Collections.emptyIterator();

                        @Override
                        public boolean hasNext() {
                            while (!current.hasNext() && shardsLeft.hasNext()) {
                                current = shardsLeft.next().entrySet().iterator();
                            }
                            return current.hasNext();
                        }

                        @Override
                        public Entry<K, V> next() {
                            if (!hasNext()) {
                                throw new NoSuchElementException();
                            }
                            return new SimpleImmutableEntry<>(current.next());
                        }
                    };
                }
            };
        }
    }
}
