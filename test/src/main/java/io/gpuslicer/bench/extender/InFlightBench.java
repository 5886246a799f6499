package io.gpuslicer.bench.extender;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.gpuslicer.extender.Extender;
import io.gpuslicer.extender.core.ExtenderMetrics;
import io.gpuslicer.extender.ledger.SnapshotLedgerSource;
import io.gpuslicer.extender.wire.ExtenderArgs;
import io.gpuslicer.extender.wire.ExtenderFilterResult;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./bench extender.InFlightBench [seconds] [nodes] [percent]}: the in-process filter + prioritize
 * cycle of {@link ExtenderBench} (nodeCacheCapable: true, 30 pods per node), once on a quiet ledger and
 * once with {@code percent} % of the nodes holding a nominated pod of higher priority and as many holding
 * a reservation (a binding in flight): the per-pod node view of nominated pods and reservations is paid
 * only on those nodes. Prints p50/p99 of both, in wall time and in the thread's CPU time (the latter
 * barely moves when other processes share the cores).
 */
public final class InFlightBench {
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int percent = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Policy policy = PolicyLoader.defaultPolicy();
        BenchCluster cluster = new BenchCluster(policy);
        SnapshotLedgerSource ledger = new SnapshotLedgerSource(policy);
        List<String> names = cluster.fill(ledger, size, 30);
        Pod pod = cluster.pendingPod("bench-pending", "research");
        Extender extender = new Extender(ledger, ExtenderMetrics.NOOP);
        ExtenderArgs byName = ExtenderArgs.ofNames(pod, names);
        System.out.printf("%-7s %-34s %10s %10s %12s %12s %8s%n", "nodes", "ledger", "p50 ms", "p99 ms", "cpu p50 ms", "cpu p99 ms", "passed");
        run(size, "quiet", seconds, extender, pod, byName);
        int every = Math.max(1, 100 / Math.max(1, percent));
        for (int i = 0; i < size; i += every) {
            Pod nominated = new PodBuilder(cluster.pendingPod("nominated-" + i, "research")).editSpec().withPriority(10_000).endSpec()
                    .editStatus().withNominatedNodeName(cluster.nodeName(i)).endStatus().build();
            ledger.addPod(nominated);
            int j = (i + every / 2) % size;
            ledger.store().reserve(cluster.pendingPod("reserved-" + j, "research"), cluster.nodeName(j), Duration.ofHours(1));
        }
        run(size, percent + "% nominated + " + percent + "% reserved", seconds, extender, pod, byName);
    }

    private static void run(int size, String what, double seconds, Extender extender, Pod pod, ExtenderArgs byName) {
        long warmupEnd = System.nanoTime() + (long) (seconds / 3 * 1e9);
        while (System.nanoTime() < warmupEnd) {
            cycle(extender, pod, byName);
        }
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] samples = new long[1 << 16];
        long[] cpu = new long[1 << 16];
        int n = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int passed = 0;
        while (System.nanoTime() < end && n < samples.length) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            passed = cycle(extender, pod, byName);
            samples[n] = System.nanoTime() - t0;
            cpu[n++] = threads.getCurrentThreadCpuTime() - c0;
        }
        long[] sorted = Arrays.copyOf(samples, n);
        long[] cpuSorted = Arrays.copyOf(cpu, n);
        Arrays.sort(sorted);
        Arrays.sort(cpuSorted);
        int p99 = Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1);
        System.out.printf("%-7d %-34s %10.3f %10.3f %12.3f %12.3f %8d%n", size, what, sorted[n / 2] / 1e6, sorted[p99] / 1e6,
                cpuSorted[n / 2] / 1e6, cpuSorted[p99] / 1e6, passed);
    }

    private static int cycle(Extender extender, Pod pod, ExtenderArgs byName) {
        ExtenderFilterResult r = extender.filter(byName);
        extender.prioritize(ExtenderArgs.ofNames(pod, r.nodeNames()));
        return r.nodeNames().size();
    }
}
