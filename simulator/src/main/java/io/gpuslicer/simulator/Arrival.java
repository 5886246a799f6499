package io.gpuslicer.simulator;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.core.PodShape;
import io.gpuslicer.extender.ledger.PodUsage;

/**
 * One task arriving in the replay: the pod as admitted, its shape, the footprint the ledger records
 * when it is bound, and the arrived GPU demand once it has arrived (milli-GPU, cumulative).
 */
public record Arrival(int seq, OpenbTrace.TraceTask task, Pod pod, PodShape shape, PodUsage usage, long arrivedMilli) {
    public boolean wantsGpu() {
        return task.gpus() > 0;
    }
}
