package io.gpuslicer.policy;

import java.util.List;

/**
 * A kind of work a pod author names. For a time-sliced type {@code pools} is the preferred pool
 * followed by its fallbacks; for a MIG type it lists the offered profiles, one pool each, and a
 * pod is pinned to exactly one of them.
 *
 * @param priorityClass null when the type does not prescribe one
 */
public record WorkloadType(String name, List<Pool> pools, String priorityClass) {
    public WorkloadType {
        pools = List.copyOf(pools);
    }

    public SharingMode mode() {
        return pools.get(0).mode();
    }

    public boolean isMig() {
        return mode() == SharingMode.MIG;
    }

    /** Rank of the pool in this type's list (0 = preferred), or -1 when the type may not use it. */
    public int rankOf(String poolName) {
        for (int i = 0; i < pools.size(); i++) {
            if (pools.get(i).name().equals(poolName)) {
                return i;
            }
        }
        return -1;
    }

    /** The MIG pool offering {@code profile}, or null. */
    public Pool poolForProfile(String profile) {
        for (Pool p : pools) {
            if (profile.equals(p.migProfile())) {
                return p;
            }
        }
        return null;
    }
}
