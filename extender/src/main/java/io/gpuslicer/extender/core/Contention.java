package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.GpuOccupancy;
import io.gpuslicer.extender.ledger.GpuShares;
import io.gpuslicer.extender.ledger.NodeState;

/**
 * Time-sliced pods: the throughput share the new pod can expect on the node, from the pods that will
 * share its GPU. Spread prefers the largest share (least contention); binpack the smallest (fill busy
 * GPUs, keep others whole). A pod that declares its GPU share ({@code gpuslicer.io/gpu-share}) is
 * judged on the GPU the ledger's model puts it on: what its co-tenants' declared shares leave it,
 * less the measured time-slicing loss ({@link ContentionCurve#declared}).
 */
public final class Contention implements Scorer {
    @Override
    public boolean appliesTo(PodInfo pod) {
        return !pod.isMig() && !pod.passThrough();
    }

    /** Reads the pod's class (pools, profile, units, shape, contention) and the node state only. */
    @Override
    public Object memoKey() {
        return STATE_ONLY;
    }

    @Override
    public int weight(PodInfo pod) {
        return pod.weights().contention();
    }

    @Override
    public int score(PodInfo pod, NodeState node) {
        double share;
        if (pod.shape().shareMilli() > 0) {
            GpuShares shares = node.usage().shares(node.inventory());
            int mine = GpuShares.shareOf(pod.shape().shareMilli(), node.inventory());
            int[] gpus = shares.choose(mine, pod.units(), pod.contention().maxSharersPerGpu());
            if (gpus == null || gpus.length == 0) {
                return 0;
            }
            share = 1.0;
            for (int g : gpus) {
                share = Math.min(share, ContentionCurve.declared(shares.sharers(g) + 1, shares.load(g)));
            }
        } else {
            int tenants = GpuOccupancy.sharersPerGpu(node.usage().gpuUnits(), pod.units(), node.inventory().physicalGpus());
            share = ContentionCurve.share(tenants);
        }
        double preference = pod.contention().strategy() == io.gpuslicer.policy.Contention.Strategy.BINPACK ? 1.0 - share : share;
        return (int) Math.round(MAX * preference);
    }
}
