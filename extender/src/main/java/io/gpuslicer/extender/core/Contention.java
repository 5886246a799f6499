package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.GpuOccupancy;
import io.gpuslicer.extender.ledger.NodeState;

/**
 * Time-sliced pods: the throughput share the new pod can expect on the node, from the number of
 * pods that will share its GPU. Spread prefers the largest share (least contention); binpack the
 * smallest (fill busy GPUs, keep others whole).
 */
public final class Contention implements Scorer {
    @Override
    public boolean appliesTo(PodInfo pod) {
        return !pod.isMig();
    }

    @Override
    public int weight(PodInfo pod) {
        return pod.weights().contention();
    }

    @Override
    public int score(PodInfo pod, NodeState node) {
        int tenants = GpuOccupancy.sharersPerGpu(node.usage().gpuUnits(), pod.units(), node.inventory().physicalGpus());
        double share = ContentionCurve.share(tenants);
        double preference = pod.contention().strategy() == io.gpuslicer.policy.Contention.Strategy.BINPACK ? 1.0 - share : share;
        return (int) Math.round(MAX * preference);
    }
}
