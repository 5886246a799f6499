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
     * The shard of a key: the top bits of its hash times an odd constant (Fibonacci hashing), so names that differ
     * only at their end ("gpu-node-17", "gpu-node-18": hashes one apart) land in different shards and a cluster's
     * nodes fill all 64 evenly; the shard maps index by the low bits of the plain hash, which this leaves alone. The
     * hash's top bits alone (the first design) put 400 of 500 such names in one shard, which every snapshot after a
     * binding then copied whole: 20 to 40 microseconds per scheduled pod at 500 nodes, ten times that at 5,000.
     */
    static int shard(Object key) {
        return (key.hashCode() * 0x9E3779B9) >>> (Integer.SIZE - 6);
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
