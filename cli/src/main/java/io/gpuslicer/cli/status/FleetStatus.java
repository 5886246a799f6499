package io.gpuslicer.cli.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.extender.observe.GpuPodView;
import io.gpuslicer.extender.observe.PoolLoad;
import io.gpuslicer.extender.observe.PoolLoads;
import io.gpuslicer.policy.NvidiaKeys;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code gpu-slicer status} shows, computed from one {@link ClusterState}: each pool's load (the
 * extender's own {@link PoolLoads}), the GPU pods waiting for it (by the pool they want first, as the
 * extender's pending gauge counts them), and the MIG nodes being reconfigured.
 */
public record FleetStatus(ClusterState state, List<PoolRow> pools, List<Reconfiguring> reconfiguring, List<GpuPodView> pending) {

    /** @param oldestWait null when nothing waits */
    public record PoolRow(PoolLoad load, int pending, Duration oldestWait) {
    }

    public record Reconfiguring(String node, String pools, String state, String layout) {
    }

    public static FleetStatus of(ClusterState state) {
        List<GpuPodView> pending = new ArrayList<>();
        for (Pod pod : state.pods()) {
            GpuPodView.of(pod, state.policy()).filter(GpuPodView::pending).ifPresent(pending::add);
        }
        pending.sort(Comparator.comparing((GpuPodView v) -> v.created() == null ? state.now() : v.created()).thenComparing(GpuPodView::key));
        Map<String, List<GpuPodView>> byPool = new LinkedHashMap<>();
        for (GpuPodView v : pending) {
            byPool.computeIfAbsent(v.wantedPool(), k -> new ArrayList<>()).add(v);
        }
        List<PoolRow> rows = new ArrayList<>();
        for (PoolLoad load : PoolLoads.of(state.ledger())) {
            List<GpuPodView> waiting = byPool.getOrDefault(load.pool(), List.of());
            rows.add(new PoolRow(load, waiting.size(), waiting.isEmpty() ? null : waitOf(waiting.get(0), state)));
        }
        List<Reconfiguring> settling = new ArrayList<>();
        for (NodeState node : new TreeMap<>(state.ledger().nodes()).values()) {
            if (io.gpuslicer.extender.core.NotReconfiguring.isReconfiguring(node)) {
                List<String> pools = new ArrayList<>();
                for (var p : node.pools()) {
                    pools.add(p.name());
                }
                settling.add(new Reconfiguring(node.name(), pools.isEmpty() ? "-" : String.join(",", pools),
                        node.inventory().migConfigState(), node.inventory().labels().getOrDefault(NvidiaKeys.MIG_CONFIG, "-")));
            }
        }
        return new FleetStatus(state, rows, settling, pending);
    }

    public static Duration waitOf(GpuPodView pod, ClusterState state) {
        return pod.created() == null ? null : Duration.between(pod.created(), state.now());
    }
}
