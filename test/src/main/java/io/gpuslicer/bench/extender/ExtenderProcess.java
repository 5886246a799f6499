package io.gpuslicer.bench.extender;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code gpu-slicer extender} in a JVM of its own, started from the benchmark jar (which contains the
 * CLI), so that its process CPU time is the extender's alone: the mock API server and the simulated
 * scheduler run in the benchmark's JVM. JVM flags as the image runs it (a heap of 75% of the
 * Deployment's 1 GiB limit, and the Serial collector, which the JVM chooses by itself under a memory limit below
 * 1,792 MiB: this machine's memory would otherwise get it G1); {@code EXTENDER_JAVA_OPTS} adds more (e.g. a JFR recording), and
 * {@code EXTENDER_CLASSPATH} runs another build of the extender (A/B against an older commit);
 * the extender gets the options of its Deployment ({@link #AS_THE_MANIFESTS_SHIP_IT});
 * {@code EXTENDER_ARGS} adds options of {@code gpu-slicer extender} (e.g. {@code --no-placement-events}, or
 * {@code --placement-events-for=all}), replacing the Deployment's of the same name;
 * {@code EXTENDER_CPUS} pins it to those CPUs ({@code taskset -c}), {@code STANDBY_CPUS} a standby replica
 * ({@link #standby}).
 */
final class ExtenderProcess implements AutoCloseable {
    /**
     * Options the extender's Deployment passes (manifests/extender/deployment.yaml; ContainerArgsTest checks it does),
     * so that the benchmark measures the extender as the manifests ship it. {@code EXTENDER_ARGS} naming the same option
     * replaces it.
     */
    static final List<String> AS_THE_MANIFESTS_SHIP_IT = List.of("--placement-events-for=fallbacks");

    private final Process process;
    private final int port;
    private final Path log;
    /**
     * Stops the extender when the benchmark's JVM is stopped before {@link #close} (Ctrl-C, {@code kill}): an extender
     * left running keeps its informers retrying and takes CPU from the next run's measurements.
     */
    private final Thread reaper;

    private ExtenderProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.reaper = new Thread(process::destroy, "extender-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    static ExtenderProcess start(Path policy, Path kubeconfig, Path dir) throws IOException {
        return start(policy, kubeconfig, dir, null);
    }

    /**
     * @param floor null for gpu-slicer's extender; else run {@link FloorExtender} (decides nothing) in its place, with
     *              the same JVM flags: "floor", or "floor+informers" (also the informers and placement Events)
     */
    static ExtenderProcess start(Path policy, Path kubeconfig, Path dir, String floor) throws IOException {
        return start(policy, kubeconfig, dir, floor, System.getenv("EXTENDER_CPUS"), "extender.log");
    }

    /**
     * A standby replica of the extender {@link #start} started: the same build, options and API server, a log of its own,
     * pinned to {@code STANDBY_CPUS} when set (else on the benchmark's CPUs), so that it does not share the serving
     * replica's core (the Deployment's two replicas run on two nodes). kube-scheduler sends it nothing; its informers see
     * every pod.
     */
    static ExtenderProcess standby(Path policy, Path kubeconfig, Path dir, String floor, int replica) throws IOException {
        return start(policy, kubeconfig, dir, floor, System.getenv("STANDBY_CPUS"), "standby-" + replica + ".log");
    }

    private static ExtenderProcess start(Path policy, Path kubeconfig, Path dir, String floor, String cpus, String logName)
            throws IOException {
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        if (cpus != null && !cpus.isBlank()) {
            // Pinned (Linux taskset), e.g. EXTENDER_CPUS=1 with the benchmark itself under `taskset -c 0`: the extender
            // then has a core of its own, and its CPU per pod varies less with what the other processes do to its caches.
            cmd.addAll(List.of("taskset", "-c", cpus.trim()));
        }
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx768m");
        cmd.add("-XX:+UseSerialGC");
        String extra = System.getenv("EXTENDER_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        // EXTENDER_CLASSPATH runs another build of the extender (e.g. an older commit's cli/target/gpu-slicer.jar) under the same load.
        String classpath = System.getenv().getOrDefault("EXTENDER_CLASSPATH", System.getProperty("java.class.path"));
        cmd.addAll(List.of("-cp", classpath));
        cmd.addAll(floor != null ? List.of(FloorExtender.class.getName()) : List.of("io.gpuslicer.cli.GpuSlicer", "extender"));
        if ("floor+informers".equals(floor)) {
            cmd.add("--informers");
        }
        cmd.addAll(List.of(
                "--policy", policy.toString(), "--kubeconfig", kubeconfig.toString(),
                "--host", "127.0.0.1", "--port", String.valueOf(port)));
        String args = System.getenv("EXTENDER_ARGS");
        List<String> extenderArgs = args == null || args.isBlank() ? List.of() : List.of(args.trim().split("\\s+"));
        cmd.addAll(shippedUnlessReplaced(extenderArgs));
        cmd.addAll(extenderArgs);
        Path log = dir.resolve(logName);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ExtenderProcess(p, port, log);
    }

    /** {@link #AS_THE_MANIFESTS_SHIP_IT} without the options {@code extra} gives itself (placement Event options as one). */
    static List<String> shippedUnlessReplaced(List<String> extra) {
        List<String> kept = new ArrayList<>();
        for (String option : AS_THE_MANIFESTS_SHIP_IT) {
            String name = optionName(option);
            if (extra.stream().map(ExtenderProcess::optionName).noneMatch(name::equals)) {
                kept.add(option);
            }
        }
        return kept;
    }

    private static String optionName(String arg) {
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        // --no-placement-events turns off what --placement-events-for scopes: they replace each other.
        return name.equals("--no-placement-events") || name.equals("--placement-events") ? "--placement-events-for" : name;
    }

    int port() {
        return port;
    }

    Path log() {
        return log;
    }

    /** User + system CPU time of the extender's JVM so far (all its threads: HTTP, informers, JIT, GC). */
    Duration cpu() {
        return process.info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("this OS does not report a child's CPU time"));
    }

    /** The pseudo thread group of {@link #threadCpuMillis}: system (kernel) time of all threads, already in theirs. */
    static final String KERNEL = "(of which in the kernel)";

    /**
     * CPU ms per thread group of the extender's JVM so far (Linux: /proc/PID/task/TID/stat; thread names
     * with digits folded, e.g. "C2 CompilerThre#", "vert.x-worker-thread-#"); empty elsewhere.
     */
    Map<String, Long> threadCpuMillis() {
        Map<String, Long> out = new TreeMap<>();
        return eachThread(task -> {
            String stat = Files.readString(task.resolve("stat"));
            String name = folded(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long user = Long.parseLong(f[11]); // utime, stime (fields 14, 15), in ticks: USER_HZ is 100 on Linux
            long system = Long.parseLong(f[12]);
            out.merge(name, (user + system) * 10, Long::sum);
            out.merge(KERNEL, system * 10, Long::sum);
        }) ? out : Map.of();
    }

    /**
     * Context switches (voluntary and not) per thread group of the extender's JVM so far, named as in
     * {@link #threadCpuMillis} (Linux: /proc/PID/task/TID/status); empty elsewhere. Each voluntary one is a thread that
     * went to sleep and was woken again: at a few microseconds of CPU and cold caches each, wake-ups are a cost of their own.
     */
    Map<String, Long> threadSwitches() {
        Map<String, Long> out = new TreeMap<>();
        return eachThread(task -> {
            String name = null;
            long switches = 0;
            for (String line : Files.readAllLines(task.resolve("status"))) {
                if (line.startsWith("Name:")) {
                    name = folded(line.substring(5).trim());
                } else if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                    switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            if (name != null) {
                out.merge(name, switches, Long::sum);
            }
        }) ? out : Map.of();
    }

    private interface TaskReader {
        void read(Path task) throws IOException;
    }

    /** Reads each thread's /proc/PID/task/TID directory; false when there is none (not Linux). */
    private boolean eachThread(TaskReader reader) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
            for (Path task : dirs) {
                try {
                    reader.read(task);
                } catch (IOException | RuntimeException threadGone) {
                    // the thread ended between listing and reading
                }
            }
            return true;
        } catch (IOException notLinux) {
            return false;
        }
    }

    /** A thread name with its digits folded, so that a pool's threads count as one group. */
    private static String folded(String threadName) {
        return threadName.replaceAll("[0-9]+", "#");
    }

    /** Runs {@code jcmd PID ARGS...} (the JDK's own tool next to this JVM's java), e.g. to start and stop a JFR recording. */
    void jcmd(String... args) throws IOException, InterruptedException {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(javaCommand).resolveSibling("jcmd").toString());
        cmd.add(String.valueOf(process.pid()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** Waits for {@code /readyz} (informers synced). */
    void awaitReady(Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the extender exited with " + process.exitValue() + "; log: " + log
                        + "\n" + tail());
            }
            try (KeepAliveConnection c = new KeepAliveConnection("127.0.0.1", port)) {
                if (c.get("/readyz").status() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the extender was not ready within " + patience + "; log: " + log + "\n" + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the reaper runs (or ran) already
        }
        process.destroy();
        if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
