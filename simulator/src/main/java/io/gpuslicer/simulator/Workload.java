package io.gpuslicer.simulator;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.core.PodShape;
import io.gpuslicer.extender.core.WorkloadMix;
import io.gpuslicer.extender.ledger.PodUsage;
import io.gpuslicer.extender.ledger.PodUsages;
import io.gpuslicer.policy.Policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The drawn workload every strategy of one run replays: the trace's tasks shuffled with the seed,
 * repeated in a new shuffle when exhausted, until the arrived GPU demand reaches {@code inflate} ×
 * the cluster's GPUs (the task that crosses the line arrives). No departures.
 */
public final class Workload {
    private Workload() {
    }

    public static List<Arrival> draw(List<OpenbTrace.TraceTask> trace, long clusterMilli, double inflate, long seed,
                                     ClusterObjects objects, Policy policy) {
        long gpuDemand = trace.stream().mapToLong(OpenbTrace.TraceTask::demandMilli).sum();
        if (gpuDemand <= 0) {
            throw new IllegalArgumentException("the task list asks for no GPU: nothing to replay");
        }
        PodUsages usages = new PodUsages(policy.vocabulary().decisionAnnotation(), policy.vocabulary().gpuShareKey());
        Random rnd = new Random(seed);
        double target = inflate * clusterMilli;
        List<Arrival> out = new ArrayList<>();
        long arrived = 0;
        int round = 0;
        while (arrived < target) {
            List<OpenbTrace.TraceTask> shuffled = new ArrayList<>(trace);
            Collections.shuffle(shuffled, rnd);
            for (OpenbTrace.TraceTask t : shuffled) {
                if (arrived >= target) {
                    break;
                }
                arrived += t.demandMilli();
                String uid = round == 0 ? t.name() : t.name() + "-r" + round;
                out.add(arrival(out.size(), t, uid, arrived, objects, policy, usages));
            }
            round++;
        }
        return out;
    }

    /** The tasks arriving once each, in the given order (a scripted scenario, or a test worked out by hand). */
    public static List<Arrival> inOrder(List<OpenbTrace.TraceTask> tasks, ClusterObjects objects, Policy policy) {
        PodUsages usages = new PodUsages(policy.vocabulary().decisionAnnotation(), policy.vocabulary().gpuShareKey());
        List<Arrival> out = new ArrayList<>();
        long arrived = 0;
        for (OpenbTrace.TraceTask t : tasks) {
            arrived += t.demandMilli();
            out.add(arrival(out.size(), t, t.name(), arrived, objects, policy, usages));
        }
        return out;
    }

    private static Arrival arrival(int seq, OpenbTrace.TraceTask t, String uid, long arrived, ClusterObjects objects, Policy policy,
                                   PodUsages usages) {
        Pod pod = objects.pod(t, uid);
        PodShape shape = PodShape.of(pod, policy.vocabulary().gpuShareKey());
        PodUsage usage = t.gpus() > 0 ? usages.of(pod)
                : new PodUsage(uid, ClusterObjects.NAMESPACE + "/" + uid, 0, 0, null, 0, null, 0, shape.cpuMilli(), shape.memoryMib(), null);
        return new Arrival(seq, t, pod, shape, usage, arrived);
    }

    /**
     * The workload mix gpu-slicer's fragmentation scorer measures against in a replay: the trace's own task
     * shapes with memory (CPU, memory, GPU count, per-GPU share, allowed models), the most frequent making
     * up 90% of the tasks — a cluster's recent pods play this part in a live extender. (Replays of the
     * default trace, seeds 42–46: 90% coverage with memory did best; the long tail of rare shapes only
     * blurs the measure.)
     */
    public static WorkloadMix observedMix(List<OpenbTrace.TraceTask> trace) {
        List<PodShape> shapes = new ArrayList<>(trace.size());
        for (OpenbTrace.TraceTask t : trace) {
            shapes.add(new PodShape(t.cpuMilli(), t.memoryMib(), t.gpus(), t.gpus() == 0 ? 0 : t.gpuMilli(), t.gpuSpec()));
        }
        return WorkloadMix.ofShapes(shapes, OBSERVED_COVERAGE);
    }

    static final double OBSERVED_COVERAGE = 0.90;

    /**
     * FGD's target workload: the shapes of the trace's tasks (CPU, GPU count, per-GPU share, allowed
     * models) with their frequencies, the most popular making up 95% of the tasks. Memory is not part
     * of a shape, as in the authors' simulator (their typical pods carry no memory).
     */
    public static WorkloadMix targetMix(List<OpenbTrace.TraceTask> trace) {
        List<PodShape> shapes = new ArrayList<>(trace.size());
        for (OpenbTrace.TraceTask t : trace) {
            shapes.add(new PodShape(t.cpuMilli(), 0, t.gpus(), t.gpus() == 0 ? 0 : t.gpuMilli(), t.gpuSpec()));
        }
        return WorkloadMix.ofShapes(shapes, WorkloadMix.DEFAULT_COVERAGE);
    }
}
