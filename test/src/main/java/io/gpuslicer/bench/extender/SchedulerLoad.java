package io.gpuslicer.bench.extender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.gpuslicer.extender.ExtenderConfig;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import io.gpuslicer.policy.Pool;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./bench extender.SchedulerLoad [nodes=500,5000] [pods=2000] [warmup=2000] [warmups=6] [settled=0.10] [rounds=2] [bound=2]
 * [threads=true] [jfr=FILE] [bind=verb|spec] [extender=gpu-slicer|floor|floor+informers[,...]] [cycles=1] [rate=0] [replicas=1] [kubelet=0]}: the extender
 * as kube-scheduler loads it. The extender runs as {@code gpu-slicer extender} in a JVM of its own (so
 * its process CPU time is its alone), its ledger fed by informers from fabric8's mock API server (CRUD
 * mode) in this JVM, on a cluster of time-sliced nodes (8 GPUs × 4 replicas, pools research,
 * development and batch of the default policy, {@code bound} GPU pods already on each node). For each
 * pod of a stream of GPU pods as our webhook leaves them (research, development, batch-inference),
 * this JVM does what kube-scheduler does with a {@code nodeCacheCapable} extender:
 * <ol>
 *   <li>the pod is created in the API server (the extender's informer sees it);</li>
 *   <li>kube-scheduler's own filters keep the nodes of the pod's pools (its node affinity), stopping
 *       at {@code numFeasibleNodesToFind} of them from a rotating start, as its adaptive sampling does
 *       (pkg/scheduler/schedule_one.go: 50% − nodes/125, at least 5% and 100 nodes: 230 of 500, 500 of 5,000);</li>
 *   <li>{@code POST filter} with those node names, then {@code POST prioritize} with the nodes that
 *       passed (skipped when one passed, as kube-scheduler does), over ONE keep-alive connection;</li>
 *   <li>the highest-scored node is bound ({@link Binder}): by default through the extender's bind verb on the same
 *       connection, as the manifests configure it ({@code bind=spec}: kube-scheduler's own binder, spec.nodeName set in
 *       the API server); either way the binding reaches the extender through its informer.</li>
 * </ol>
 * The pods of each phase are deleted before the next phase starts (not measured), and placement Events are answered
 * but not stored ({@link BindingCrudDispatcher}), so every phase meets an API server of the same size.
 * Prints the extender's CPU per scheduled pod (process CPU of its JVM over the measured pods ÷ pods,
 * after warm-up rounds of {@code warmup} pods that are not counted: as many as it takes for the JIT compilers to
 * settle (their share of the round's CPU at most {@code settled}, at most {@code warmups} rounds), so that the
 * figure is a long-running extender's; also without its JIT compiler threads, for a round where they had not
 * settled), the time its filter and prioritize handlers took per pod by its own metrics ("handlers": reading the
 * request, deciding, writing the answer; "-" for the floor, which decides nothing), the KiB its JVM allocated per
 * pod (by its {@code jvm_gc_memory_allocated_bytes_total} and eden; the floor exports them too), its collection pauses
 * ("GCs/ms/max": how many, their time in ms, the longest of the last two minutes in ms), calls per second over the connection (back to back:
 * calls ÷ time spent in them), and the latency p50/p99 of each verb as the client sees it. Set
 * {@code threads=true} for the CPU per thread group of the last round, {@code jfr=FILE} for a JFR
 * recording of it. {@code extender=floor} runs {@link FloorExtender} in the extender's place: the same calls answered
 * by an extender that decides nothing, the floor under these figures on this stack and machine; {@code extender=floor+informers}
 * adds what keeping a ledger and explaining placements must cost whatever is decided (the extender's informers with
 * handlers that do nothing, and the placement Events gpu-slicer writes with the same options: none with the manifests'
 * {@code --placement-events-for=fallbacks}, one per pod bound with {@code EXTENDER_ARGS=--placement-events-for=all}), so
 * that gpu-slicer's figure less this one is its deciding. Both run with the options of the extender's Deployment
 * ({@link ExtenderProcess#AS_THE_MANIFESTS_SHIP_IT}).
 * Several extenders, comma-separated ({@code extender=gpu-slicer,floor+informers cycles=3}), run in turn, each on a fresh
 * cluster, {@code cycles} times, and a summary compares them ({@link Alternation}). An extender's CPU per pod grows as
 * pods come more slowly (each request meets colder caches, and the fixed costs of a second are shared by fewer pods);
 * {@code rate=N} starts a pod every 1/N s at the earliest, so that extenders compared at a rate below the slowest they
 * reach meet the same pace. {@code rate=260} is kube-scheduler's own pace on this kind of machine with an extender that
 * decides nothing (issue 9: 263 pods/s); the mock API server, which finds objects by name ({@link NameIndexedStore}),
 * keeps up with it on one core.
 * <p>
 * {@code replicas=2} also runs a standby replica of the same extender, as the Deployment runs two (manifests/extender:
 * {@code replicas: 2}, one Service): kube-scheduler's connection reaches one of them, and the other keeps its ledger
 * from its own informers, ready to take over. Each round then also prints the standby's CPU per scheduled pod
 * ("standby"): what the dashboard's "CPU ms per placed pod (all replicas)" adds to the figure above.
 * <p>
 * {@code kubelet=N} (0 to 3) follows each binding with N status updates as a kubelet writes them ({@link KubeletStatus}:
 * containers being created, then running, then running again), each a watch event more for the extender's informers,
 * about 4.8 KB with its managed fields. A running pod in a cluster gets them; issue 9's load, the default, does not.
 */
public final class SchedulerLoad {
    private static final List<String> POOLS = List.of("a100-research", "a100-development", "a100-batch");
    private static final List<String> TYPES = List.of("research", "research", "development", "batch-inference");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Held: java.util.logging keeps loggers weakly, and the mock server logs every request at INFO. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        Policy policy = PolicyLoader.defaultPolicy();
        System.out.printf("SchedulerLoad %s: extender in its own JVM (%s), mock API server + scheduler in this one, %d CPUs%n",
                Instant.now(), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        for (int size : o.nodes) {
            List<Alternation.Round> rounds = new ArrayList<>();
            for (int cycle = 1; cycle <= o.cycles; cycle++) {
                for (String extender : o.extenders) {
                    for (Stats measured : run(policy, size, o, extender.equals(GPU_SLICER) ? null : extender)) {
                        rounds.add(new Alternation.Round(extender, cycle, measured.cpuPerPod(), measured.handlersPerPod(),
                                measured.standbyPerPod()));
                    }
                }
            }
            if (o.extenders.size() > 1 || o.cycles > 1) {
                Alternation.print(size, o.extenders, o.cycles, rounds);
            }
        }
    }

    private static final String GPU_SLICER = "gpu-slicer";

    /** One extender (floor: null for gpu-slicer's) on a cluster of {@code size} nodes; its measured rounds. */
    private static List<Stats> run(Policy policy, int size, Options o, String floor) throws Exception {
        List<Stats> measuredRounds = new ArrayList<>();
        Path dir = Files.createTempDirectory("scheduler-load-");
        BindingCrudDispatcher dispatcher = new BindingCrudDispatcher(false);
        dispatcher.kubeletUpdates = o.kubelet;
        KubernetesMockServer api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        api.init();
        KubernetesClient client = api.createClient();
        ExtenderProcess extender = null;
        List<ExtenderProcess> standbys = new ArrayList<>();
        try {
            BenchCluster cluster = new BenchCluster(policy, POOLS);
            WebhookPods pods = new WebhookPods(policy);
            long t0 = System.nanoTime();
            List<String> names = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                Node node = cluster.node(i);
                client.nodes().resource(node).create();
                names.add(node.getMetadata().getName());
                for (int p = 0; p < o.bound; p++) {
                    String type = typeUsing(policy, cluster.poolOf(i));
                    client.pods().inNamespace("team-a").resource(pods.pod("team-a", names.get(i) + "-" + p, type, names.get(i))).create();
                }
            }
            Files.writeString(dir.resolve("policy.yaml"), PolicyLoader.defaultPolicyText());
            Files.writeString(dir.resolve("kubeconfig"), kubeconfig(client.getConfiguration().getMasterUrl()));
            extender = ExtenderProcess.start(dir.resolve("policy.yaml"), dir.resolve("kubeconfig"), dir, floor);
            extender.awaitReady(Duration.ofMinutes(5));
            for (int replica = 2; replica <= o.replicas; replica++) {
                standbys.add(ExtenderProcess.standby(dir.resolve("policy.yaml"), dir.resolve("kubeconfig"), dir, floor, replica));
            }
            for (ExtenderProcess standby : standbys) {
                standby.awaitReady(Duration.ofMinutes(5));
            }
            System.out.printf("%n%,d nodes, %,d pods bound, set up in %.1f s; extender log %s%n", size, size * o.bound,
                    (System.nanoTime() - t0) / 1e9, extender.log());
            if (o.kubelet > 0) {
                System.out.printf("each pod bound then gets %d kubelet status update%s (watch events of ~4.8 KB)%n", o.kubelet,
                        o.kubelet == 1 ? "" : "s");
            }

            KeepAliveConnection connection = new KeepAliveConnection("127.0.0.1", extender.port());
            long[] bindLatencies = new long[Math.max(o.pods, o.warmup)];
            int[] binds = {0};
            Binder binder = o.bindVerb ? Binder.bindVerb(connection, ExtenderConfig.DEFAULT_PREFIX, bindLatencies, binds)
                    : Binder.specNodeName(client);
            Scheduler scheduler = new Scheduler(policy, cluster, names, pods, binder, client, connection, bindLatencies, binds,
                    standbys);
            scheduler.paceNanos = o.rate > 0 ? (long) (1e9 / o.rate) : 0;
            System.out.printf("binding: %s; latencies as the client sees them, in ms%s%n", scheduler.binder.describe(),
                    standbys.isEmpty() ? "" : "; " + standbys.size() + " standby replica(s), their CPU per scheduled pod last");
            System.out.printf("%-9s %6s %10s %10s %9s %8s %13s %9s %9s %9s %9s %9s %9s %9s %9s %8s%n", "phase", "pods", "CPU ms/pod", "excl. JIT", "handlers", "KiB/pod", "GCs/ms/max", "calls/s",
                    "filt p50", "filt p99", "prio p50", "prio p99", "bind p50", "bind p99", "pods/s", "passed");
            // Warm-up rounds until the JIT compilers have settled (a long-running extender's steady state), at most warmups.
            for (int w = 0; ; w++) {
                Stats warm = scheduler.schedule("warm-up", o.warmup, extender, "bench-warm-up-" + w);
                warm.print();
                scheduler.remove("bench-warm-up-" + w, extender);
                if (warm.jitShare() <= o.settled || w + 1 >= o.warmups) {
                    break;
                }
            }
            Map<String, Long> threads0 = extender.threadCpuMillis();
            Map<String, Long> switches0 = extender.threadSwitches();
            for (int r = 0; r < o.rounds; r++) {
                boolean last = r == o.rounds - 1;
                if (last) {
                    threads0 = extender.threadCpuMillis();
                    switches0 = extender.threadSwitches();
                    if (o.jfr != null) {
                        extender.jcmd("JFR.start", "name=load", "settings=" + System.getenv().getOrDefault("JFR_SETTINGS", "profile"));
                    }
                }
                Stats measured = scheduler.schedule("measured", o.pods, extender, "bench-round-" + r);
                measured.print();
                measuredRounds.add(measured);
                if (last && o.jfr != null) {
                    extender.jcmd("JFR.stop", "name=load", "filename=" + Path.of(o.jfr.replace("{nodes}", String.valueOf(size))).toAbsolutePath());
                }
                if (!last) {
                    scheduler.remove("bench-round-" + r, extender);
                }
            }
            if (o.threads) {
                printThreads(threads0, extender.threadCpuMillis(), switches0, extender.threadSwitches(), o.pods);
            }
            scheduler.connection.close();
            Duration idleStart = extender.cpu();
            Thread.sleep(2000);
            System.out.printf("extender idle afterwards: %.1f ms CPU/s%n", extender.cpu().minus(idleStart).toNanos() / 1e6 / 2.0);
            if (o.kubelet > 0) {
                System.out.printf("kubelet status updates written: %,d%n", dispatcher.kubeletPatches());
            }
            return measuredRounds;
        } finally {
            // The mock API server first: when a client closes a watch, the mock's WatchEventsListener.onClosed can
            // block its event loop, and its shutdown then times out (as in the project's mock-server tests).
            quietly("stop the kubelets", dispatcher::close);
            quietly("stop the mock API server", api::destroy);
            if (extender != null) {
                ExtenderProcess started = extender;
                quietly("stop the extender", started::close);
            }
            for (ExtenderProcess standby : standbys) {
                quietly("stop a standby replica", standby::close);
            }
            quietly("close the client", client::close);
        }
    }

    interface Step {
        void run() throws Exception;
    }

    /** Cleanup that must not hide the exception that ended the run. */
    private static void quietly(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            System.err.println("could not " + what + ": " + e);
        }
    }

    /** The simulated kube-scheduler: one pod at a time, one connection. */
    private static final class Scheduler {
        final Policy policy;
        final BenchCluster cluster;
        final List<String> names;
        final WebhookPods pods;
        final Binder binder;
        final KubernetesClient client;
        final KeepAliveConnection connection;
        final long[] bindLatencies;
        final int[] binds;
        /** Standby replicas (replicas=N): sent nothing, measured over the same phases. */
        final List<ExtenderProcess> standbys;
        final String prefix = ExtenderConfig.DEFAULT_PREFIX;
        int next;
        /** With rate=N: a pod is started every paceNanos at the earliest (0: back to back). */
        long paceNanos;
        int startIndex;

        Scheduler(Policy policy, BenchCluster cluster, List<String> names, WebhookPods pods, Binder binder,
                  KubernetesClient client, KeepAliveConnection connection, long[] bindLatencies, int[] binds,
                  List<ExtenderProcess> standbys) {
            this.policy = policy;
            this.cluster = cluster;
            this.names = names;
            this.pods = pods;
            this.binder = binder;
            this.client = client;
            this.connection = connection;
            this.bindLatencies = bindLatencies;
            this.binds = binds;
            this.standbys = standbys;
        }

        /**
         * The pods of a phase leave before the next phase, outside its measurement: fabric8's CRUD mock scans every
         * object it stores on each request, so without this each phase would run against a slower API server than
         * the one before (bindings took 5 ms after the warm-up, 15 ms two phases later) and the extender, waiting
         * longer per pod, would be measured on colder caches.
         */
        void remove(String namespace, ExtenderProcess extender) throws InterruptedException {
            client.pods().inNamespace(namespace).delete();
            // Until every replica has taken in the deletions: less than 20 ms of CPU in half a second, twice in a row.
            List<ExtenderProcess> all = new ArrayList<>(standbys);
            all.add(0, extender);
            for (ExtenderProcess replica : all) {
                Duration last = replica.cpu();
                for (int quiet = 0; quiet < 2; ) {
                    Thread.sleep(500);
                    Duration now = replica.cpu();
                    quiet = now.minus(last).toMillis() < 20 ? quiet + 1 : 0;
                    last = now;
                }
            }
        }

        /** The standby replicas' CPU so far, all together. */
        private Duration standbyCpu() {
            Duration sum = Duration.ZERO;
            for (ExtenderProcess standby : standbys) {
                sum = sum.plus(standby.cpu());
            }
            return sum;
        }

        Stats schedule(String phase, int count, ExtenderProcess extender, String namespace) throws Exception {
            Stats stats = new Stats(phase, count);
            binds[0] = 0;
            Scrape scrape0 = Scrape.of(extender);
            long jit0 = jitMillis(extender.threadCpuMillis());
            Duration cpu0 = extender.cpu();
            Duration standby0 = standbyCpu();
            long wall0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long due = wall0 + i * paceNanos;
                for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                    Thread.sleep((due - now) / 1_000_000, (int) ((due - now) % 1_000_000));
                }
                String type = TYPES.get(next % TYPES.size());
                Pod pod = client.pods().inNamespace(namespace).resource(pods.pod(namespace, "gpu-pod-" + next++, type, null)).create();
                String podJson = JSON.writeValueAsString(pod);
                List<String> feasible = feasibleNodes(pod, type);

                long t = System.nanoTime();
                KeepAliveConnection.Response filtered = connection.post(prefix + "/filter", args(podJson, feasible));
                stats.filter[i] = System.nanoTime() - t;
                JsonNode result = check(filtered, "filter");
                if (!result.path("Error").asText("").isEmpty()) {
                    throw new IllegalStateException("filter error: " + result.path("Error").asText());
                }
                List<String> passed = new ArrayList<>();
                result.path("NodeNames").forEach(n -> passed.add(n.asText()));
                stats.passed += passed.size();
                if (passed.isEmpty()) {
                    stats.unschedulable++;
                    continue;
                }
                String chosen = passed.get(0);
                if (passed.size() > 1) {
                    t = System.nanoTime();
                    KeepAliveConnection.Response scored = connection.post(prefix + "/prioritize", args(podJson, passed));
                    stats.prioritize[stats.prioritized++] = System.nanoTime() - t;
                    long best = -1;
                    for (JsonNode h : check(scored, "prioritize")) {
                        if (h.path("Score").asLong() > best) {
                            best = h.path("Score").asLong();
                            chosen = h.path("Host").asText();
                        }
                    }
                }
                binder.bind(pod, chosen);
                stats.scheduled++;
            }
            // Let the extender take in the last bindings before its CPU is read.
            Thread.sleep(300);
            stats.cpu = extender.cpu().minus(cpu0);
            stats.standbyCpu = standbys.isEmpty() ? null : standbyCpu().minus(standby0);
            stats.jitMillis = jitMillis(extender.threadCpuMillis()) - jit0;
            stats.wallNanos = System.nanoTime() - wall0;
            stats.bind = Arrays.copyOf(bindLatencies, binds[0]);
            Scrape scrape = Scrape.of(extender);
            stats.handlerNanos = Double.isNaN(scrape.handlerSeconds() - scrape0.handlerSeconds()) ? -1
                    : (long) ((scrape.handlerSeconds() - scrape0.handlerSeconds()) * 1e9);
            stats.allocatedBytes = scrape.allocatedBytes() - scrape0.allocatedBytes();
            stats.pauses = scrape.pauses() - scrape0.pauses();
            stats.pauseMillis = (scrape.pauseSeconds() - scrape0.pauseSeconds()) * 1e3;
            stats.longestPauseMillis = scrape.longestPauseSeconds() * 1e3;
            return stats;
        }

        /**
         * What the extender's own {@code /metrics} says so far, read outside the CPU window (NaN where it has no such
         * series):
         * <ul>
         *   <li>the seconds its filter and prioritize handlers took ({@code gpuslicer_extender_calls_seconds_sum}):
         *       reading the request, deciding and writing the answer, on its event loop, without the HTTP server's and
         *       the informers' work around them (the floor has none);</li>
         *   <li>the bytes it allocated: what the collector counted at each collection
         *       ({@code jvm_gc_memory_allocated_bytes_total}) plus what the eden holds now (the serial and parallel
         *       collectors empty it at each young collection).</li>
         * </ul>
         */
        record Scrape(double handlerSeconds, double allocatedBytes, double pauses, double pauseSeconds, double longestPauseSeconds) {
            static Scrape of(ExtenderProcess extender) {
                try {
                    java.net.http.HttpResponse<String> r = METRICS.send(java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create("http://127.0.0.1:" + extender.port() + "/metrics")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        return none();
                    }
                    double handlers = Double.NaN;
                    double allocated = Double.NaN;
                    double eden = 0;
                    double pauses = 0;
                    double pauseSeconds = 0;
                    double longest = 0;
                    for (String line : r.body().split("\n")) {
                        if (line.startsWith("gpuslicer_extender_calls_seconds_sum{") && line.contains("outcome=\"ok\"")
                                && (line.contains("verb=\"filter\"") || line.contains("verb=\"prioritize\""))) {
                            handlers = (Double.isNaN(handlers) ? 0 : handlers) + value(line);
                        } else if (line.startsWith("jvm_gc_memory_allocated_bytes_total ")) {
                            allocated = value(line);
                        } else if (line.startsWith("jvm_memory_used_bytes{") && line.contains("Eden")) {
                            eden += value(line);
                        } else if (line.startsWith("jvm_gc_pause_seconds_count{")) {
                            pauses += value(line);
                        } else if (line.startsWith("jvm_gc_pause_seconds_sum{")) {
                            pauseSeconds += value(line);
                        } else if (line.startsWith("jvm_gc_pause_seconds_max{")) {
                            longest = Math.max(longest, value(line));
                        }
                    }
                    return new Scrape(handlers, allocated + eden, pauses, pauseSeconds, longest);
                } catch (java.io.IOException e) {
                    return none();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return none();
                }
            }

            private static Scrape none() {
                return new Scrape(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }

            private static double value(String line) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }

        private static final java.net.http.HttpClient METRICS = java.net.http.HttpClient.newHttpClient();

        /** CPU of the JIT compiler threads ("C1/C2 CompilerThread#", truncated by Linux to 15 characters). */
        private static long jitMillis(Map<String, Long> threads) {
            long ms = 0;
            for (Map.Entry<String, Long> e : threads.entrySet()) {
                if (e.getKey().contains("CompilerThre")) {
                    ms += e.getValue();
                }
            }
            return ms;
        }

        /** kube-scheduler's own filters, as far as our pods go: node affinity to the pod's pools, sampled. */
        private List<String> feasibleNodes(Pod pod, String type) {
            Set<String> allowed = new HashSet<>();
            policy.workloadType(type).orElseThrow().pools().forEach(pool -> allowed.add(pool.name()));
            int want = numFeasibleNodesToFind(names.size());
            List<String> out = new ArrayList<>(want);
            int n = names.size();
            int i = 0;
            for (; i < n && out.size() < want; i++) {
                int at = (startIndex + i) % n;
                if (allowed.contains(cluster.poolOf(at).name())) {
                    out.add(names.get(at));
                }
            }
            startIndex = (startIndex + i) % n;
            return out;
        }

        private static byte[] args(String podJson, List<String> nodeNames) throws Exception {
            return ("{\"Pod\":" + podJson + ",\"Nodes\":null,\"NodeNames\":" + JSON.writeValueAsString(nodeNames) + "}")
                    .getBytes(StandardCharsets.UTF_8);
        }

        private static JsonNode check(KeepAliveConnection.Response r, String verb) throws Exception {
            if (r.status() != 200) {
                throw new IllegalStateException(verb + " answered " + r.status() + ": " + r.text());
            }
            return JSON.readTree(r.body());
        }
    }

    /** Where the extender's CPU went during the last measured round, per thread group, and how often each group slept and woke. */
    private static void printThreads(Map<String, Long> before, Map<String, Long> after, Map<String, Long> switchesBefore,
                                     Map<String, Long> switchesAfter, int pods) {
        List<Map.Entry<String, Long>> rows = new ArrayList<>();
        after.forEach((name, ms) -> rows.add(Map.entry(name, ms - before.getOrDefault(name, 0L))));
        long kernel = after.getOrDefault(ExtenderProcess.KERNEL, 0L) - before.getOrDefault(ExtenderProcess.KERNEL, 0L);
        rows.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        System.out.printf("extender CPU by thread in the last measured round (ms/pod), and context switches per pod:%n");
        long allSwitches = 0;
        for (Map.Entry<String, Long> e : rows) {
            if (e.getKey().equals(ExtenderProcess.KERNEL)) {
                continue;
            }
            long switches = switchesAfter.getOrDefault(e.getKey(), 0L) - switchesBefore.getOrDefault(e.getKey(), 0L);
            allSwitches += Math.max(0, switches);
            if (e.getValue() > 0 || switches > pods / 10) {
                System.out.printf("  %-28s %8.3f %8.1f%n", e.getKey(), e.getValue() / (double) pods, switches / (double) pods);
            }
        }
        System.out.printf("  %-28s %8.3f%n", ExtenderProcess.KERNEL, kernel / (double) pods);
        System.out.printf("  %-28s %8s %8.1f%n", "(context switches, all)", "", allSwitches / (double) pods);
    }

    /** pkg/scheduler/schedule_one.go numFeasibleNodesToFind with the default percentageOfNodesToScore (adaptive). */
    static int numFeasibleNodesToFind(int numAllNodes) {
        int minFeasible = 100;
        if (numAllNodes < minFeasible) {
            return numAllNodes;
        }
        int percentage = Math.max(5, 50 - numAllNodes / 125);
        return Math.max(minFeasible, numAllNodes * percentage / 100);
    }

    private static final class Stats {
        final String phase;
        final long[] filter;
        final long[] prioritize;
        int prioritized;
        int scheduled;
        int unschedulable;
        long passed;
        Duration cpu;
        /** The standby replicas' CPU in the phase, all together; null without them. */
        Duration standbyCpu;
        long jitMillis;
        long[] bind = new long[0];
        long wallNanos;
        /** Time in the extender's filter and prioritize handlers (its metrics), or -1 where it has none. */
        long handlerNanos = -1;
        /** Bytes the extender allocated in the phase (its metrics), or NaN where it has none. */
        double allocatedBytes = Double.NaN;
        /** The extender's collection pauses in the phase, their time, and the longest of the last two minutes (its metrics). */
        double pauses = Double.NaN;
        double pauseMillis = Double.NaN;
        double longestPauseMillis = Double.NaN;

        Stats(String phase, int count) {
            this.phase = phase;
            this.filter = new long[count];
            this.prioritize = new long[count];
        }

        double cpuPerPod() {
            return cpu.toNanos() / 1e6 / Math.max(1, scheduled);
        }

        /** NaN without standby replicas. */
        double standbyPerPod() {
            return standbyCpu == null ? Double.NaN : standbyCpu.toNanos() / 1e6 / Math.max(1, scheduled);
        }

        /** NaN for an extender without the metric (the floor). */
        double handlersPerPod() {
            return handlerNanos < 0 ? Double.NaN : handlerNanos / 1e6 / Math.max(1, scheduled);
        }

        /** The JIT compilers' part of the extender's CPU in this phase. */
        double jitShare() {
            return jitMillis / Math.max(1.0, cpu.toNanos() / 1e6);
        }

        void print() {
            long[] f = filter.clone();
            long[] p = Arrays.copyOf(prioritize, prioritized);
            Arrays.sort(f);
            Arrays.sort(p);
            long[] b = bind.clone();
            Arrays.sort(b);
            long callNanos = Arrays.stream(f).sum() + Arrays.stream(p).sum() + Arrays.stream(b).sum();
            System.out.printf("%-9s %6d %10.3f %10.3f %9s %8s %13s %9.0f %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %9.1f %8d%s%s%n", phase, filter.length,
                    cpuPerPod(), (cpu.toNanos() / 1e6 - jitMillis) / Math.max(1, scheduled),
                    handlerNanos < 0 ? "-" : String.format("%.3f", handlersPerPod()),
                    Double.isNaN(allocatedBytes) ? "-" : String.format("%.0f", allocatedBytes / 1024 / Math.max(1, scheduled)),
                    Double.isNaN(pauses) ? "-" : String.format("%.0f/%.0f/%.0f", pauses, pauseMillis, longestPauseMillis),
                    (f.length + p.length + b.length) / (callNanos / 1e9),
                    pct(f, 0.5), pct(f, 0.99), pct(p, 0.5), pct(p, 0.99), pct(b, 0.5), pct(b, 0.99), filter.length / (wallNanos / 1e9),
                    passed / Math.max(1, filter.length), unschedulable > 0 ? "  (" + unschedulable + " unschedulable)" : "",
                    standbyCpu == null ? "" : String.format("  standby %.3f", standbyPerPod()));
        }

        private static double pct(long[] sorted, double q) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * q) - 1)] / 1e6;
        }
    }

    private static String typeUsing(Policy policy, Pool pool) {
        for (var t : policy.workloadTypes().values()) {
            if (t.rankOf(pool.name()) == 0) {
                return t.name();
            }
        }
        throw new IllegalStateException("no workload type prefers pool " + pool.name());
    }

    private static String kubeconfig(String url) {
        return """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s"}}]
                users: [{name: bench, user: {token: bench}}]
                contexts: [{name: mock, context: {cluster: mock, user: bench, namespace: default}}]
                current-context: mock
                """.formatted(url);
    }

    private record Options(int[] nodes, int pods, int warmup, int warmups, double settled, int bound, int rounds, boolean threads,
                           String jfr, boolean bindVerb, List<String> extenders, int cycles, double rate, int replicas,
                           int kubelet) {
        static Options parse(String[] args) {
            int[] nodes = {500, 5_000};
            int pods = 2_000;
            int warmup = 2_000;
            int warmups = 6;
            double settled = 0.10;
            int bound = 2;
            int rounds = 2;
            boolean threads = false;
            String jfr = null;
            boolean bindVerb = true;
            List<String> extenders = List.of(GPU_SLICER);
            int cycles = 1;
            double rate = 0;
            int replicas = 1;
            int kubelet = 0;
            for (String a : args) {
                String[] kv = a.split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("arguments are key=value: nodes=500,5000 pods=2000 warmup=2000 warmups=6 settled=0.10 rounds=2 bound=2 threads=false jfr=FILE bind=verb|spec extender=gpu-slicer|floor|floor+informers[,...] cycles=1 rate=0 replicas=1 kubelet=0");
                }
                switch (kv[0]) {
                    case "nodes" -> nodes = Arrays.stream(kv[1].split(",")).mapToInt(Integer::parseInt).toArray();
                    case "pods" -> pods = Integer.parseInt(kv[1]);
                    case "warmup" -> warmup = Integer.parseInt(kv[1]);
                    case "warmups" -> warmups = Integer.parseInt(kv[1]);
                    case "settled" -> settled = Double.parseDouble(kv[1]);
                    case "bound" -> bound = Integer.parseInt(kv[1]);
                    case "rounds" -> rounds = Integer.parseInt(kv[1]);
                    case "threads" -> threads = Boolean.parseBoolean(kv[1]);
                    case "jfr" -> jfr = kv[1];
                    case "bind" -> bindVerb = switch (kv[1]) {
                        case "verb" -> true;
                        case "spec" -> false;
                        default -> throw new IllegalArgumentException("bind=verb (the extender's bind verb) or bind=spec (spec.nodeName)");
                    };
                    case "extender" -> {
                        extenders = List.of(kv[1].split(","));
                        for (String e : extenders) {
                            if (!List.of(GPU_SLICER, "floor", "floor+informers").contains(e)) {
                                throw new IllegalArgumentException("extender=gpu-slicer, extender=floor (FloorExtender: decides nothing)"
                                        + " or extender=floor+informers (also informers, and placement Events as gpu-slicer's), or several"
                                        + " of them, comma-separated, to alternate (cycles=N)");
                            }
                        }
                    }
                    case "cycles" -> cycles = Integer.parseInt(kv[1]);
                    case "rate" -> rate = Double.parseDouble(kv[1]);
                    case "replicas" -> {
                        replicas = Integer.parseInt(kv[1]);
                        if (replicas < 1) {
                            throw new IllegalArgumentException("replicas=N: the serving replica and N-1 standby ones, N >= 1");
                        }
                    }
                    case "kubelet" -> {
                        kubelet = Integer.parseInt(kv[1]);
                        if (kubelet < 0 || kubelet > 3) {
                            throw new IllegalArgumentException("kubelet=N: 0 to 3 kubelet status updates per pod bound");
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + kv[0]);
                }
            }
            return new Options(nodes, pods, warmup, warmups, settled, bound, rounds, threads, jfr, bindVerb, extenders, cycles, rate,
                    replicas, kubelet);
        }
    }
}
