package io.gpuslicer.bench.extender;

import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.LedgerStore;
import io.gpuslicer.policy.PolicyLoader;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * {@code ./bench extender.LedgerHeap [nodes] [podsPerNode]}: the retained heap of the GPU ledger for
 * 5,000 nodes and 150,000 pods (default). Node and Pod objects are built one at a time and dropped
 * after the ledger has read them, as informer events are; the heap is measured after full GCs
 * before and after, with the ledger and one published snapshot alive. Then the informers' caches for as many pods
 * and nodes ({@link InformerCacheHeap}): the other thing the extender keeps per pod and per node.
 */
public final class LedgerHeap {
    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int podsPerNode = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        var policy = PolicyLoader.defaultPolicy();
        BenchCluster cluster = new BenchCluster(policy);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

        long before = usedAfterGc(memory);
        long start = System.nanoTime();
        LedgerStore store = new LedgerStore(policy);
        int[] gpuPods = {0};
        for (int i = 0; i < nodes; i++) {
            store.upsertNode(cluster.node(i));
            cluster.podsOf(i, podsPerNode, store::upsertPod);
        }
        LedgerSnapshot snapshot = store.snapshot();
        for (var n : snapshot.nodes().values()) {
            gpuPods[0] += n.usage().podCount();
        }
        long buildMillis = (System.nanoTime() - start) / 1_000_000;
        long after = usedAfterGc(memory);
        long retained = after - before;
        System.out.printf("ledger: %,d nodes, %,d pods (%,d holding GPUs) built in %,d ms%n",
                snapshot.nodes().size(), (long) nodes * podsPerNode, gpuPods[0], buildMillis);
        System.out.printf("retained heap: %.1f MiB (%,d bytes per node incl. its pods); max heap %.0f MiB; budget 512 MiB: %s%n",
                retained / 1048576.0, retained / Math.max(1, nodes), Runtime.getRuntime().maxMemory() / 1048576.0,
                retained < 512L * 1024 * 1024 ? "fits" : "EXCEEDED");
        // Keep the ledger reachable until after the measurement.
        if (store.snapshot().nodes().isEmpty()) {
            System.out.println("empty");
        }
        InformerCacheHeap.printPods(new BenchCluster(policy), nodes, podsPerNode, () -> usedAfterGc(memory));
        InformerCacheHeap.printNodes(cluster, nodes, () -> usedAfterGc(memory));
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
