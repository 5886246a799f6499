package io.gpuslicer.simulator;

import io.fabric8.kubernetes.api.model.Node;
import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.core.WorkloadMix;
import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.Membership;
import io.gpuslicer.extender.ledger.NodeInventories;
import io.gpuslicer.extender.ledger.NodeInventory;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.extender.ledger.NodeUsage;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Consumer;

/**
 * A whole {@code gpu-slicer simulate} run: one cluster, one drawn workload, several strategies replayed
 * on it (in parallel, at most one per core), each from the same initial state.
 */
public final class Simulation {
    public static final List<String> STRATEGIES = List.of("gpu-slicer", "bestfit", "fgd", "random");
    private static final String BUNDLED_POLICY = "/io/gpuslicer/simulator/openb-policy.yaml";

    private Simulation() {
    }

    /** The bundled policy that makes every node of an openb cluster one time-sliced pool. */
    public static Policy bundledPolicy() {
        try (InputStream in = Simulation.class.getResourceAsStream(BUNDLED_POLICY)) {
            PolicyLoader.Result r = PolicyLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (r instanceof PolicyLoader.Loaded loaded) {
                return loaded.policy();
            }
            throw new IllegalStateException("bundled simulate policy is invalid: " + ((PolicyLoader.Rejected) r).summary());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Node states of the trace's nodes, with no pod on them. */
    public static NodeState[] nodesOf(List<OpenbTrace.TraceNode> trace, Policy policy) {
        ClusterObjects objects = new ClusterObjects(policy);
        NodeState[] out = new NodeState[trace.size()];
        for (int i = 0; i < out.length; i++) {
            Node node = objects.node(trace.get(i));
            NodeInventory inv = NodeInventories.of(node);
            out[i] = new NodeState(inv, NodeUsage.EMPTY, Membership.poolsOf(policy, inv.labels()));
        }
        return out;
    }

    /** Node states of a cluster snapshot (a kubectl List loaded into the extender's ledger), pods included. */
    public static NodeState[] nodesOf(LedgerSnapshot snapshot) {
        Collection<NodeState> nodes = snapshot.nodes().values();
        List<NodeState> sorted = new ArrayList<>(nodes);
        sorted.sort(java.util.Comparator.comparing(NodeState::name));
        return sorted.toArray(new NodeState[0]);
    }

    /**
     * The strategy of that name: gpu-slicer uses the policy's scorers with fragmentation against
     * {@code observed}; FGD measures fragmentation against its {@code target} workload.
     */
    public static Strategy strategy(String name, WorkloadMix observed, WorkloadMix target) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "gpu-slicer" -> new GpuSlicerStrategy(Framework.standard(() -> observed));
            case "bestfit" -> new BestFitStrategy();
            case "fgd" -> new FgdStrategy(target);
            case "random" -> new RandomStrategy();
            default -> throw new IllegalArgumentException("unknown strategy " + name + " (known: " + String.join(", ", STRATEGIES) + ")");
        };
    }

    /**
     * Replays {@code arrivals} with each strategy.
     *
     * @param progress called now and then with the number of arrivals each strategy has placed so far
     */
    public static List<Replay.Result> run(Policy policy, NodeState[] nodes, List<Arrival> arrivals, List<String> strategies,
                                          WorkloadMix observed, WorkloadMix target, long seed, TieBreak tieBreak, int threads,
                                          Consumer<int[]> progress) {
        Framework framework = Framework.standard(() -> observed);
        Replay replay = new Replay(policy, framework, nodes);
        AtomicIntegerArray done = new AtomicIntegerArray(strategies.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, strategies.size())));
        try {
            List<Future<Replay.Result>> futures = new ArrayList<>();
            for (int s = 0; s < strategies.size(); s++) {
                int slot = s;
                Strategy strategy = strategy(strategies.get(s), observed, target);
                futures.add(pool.submit(() -> replay.run(strategy, arrivals, seed, tieBreak, placed -> {
                    done.set(slot, placed);
                    if (progress != null && placed % 250 == 0) {
                        int[] snapshot = new int[done.length()];
                        for (int i = 0; i < snapshot.length; i++) {
                            snapshot[i] = done.get(i);
                        }
                        progress.accept(snapshot);
                    }
                })));
            }
            List<Replay.Result> out = new ArrayList<>();
            for (Future<Replay.Result> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
