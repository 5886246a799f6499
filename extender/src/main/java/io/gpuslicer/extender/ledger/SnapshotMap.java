package io.gpuslicer.extender.ledger;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A map written by one thread at a time (under the ledger's lock) whose immutable copies are cheap.
 * A copy shares the last full copy (the base) and carries only the keys written since, so publishing
 * a snapshot after one pod event copies a few entries instead of every node; once that overlay grows
 * past about √(2n) keys the next copy is a full one and becomes the new base (amortised: O(√n) per
 * snapshot instead of O(n)). Values are never null.
 */
final class SnapshotMap<K, V> {
    /** What {@link #snapshot()} hands out: read-only, and read by {@link LedgerSnapshot} without another wrapper. */
    interface Frozen {
    }

    /** A key removed since the base was copied (one lookup in the overlay tells both "changed" and "how"). */
    private static final Object REMOVED = new Object();

    private final Map<K, V> live = new HashMap<>();
    private Map<K, V> base = new ReadOnly<>(new HashMap<>());
    /** Keys put or removed since {@link #base} was copied. */
    private final Set<K> written = new HashSet<>();
    /** The last snapshot handed out; null after a write. */
    private Map<K, V> last;

    V get(K key) {
        return live.get(key);
    }

    V getOrDefault(K key, V fallback) {
        return live.getOrDefault(key, fallback);
    }

    void put(K key, V value) {
        live.put(key, value);
        written.add(key);
        last = null;
    }

    void remove(K key) {
        if (live.remove(key) != null) {
            written.add(key);
            last = null;
        }
    }

    /** An immutable copy of the current content. */
    Map<K, V> snapshot() {
        if (last != null) {
            return last;
        }
        if (written.isEmpty()) {
            last = base;
        } else if (written.size() > Math.max(16, (int) Math.sqrt(2.0 * live.size()))) {
            base = new ReadOnly<>(new HashMap<>(live));
            written.clear();
            last = base;
        } else {
            Map<K, Object> recent = new HashMap<>(written.size() * 2);
            for (K k : written) {
                V v = live.get(k);
                recent.put(k, v == null ? REMOVED : v);
            }
            last = new Layered<>(base, recent, live.size());
        }
        return last;
    }

    /** A map nobody writes to any more, read-only (AbstractMap refuses writes); get goes straight to the HashMap. */
    private static final class ReadOnly<K, V> extends AbstractMap<K, V> implements Frozen {
        private final HashMap<K, V> map;

        ReadOnly(HashMap<K, V> map) {
            this.map = map;
        }

        @Override
        public V get(Object key) {
            return map.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return map.containsKey(key);
        }

        @Override
        public int size() {
            return map.size();
        }

        @Override
        public Set<Entry<K, V>> entrySet() {
            return Collections.unmodifiableMap(map).entrySet();
        }
    }

    /** The base with the recent writes on top; {@link #REMOVED} in {@code recent} is a removed key. */
    private static final class Layered<K, V> extends AbstractMap<K, V> implements Frozen {
        private final Map<K, V> base;
        private final Map<K, Object> recent;
        private final int size;

        Layered(Map<K, V> base, Map<K, Object> recent, int size) {
            this.base = base;
            this.recent = recent;
            this.size = size;
        }

        @Override
        @SuppressWarnings("unchecked")
        public V get(Object key) {
            Object v = recent.get(key);
            if (v == null) {
                return base.get(key);
            }
            return v == REMOVED ? null : (V) v;
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null;
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
                        private final Iterator<Entry<K, V>> fromBase = base.entrySet().iterator();
                        private final Iterator<Entry<K, Object>> fromRecent = recent.entrySet().iterator();
                        private Entry<K, V> next = advance();

                        private Entry<K, V> advance() {
                            while (fromBase.hasNext()) {
                                Entry<K, V> e = fromBase.next();
                                if (!recent.containsKey(e.getKey())) {
                                    return e;
                                }
                            }
                            while (fromRecent.hasNext()) {
                                Entry<K, Object> e = fromRecent.next();
                                if (e.getValue() != REMOVED) {
                                    @SuppressWarnings("unchecked")
                                    V v = (V) e.getValue();
                                    return new SimpleImmutableEntry<>(e.getKey(), v);
                                }
                            }
                            return null;
                        }

                        @Override
                        public boolean hasNext() {
                            return next != null;
                        }

                        @Override
                        public Entry<K, V> next() {
                            if (next == null) {
                                throw new NoSuchElementException();
                            }
                            Entry<K, V> e = next;
                            next = advance();
                            return e;
                        }
                    };
                }
            };
        }
    }
}
