package io.gpuslicer.bench.extender;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.NodeListBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.Extender;
import io.gpuslicer.extender.ExtenderConfig;
import io.gpuslicer.extender.ExtenderServer;
import io.gpuslicer.extender.core.ExtenderMetrics;
import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.extender.ledger.SnapshotLedgerSource;
import io.gpuslicer.extender.observe.PlacementNote;
import io.gpuslicer.extender.wire.ExtenderArgs;
import io.gpuslicer.extender.wire.ExtenderFilterResult;
import io.gpuslicer.extender.wire.HostPriority;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./bench extender.ExtenderBench [seconds] [nodeCounts...]}: one scheduling cycle as
 * kube-scheduler runs it — filter over every node, then prioritize over the nodes that passed — for
 * a pending research pod (three time-sliced pools) on a cluster of the default policy with 30 pods
 * per node; the same pod on an unchanging ledger, a stream of pods each bound when decided, and a stream whose every
 * placement is a fallback explained as its placement Event explains it. Both node-cache modes, in process (the decision core + wire types) and over HTTP
 * (one keep-alive connection, one request in flight: the scheduler's pattern). Prints p50/p99 of
 * the filter + prioritize pair and cycles per second. Client and server share the machine.
 */
public final class ExtenderBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        int[] sizes = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray() : new int[]{500, 5_000};
        Policy policy = PolicyLoader.defaultPolicy();
        System.out.printf("%-7s %-25s %-10s %10s %10s %12s %8s%n", "nodes", "mode", "transport", "p50 ms", "p99 ms", "cycles/s", "passed");
        for (int size : sizes) {
            BenchCluster cluster = new BenchCluster(policy);
            SnapshotLedgerSource ledger = new SnapshotLedgerSource(policy);
            List<Node> nodes = new ArrayList<>(size);
            List<String> names = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                Node n = cluster.node(i);
                ledger.addNode(n);
                nodes.add(n);
                names.add(n.getMetadata().getName());
                cluster.podsOf(i, 30, ledger::addPod);
            }
            Pod pod = cluster.pendingPod("bench-pending", "research");
            Extender extender = new Extender(ledger, ExtenderMetrics.NOOP);
            NodeList nodeList = new NodeListBuilder().withNewMetadata().endMetadata().withItems(nodes).build();

            ExtenderArgs byName = ExtenderArgs.ofNames(pod, names);
            ExtenderArgs byNode = ExtenderArgs.ofNodes(pod, nodeList);
            int passed = extender.filter(byName).nodeNames().size();
            report(size, "nodeCacheCapable=true", "in-process", passed, seconds, () -> {
                ExtenderFilterResult r = extender.filter(byName);
                extender.prioritize(ExtenderArgs.ofNames(pod, r.nodeNames()));
            });
            report(size, "nodeCacheCapable=false", "in-process", passed, seconds, () -> {
                ExtenderFilterResult r = extender.filter(byNode);
                extender.prioritize(ExtenderArgs.ofNodes(pod, r.nodes()));
            });
            stream(size, cluster, ledger, extender, names, passed, seconds);
            fallbackStream(size, policy, seconds);
            http(size, ledger, pod, byName, byNode, extender, passed, seconds);
        }
    }

    /**
     * A stream of pods, as a live cluster sends them: each cycle a pod the extender has not seen (of 64 kept in
     * turn), bound to the best-scored node afterwards while the previous one leaves. Two nodes change per cycle,
     * so what the ledger's node states remember (filter verdicts, raw scores) is measured as a stream keeps it,
     * not on a ledger that never changes.
     */
    private static void stream(int size, BenchCluster cluster, SnapshotLedgerSource ledger, Extender extender,
                               List<String> names, int passed, double seconds) throws Exception {
        Pod[] pods = new Pod[64];
        for (int i = 0; i < pods.length; i++) {
            pods[i] = cluster.pendingPod("stream-" + i, "research");
        }
        int[] cycle = {0};
        report(size, "stream, bound each cycle", "in-process", passed, seconds, () -> bindBest(extender, ledger, names, pods, cycle[0]++));
        // The same stream as a loaded extender meets it: between two pods the watch events, the HTTP exchanges and the
        // other processes of the machine have run, and the node states are no longer in the core's caches. Each cycle
        // starts after COLD_BYTES have been written (not timed), so what the cycle costs is mostly where its data is.
        report(size, "stream, caches cold", "in-process", passed, seconds, ExtenderBench::evictCaches,
                () -> bindBest(extender, ledger, names, pods, cycle[0]++));
        ledger.removePod(pods[(cycle[0] - 1) % pods.length].getMetadata().getUid());
    }

    /** More than a core's L1 and L2 caches (2 MiB of L2 per core here): written over before each cold cycle. */
    private static final int COLD_BYTES = 8 << 20;
    private static final byte[] COLD = new byte[COLD_BYTES];
    private static int coldRound;

    private static void evictCaches() {
        byte v = (byte) ++coldRound;
        for (int i = 0; i < COLD.length; i += 64) {
            COLD[i] = v;
        }
    }

    /**
     * The stream on a cluster whose research pool (the research pods' preferred pool, a quarter of the nodes) is full,
     * so that every placement is a fallback, each explained as its placement Event explains it ({@link PlacementNote}
     * with {@link Framework#DEFAULT}: "a100-research full: ...") after it is bound. The cycle is filter, prioritize,
     * bind and the explanation: the extender's own work per pod, whichever thread does it.
     */
    private static void fallbackStream(int size, Policy policy, double seconds) throws Exception {
        BenchCluster cluster = new BenchCluster(policy, List.of("a100-research", "a100-development", "a100-batch", "a100-training"));
        SnapshotLedgerSource ledger = new SnapshotLedgerSource(policy);
        List<String> names = cluster.fill(ledger, size, 30);
        for (int i = 0; i < size; i++) {
            if (cluster.poolOf(i).name().equals("a100-research")) {
                // 30 of 32 replicas are held: the last two too.
                ledger.bind(cluster.pendingPod(cluster.nodeName(i) + "-pod-30", "research"), cluster.nodeName(i));
                ledger.bind(cluster.pendingPod(cluster.nodeName(i) + "-pod-31", "research"), cluster.nodeName(i));
            }
        }
        Extender extender = new Extender(ledger, ExtenderMetrics.NOOP);
        Pod[] pods = new Pod[64];
        for (int i = 0; i < pods.length; i++) {
            pods[i] = cluster.pendingPod("fallback-" + i, "research");
        }
        int passed = extender.filter(ExtenderArgs.ofNames(pods[0], names)).nodeNames().size();
        int[] cycle = {0};
        report(size, "stream, fallbacks explained", "in-process", passed, seconds, () -> {
            int k = cycle[0]++;
            String best = bindBest(extender, ledger, names, pods, k);
            PlacementNote.of(Framework.DEFAULT, PodInfo.of(pods[k % pods.length], policy), best, ledger.snapshot());
        });
        ledger.removePod(pods[(cycle[0] - 1) % pods.length].getMetadata().getUid());
    }

    /** Cycle {@code k} of a stream: pod k (of those kept in turn) filtered, scored, bound to its best node; pod k-1 leaves. */
    private static String bindBest(Extender extender, SnapshotLedgerSource ledger, List<String> names, Pod[] pods, int k) {
        Pod pod = pods[k % pods.length];
        ExtenderFilterResult r = extender.filter(ExtenderArgs.ofNames(pod, names));
        String best = null;
        long top = -1;
        for (HostPriority h : extender.prioritize(ExtenderArgs.ofNames(pod, r.nodeNames()))) {
            if (h.score() > top) {
                top = h.score();
                best = h.host();
            }
        }
        if (k > 0) {
            ledger.removePod(pods[(k - 1) % pods.length].getMetadata().getUid());
        }
        ledger.bind(pod, best);
        return best;
    }

    private static void http(int size, SnapshotLedgerSource ledger, Pod pod, ExtenderArgs byName, ExtenderArgs byNode,
                             Extender extender, int passed, double seconds) throws Exception {
        Vertx serverVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
        Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        ExtenderServer server = await(ExtenderServer.start(serverVertx, new ExtenderConfig("127.0.0.1", 0, ExtenderConfig.DEFAULT_PREFIX,
                ExtenderConfig.DEFAULT_BODY_LIMIT, null, null), ledger));
        HttpClient client = clientVertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false),
                new PoolOptions().setHttp1MaxSize(1));
        try {
            byte[] filterByName = JSON.writeValueAsBytes(byName);
            byte[] prioritizeByName = JSON.writeValueAsBytes(ExtenderArgs.ofNames(pod, extender.filter(byName).nodeNames()));
            report(size, "nodeCacheCapable=true", "http", passed, seconds, () -> {
                post(client, server.actualPort(), "filter", filterByName);
                post(client, server.actualPort(), "prioritize", prioritizeByName);
            });
            byte[] filterByNode = JSON.writeValueAsBytes(byNode);
            byte[] prioritizeByNode = JSON.writeValueAsBytes(ExtenderArgs.ofNodes(pod, extender.filter(byNode).nodes()));
            report(size, "nodeCacheCapable=false", "http", passed, seconds, () -> {
                post(client, server.actualPort(), "filter", filterByNode);
                post(client, server.actualPort(), "prioritize", prioritizeByNode);
            });
            System.out.printf("        (full-Node bodies: filter %.1f MiB, prioritize %.1f MiB)%n",
                    filterByNode.length / 1048576.0, prioritizeByNode.length / 1048576.0);
        } finally {
            await(client.close());
            await(server.close());
            await(serverVertx.close());
            await(clientVertx.close());
        }
    }

    private static void post(HttpClient client, int port, String verb, byte[] body) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI(ExtenderConfig.DEFAULT_PREFIX + "/" + verb).putHeader("Content-Type", "application/json");
        Buffer response = await(client.request(options).compose(req -> req.send(Buffer.buffer(body))
                .compose(resp -> resp.statusCode() == 200 ? resp.body() : Future.failedFuture(verb + " answered " + resp.statusCode()))));
        if (response.length() == 0) {
            throw new IllegalStateException("empty response");
        }
    }

    interface Cycle {
        void run() throws Exception;
    }

    /** Warm-up for a third of the time, then measure each cycle; percentiles from the sorted samples. */
    private static void report(int size, String mode, String transport, int passed, double seconds, Cycle cycle) throws Exception {
        report(size, mode, transport, passed, seconds, () -> {
        }, cycle);
    }

    /** As above, with {@code before} run ahead of each cycle and not timed (cycles/s counts it). */
    private static void report(int size, String mode, String transport, int passed, double seconds, Cycle before,
                               Cycle cycle) throws Exception {
        long warmupEnd = System.nanoTime() + (long) (seconds / 3 * 1e9);
        while (System.nanoTime() < warmupEnd) {
            before.run();
            cycle.run();
        }
        long[] samples = new long[1 << 16];
        int n = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end && n < samples.length) {
            before.run();
            long t0 = System.nanoTime();
            cycle.run();
            samples[n++] = System.nanoTime() - t0;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        System.out.printf("%-7d %-25s %-10s %10.3f %10.3f %12.0f %8d%n", size, mode, transport,
                sorted[n / 2] / 1e6, sorted[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1e6, n / elapsed, passed);
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
