package io.gpuslicer.extender.ledger;

import io.gpuslicer.policy.Decision;

import java.util.Map;

/**
 * The GPU footprint of one pod bound, reserved or nominated to a node: just what filters, scorers
 * and preemption need. 150,000 of these must fit comfortably in the ledger's heap budget.
 *
 * @param key        namespace/name, for messages
 * @param gpuUnits   {@code nvidia.com/gpu} + {@code nvidia.com/gpu.shared}: replicas, whole GPUs or MIG-single instances
 * @param migProfile the first profile of a mixed-strategy {@code nvidia.com/mig-<profile>} request, or null
 * @param migUnits   instances of {@code migProfile}
 * @param decision   the webhook's decision (shared between pods with the same one), or null for pods not placed by us
 * @param shareMilli the pod's declared share of each of its GPUs ({@code gpuslicer.io/gpu-share}), milli-GPU; 0 when
 *                   it declares none (then a replica counts as 1 ÷ replicas per GPU)
 * @param cpuMilli   CPU requested, millicores
 * @param memoryMib  memory requested, MiB
 * @param gpus       the physical GPUs the pod holds when whoever bound it chose them (a simulator), else null:
 *                   the ledger models where the device plugin put it ({@link GpuShares})
 * @param otherMig   instances of every further mixed-strategy profile the pod holds (rare; empty, never null)
 */
public record PodUsage(String uid, String key, int priority, int gpuUnits, String migProfile, int migUnits,
                       Decision decision, int shareMilli, long cpuMilli, long memoryMib, int[] gpus,
                       Map<String, Integer> otherMig) {

    public PodUsage {
        otherMig = otherMig == null || otherMig.isEmpty() ? Map.of() : Map.copyOf(otherMig);
    }

    /** A footprint holding at most one MIG profile. */
    public PodUsage(String uid, String key, int priority, int gpuUnits, String migProfile, int migUnits,
                    Decision decision, int shareMilli, long cpuMilli, long memoryMib, int[] gpus) {
        this(uid, key, priority, gpuUnits, migProfile, migUnits, decision, shareMilli, cpuMilli, memoryMib, gpus, Map.of());
    }

    /** A GPU footprint of several MIG profiles, without a declared share, CPU/memory figures or chosen GPUs. */
    public PodUsage(String uid, String key, int priority, int gpuUnits, String migProfile, int migUnits, Decision decision,
                    Map<String, Integer> otherMig) {
        this(uid, key, priority, gpuUnits, migProfile, migUnits, decision, 0, 0, 0, null, otherMig);
    }

    /** A GPU footprint without a declared share, CPU/memory figures or chosen GPUs. */
    public PodUsage(String uid, String key, int priority, int gpuUnits, String migProfile, int migUnits, Decision decision) {
        this(uid, key, priority, gpuUnits, migProfile, migUnits, decision, 0, 0, 0, null);
    }

    /** This footprint, held on the given physical GPUs. */
    public PodUsage onGpus(int[] chosen) {
        return new PodUsage(uid, key, priority, gpuUnits, migProfile, migUnits, decision, shareMilli, cpuMilli, memoryMib, chosen,
                otherMig);
    }

    /** A pod that holds MIG instances: never a preemption victim for a time-sliced one. */
    public boolean isMigPod() {
        return migProfile != null || (decision != null && "mig".equals(decision.mode()));
    }

    /** Instances of the mixed-strategy {@code profile} this pod holds, whichever of its profiles it is. */
    public int migUnitsOf(String profile) {
        int n = profile.equals(migProfile) ? migUnits : 0;
        if (!otherMig.isEmpty()) {
            n += otherMig.getOrDefault(profile, 0);
        }
        return n;
    }

    /** Mixed-strategy instances of every profile together. */
    public int allMigUnits() {
        int n = migUnits;
        for (int v : otherMig.values()) {
            n += v;
        }
        return n;
    }

    /**
     * Rank of {@code pool} among the pools this pod may use (0 = its own preferred pool), or -1
     * when unknown. A pod running on a rank &gt; 0 pool is on "borrowed" capacity.
     */
    public int rankOn(String pool) {
        return decision == null ? -1 : decision.pools().indexOf(pool);
    }
}
