package io.gpuslicer.bench.extender;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.CrudDispatcher;

import java.lang.reflect.Field;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CRUD mock's store (its {@code LinkedHashMap} of attribute sets to JSON) with an index by object name.
 * fabric8's {@code KubernetesCrudDispatcher.findResource} finds the object a create, patch or get names by matching
 * every stored object's attributes: with 500 nodes and a few thousand pods that scan was 45% of the benchmark JVM's
 * CPU (async-profiler, 27 Nov), and the mock API server, not the extender, set {@code SchedulerLoad}'s pace. Here a
 * lookup matches the same attributes against the objects of that name only, so it finds what the scan finds.
 * The mock changes its store under its own write lock; {@link #find} is also called outside it (the Binding), so
 * changes and finds are synchronized here as well.
 */
final class NameIndexedStore extends LinkedHashMap<AttributeSet, String> {
    private final Map<String, List<AttributeSet>> byName = new HashMap<>();

    /** Puts an indexed store, holding whatever the dispatcher stored so far, in its place (its field is final). */
    static NameIndexedStore install(CrudDispatcher dispatcher) {
        NameIndexedStore store = new NameIndexedStore();
        try {
            Field map = CrudDispatcher.class.getDeclaredField("map");
            map.setAccessible(true);
            store.putAll(dispatcher.getMap());
            map.set(dispatcher, store);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("fabric8's CrudDispatcher has no field 'map' to index", e);
        }
        return store;
    }

    /** The first stored object, in the mock's order, whose attributes match {@code query}; null when nothing matches. */
    synchronized Map.Entry<AttributeSet, String> find(AttributeSet query) {
        String name = name(query);
        List<AttributeSet> candidates = name == null ? null : byName.get(name);
        if (candidates == null) {
            return null;
        }
        for (AttributeSet key : candidates) {
            String value = get(key);
            if (value != null && key.matches(query)) {
                return new AbstractMap.SimpleImmutableEntry<>(key, value);
            }
        }
        return null;
    }

    /** Whether {@link #find} can answer {@code query}: it names one object. */
    static boolean named(AttributeSet query) {
        return name(query) != null;
    }

    @Override
    public synchronized String put(AttributeSet key, String value) {
        String was = super.put(key, value);
        if (was == null) {
            String name = name(key);
            if (name != null) {
                byName.computeIfAbsent(name, n -> new ArrayList<>(1)).add(key);
            }
        }
        return was;
    }

    @Override
    public synchronized void putAll(Map<? extends AttributeSet, ? extends String> m) {
        m.forEach(this::put);
    }

    @Override
    public synchronized String remove(Object key) {
        String was = super.remove(key);
        if (was != null && key instanceof AttributeSet set) {
            String name = name(set);
            List<AttributeSet> keys = name == null ? null : byName.get(name);
            if (keys != null && keys.remove(set) && keys.isEmpty()) {
                byName.remove(name);
            }
        }
        return was;
    }

    @Override
    public synchronized void clear() {
        super.clear();
        byName.clear();
    }

    private static String name(AttributeSet set) {
        Attribute name = set.getAttribute("name");
        if (name == null || name.getValues().size() != 1) {
            return null;
        }
        String value = name.getValues().get(0).toString();
        return "*".equals(value) ? null : value; // fabric8's wildcard Value matches any name
    }
}
