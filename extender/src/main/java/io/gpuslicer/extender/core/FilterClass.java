package io.gpuslicer.extender.core;

import io.gpuslicer.policy.Contention;
import io.gpuslicer.policy.SharingMode;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything of a pod that the filters read: two pods of one class get the same verdict on every node
 * state (a pending stream has a handful of classes, one per workload type and size). One instance per
 * class ({@link #of} interns), so a node's remembered verdict is found by identity ({@link Framework#filter}).
 */
public record FilterClass(boolean passThrough, SharingMode mode, List<String> pools, String migProfile, boolean mixedResource,
                   int units, Contention contention, PodShape shape) {
    /** More distinct classes than any cluster has pending (junk pods): start over, the verdicts just miss. */
    static final int MAX_CLASSES = 4096;
    private static final ConcurrentHashMap<FilterClass, FilterClass> INTERNED = new ConcurrentHashMap<>();

    static FilterClass of(boolean passThrough, SharingMode mode, String[] pools, String migProfile, boolean mixedResource,
                          int units, Contention contention, PodShape shape) {
        FilterClass c = new FilterClass(passThrough, mode, List.of(pools), migProfile, mixedResource, units, contention, shape);
        FilterClass known = INTERNED.get(c);
        if (known != null) {
            return known;
        }
        if (INTERNED.size() >= MAX_CLASSES) {
            INTERNED.clear();
        }
        known = INTERNED.putIfAbsent(c, c);
        return known != null ? known : c;
    }
}
