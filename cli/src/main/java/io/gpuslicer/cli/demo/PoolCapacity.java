package io.gpuslicer.cli.demo;

/**
 * Free GPU capacity of one pool after the batch.
 *
 * @param migProfile        the pool's MIG profile; null for time-sliced pools
 * @param free              free MIG instances or time-slice replicas (the extender's PoolStats)
 * @param total             all instances or replicas of the pool's nodes
 * @param freeReconfiguring of {@code free}, those on nodes whose MIG layout is being reconfigured (not usable yet)
 */
public record PoolCapacity(String pool, String migProfile, int nodes, int free, int total, int freeReconfiguring) {
    public String unit() {
        return migProfile == null ? "replicas" : "MIG instances";
    }
}
