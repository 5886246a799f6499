package io.gpuslicer.extender.observe;

import java.util.List;

/**
 * Capacity and use of one pool, in its unit (MIG instances of the pool's profile, or time-slice replicas).
 *
 * @param migProfile          the pool's MIG profile; null for time-sliced pools
 * @param used                instances or replicas held by pods
 * @param free                {@code total − used} per node, never negative (the extender's PoolStats)
 * @param freeReconfiguring   of {@code free}, those on nodes whose MIG layout is being reconfigured (not usable yet)
 * @param reconfiguring       nodes of the pool whose {@code nvidia.com/mig.config.state} is not {@code success}
 * @param gpusBySharers       time-sliced pools: element k = physical GPUs shared by k pods (device-plugin spread); empty for MIG pools
 */
public record PoolLoad(String pool, String migProfile, int nodes, int used, int free, int total, int freeReconfiguring,
                       List<String> reconfiguring, int[] gpusBySharers) {
    public boolean isMig() {
        return migProfile != null;
    }

    /** Prometheus {@code unit} label value. */
    public String unit() {
        return isMig() ? "mig_instances" : "replicas";
    }

    /** For people. */
    public String unitText() {
        return isMig() ? "MIG instances" : "replicas";
    }
}
