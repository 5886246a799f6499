package io.gpuslicer.cli;

import io.gpuslicer.extender.core.WorkloadMix;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.extender.ledger.SnapshotLedgerSource;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import io.gpuslicer.simulator.Arrival;
import io.gpuslicer.simulator.ClusterObjects;
import io.gpuslicer.simulator.OpenbTrace;
import io.gpuslicer.simulator.Replay;
import io.gpuslicer.simulator.Simulation;
import io.gpuslicer.simulator.SimulationReport;
import io.gpuslicer.simulator.TieBreak;
import io.gpuslicer.simulator.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code gpu-slicer simulate}: replays a trace through the extender's decision core (and baselines) and
 * writes summary.json, curve.csv and chart.svg.
 */
@Command(name = "simulate", description = {
        "Replay a trace (openb format) through gpu-slicer's filters and scorers and the FGD paper's baselines;",
        "write summary.json, curve.csv and chart.svg to --out."})
final class SimulateCommand implements Callable<Integer> {
    static final Path DEFAULT_DATA = Path.of("..", "shared", "data", "openb");

    @Option(names = "--nodes", paramLabel = "CSV", description = "node list: sn,cpu_milli,memory_mib,gpu,model (default: ${DEFAULT-VALUE})")
    Path nodes = DEFAULT_DATA.resolve("openb_node_list_gpu_node.csv");

    @Option(names = "--pods", paramLabel = "CSV", description = "task list: name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,... (default: ${DEFAULT-VALUE})")
    Path pods = DEFAULT_DATA.resolve("openb_pod_list_default.csv");

    @Option(names = "--snapshot", paramLabel = "FILE", description = "start from this cluster instead of --nodes: kubectl get nodes,pods -A -o json")
    Path snapshot;

    @Option(names = "--policy", paramLabel = "FILE", description = "policy (default: bundled, every openb node one time-sliced pool)")
    Path policyFile;

    @Option(names = "--seed", description = "shuffle seed (default: ${DEFAULT-VALUE})")
    long seed = 42;

    @Option(names = "--inflate", description = "arrivals until GPU demand reaches this × the cluster's GPUs (default: ${DEFAULT-VALUE})")
    double inflate = 1.3;

    @Option(names = "--strategy", paramLabel = "NAME", description = "gpu-slicer, bestfit, fgd, random; repeatable (default: all four)")
    List<String> strategies = new ArrayList<>();

    @Option(names = "--tie-break", paramLabel = "ordered|random", description = "among equal scores: first in a seeded node order, as the FGD authors' simulator (default), or at random, as kube-scheduler")
    String tieBreak = "ordered";

    @Option(names = "--threads", description = "strategies replayed at once (default: cores, at most 2)")
    int threads = Math.min(2, Runtime.getRuntime().availableProcessors());

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out = Path.of("simulate-out");

    @Override
    public Integer call() throws Exception {
        return run(System.out, System.err);
    }

    int run(PrintStream stdout, PrintStream stderr) throws Exception {
        Policy policy;
        if (policyFile == null) {
            policy = Simulation.bundledPolicy();
        } else if (PolicyLoader.load(policyFile) instanceof PolicyLoader.Loaded loaded) {
            policy = loaded.policy();
        } else {
            return ValidatePolicyCommand.validate(policyFile, stdout, stderr);
        }
        List<String> chosen = strategies.isEmpty() ? Simulation.STRATEGIES : strategies;
        for (String s : chosen) {
            if (!Simulation.STRATEGIES.contains(s.toLowerCase(Locale.ROOT))) {
                stderr.println("unknown strategy " + s + " (known: " + String.join(", ", Simulation.STRATEGIES) + ")");
                return 2;
            }
        }
        TieBreak ties;
        try {
            ties = TieBreak.valueOf(tieBreak.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            stderr.println("--tie-break must be ordered or random");
            return 2;
        }
        List<OpenbTrace.TraceTask> tasks;
        NodeState[] cluster;
        try {
            tasks = OpenbTrace.tasks(pods);
            cluster = snapshot != null ? Simulation.nodesOf(SnapshotLedgerSource.load(snapshot, policy).snapshot())
                    : Simulation.nodesOf(OpenbTrace.nodes(nodes), policy);
        } catch (RuntimeException | java.io.IOException e) {
            stderr.println("simulate: " + e.getMessage());
            return 1;
        }
        long clusterMilli = 0;
        for (NodeState n : cluster) {
            clusterMilli += n.inventory().kind().servesShared() ? n.inventory().physicalGpus() * 1000L : 0;
        }
        if (clusterMilli == 0) {
            stderr.println("simulate: the cluster has no time-sliced or whole GPU");
            return 1;
        }
        List<Arrival> arrivals = Workload.draw(tasks, clusterMilli, inflate, seed, new ClusterObjects(policy), policy);
        WorkloadMix observed = Workload.observedMix(tasks);
        WorkloadMix target = Workload.targetMix(tasks);
        stdout.printf(Locale.ROOT, "Replaying %s on %d nodes (%.0f GPUs): %d tasks, seed %d, arrivals to %.0f%% of the GPUs, ties %s%n",
                pods.getFileName(), cluster.length, clusterMilli / 1000.0, arrivals.size(), seed, inflate * 100,
                ties.name().toLowerCase(Locale.ROOT));
        long start = System.nanoTime();
        List<Replay.Result> results = Simulation.run(policy, cluster, arrivals, chosen, observed, target, seed, ties, threads,
                done -> progress(stderr, chosen, done, arrivals.size()));
        stderr.print("\r" + " ".repeat(100) + "\r");
        SimulationReport report = new SimulationReport(pods.getFileName().toString(), cluster.length, clusterMilli, seed, inflate,
                arrivals, results);
        report.write(out);
        report.printTable(stdout);
        stdout.printf(Locale.ROOT, "%d strategies in %.1f s; wrote %s, %s, %s%n", results.size(), (System.nanoTime() - start) / 1e9,
                out.resolve("summary.json"), out.resolve("curve.csv"), out.resolve("chart.svg"));
        return 0;
    }

    private static synchronized void progress(PrintStream err, List<String> names, int[] done, int total) {
        StringBuilder sb = new StringBuilder("\r  ");
        for (int i = 0; i < names.size(); i++) {
            sb.append(names.get(i)).append(' ').append(100 * done[i] / Math.max(1, total)).append("%  ");
        }
        err.print(sb);
        err.flush();
    }
}
