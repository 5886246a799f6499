package io.gpuslicer.extender.ledger;

/**
 * Free GPU capacity of one pool, for the metrics gauges.
 *
 * @param freeMigInstances free instances of the pool's MIG profile (MIG pools), else 0
 * @param freeReplicas     free time-slice replicas (shared pools), else 0
 */
public record PoolStats(String pool, int nodes, int freeMigInstances, int freeReplicas) {
}
