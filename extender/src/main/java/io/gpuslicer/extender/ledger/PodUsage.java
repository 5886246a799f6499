package io.gpuslicer.extender.ledger;

import io.gpuslicer.policy.Decision;

/**
 * The GPU footprint of one pod bound (or nominated) to a node: just what filters, scorers and
 * preemption need. 150,000 of these must fit comfortably in the ledger's heap budget.
 *
 * @param key        namespace/name, for messages
 * @param gpuUnits   {@code nvidia.com/gpu} + {@code nvidia.com/gpu.shared}: replicas, whole GPUs or MIG-single instances
 * @param migProfile the profile of a mixed-strategy {@code nvidia.com/mig-<profile>} request, or null
 * @param migUnits   instances of {@code migProfile}
 * @param decision   the webhook's decision (shared between pods with the same one), or null for pods not placed by us
 * @param shareMilli the pod's declared share of each of its GPUs ({@code gpuslicer.io/gpu-share}), milli-GPU; 0 when
 *                   it declares none (then a replica counts as 1 ÷ replicas per GPU)
 * @param cpuMilli   CPU requested, millicores
 * @param memoryMib  memory requested, MiB
 * @param gpus       the physical GPUs the pod holds when whoever bound it chose them (a simulator), else null:
 *                   the ledger models where the device plugin put it ({@link GpuShares})
 */
public record PodUsage(String uid, String key, int priority, int gpuUnits, String migProfile, int migUnits,
                       Decision decision, int shareMilli, long cpuMilli, long memoryMib, int[] gpus) {

    /** A GPU footprint without a declared share, CPU/memory figures or chosen GPUs. */
    public PodUsage(String uid, String key, int priority, int gpuUnits, String migProfile, int migUnits, Decision decision) {
        this(uid, key, priority, gpuUnits, migProfile, migUnits, decision, 0, 0, 0, null);
    }

    /** This footprint, held on the given physical GPUs. */
    public PodUsage onGpus(int[] chosen) {
        return new PodUsage(uid, key, priority, gpuUnits, migProfile, migUnits, decision, shareMilli, cpuMilli, memoryMib, chosen);
    }

    /** A pod that holds MIG instances: never a preemption victim for a time-sliced one. */
    public boolean isMigPod() {
        return migProfile != null || (decision != null && "mig".equals(decision.mode()));
    }

    /**
     * Rank of {@code pool} among the pools this pod may use (0 = its own preferred pool), or -1
     * when unknown. A pod running on a rank &gt; 0 pool is on "borrowed" capacity.
     */
    public int rankOn(String pool) {
        return decision == null ? -1 : decision.pools().indexOf(pool);
    }
}
