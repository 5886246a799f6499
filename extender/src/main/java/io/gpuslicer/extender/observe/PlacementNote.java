package io.gpuslicer.extender.observe;

import io.gpuslicer.extender.core.ContentionCurve;
import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.core.NodeGroups;
import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.extender.ledger.GpuOccupancy;
import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.extender.ledger.NodeUsage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sentence of a placement Event: the pool, whether it is a fallback and why the better pools were
 * refused (their capacity, or the framework's own refusal), and the throughput share the pod can
 * expect from the contention curve. Computed on the ledger without the pod itself, so it reads the
 * same whether the snapshot was taken before the binding (bind verb) or after it (informer).
 */
public final class PlacementNote {
    private PlacementNote() {
    }

    public static String of(Framework framework, PodInfo pod, String nodeName, LedgerSnapshot snapshot) {
        NodeState node = snapshot.node(nodeName);
        if (node == null) {
            return "placed on node " + nodeName + ", which the gpu-slicer ledger does not know";
        }
        int rank = pod.rankOn(node.pools());
        if (rank < 0) {
            return "placed on node " + nodeName + ", outside the pools workload type " + pod.workloadType()
                    + " may use (" + String.join(", ", pod.poolList()) + ")";
        }
        String pool = pod.pools()[rank];
        NodeUsage without = node.usage().without(pod.uid());
        String where = (rank == 0 ? "placed on the preferred pool " : "placed on the fallback pool ") + pool + " (node " + nodeName + ")";
        String what = pod.isMig() ? migShare(pod, node, without) : timeSliceShare(pod, node, without);
        if (rank == 0) {
            return where + "; " + what;
        }
        List<String> why = new ArrayList<>();
        LedgerSnapshot unplaced = withoutPod(snapshot, pod.uid());
        List<NodeGroups.Group> groups = NodeGroups.of(framework, pod, unplaced);
        Map<String, PoolLoad> loads = new java.util.HashMap<>();
        for (PoolLoad l : PoolLoads.of(unplaced)) {
            loads.put(l.pool(), l);
        }
        for (int r = 0; r < rank; r++) {
            why.add(whyNot(pod.pools()[r], pod, groups, loads.get(pod.pools()[r])));
        }
        return String.join("; ", why) + "; " + where + "; " + what;
    }

    /** "a100-research full: 12/12 replicas" when capacity is the reason, else the framework's refusal. */
    static String whyNot(String pool, PodInfo pod, List<NodeGroups.Group> groups, PoolLoad load) {
        if (load == null || load.nodes() == 0) {
            return pool + " has no nodes";
        }
        if (load.free() < pod.units()) {
            return pool + " full: " + load.used() + "/" + load.total() + " " + load.unitText();
        }
        for (NodeGroups.Group g : groups) {
            if (pool.equals(g.pool()) && !g.fits()) {
                return pool + " refused: " + g.status().reason().text() + " (" + g.nodes().size() + " node"
                        + (g.nodes().size() == 1 ? "" : "s") + ")";
            }
        }
        return pool + " had room again when the binding was seen";
    }

    private static String timeSliceShare(PodInfo pod, NodeState node, NodeUsage without) {
        int tenants = GpuOccupancy.sharersPerGpu(without.gpuUnits(), pod.units(), node.inventory().physicalGpus());
        return tenants + (tenants == 1 ? " pod" : " pods") + " per GPU, expected throughput share "
                + shareText(tenants);
    }

    /** The share per tenant count, formatted once: String.format per placement cost more than the note itself. */
    private static final String[] SHARE_TEXT = new String[65];

    static String shareText(int tenants) {
        if (tenants < 0 || tenants >= SHARE_TEXT.length) {
            return String.format(Locale.ROOT, "%.2f", ContentionCurve.share(tenants));
        }
        String text = SHARE_TEXT[tenants];
        if (text == null) {
            // A benign race: every thread formats the same text.
            text = String.format(Locale.ROOT, "%.2f", ContentionCurve.share(tenants));
            SHARE_TEXT[tenants] = text;
        }
        return text;
    }

    private static String migShare(PodInfo pod, NodeState node, NodeUsage without) {
        String profile = pod.migProfile();
        int capacity = node.inventory().migCapacity(profile);
        int used = new NodeState(node.inventory(), without, node.pools()).usedMig(profile) + pod.units();
        return "isolated MIG " + profile + " instance, expected throughput share 1.00 of it; " + used + "/" + capacity
                + " instances of the node in use";
    }

    /** The snapshot as if the pod were not bound anywhere. */
    static LedgerSnapshot withoutPod(LedgerSnapshot snapshot, String uid) {
        Map<String, NodeState> nodes = new java.util.HashMap<>(snapshot.nodes());
        Map<String, NodeUsage> usage = new java.util.HashMap<>(snapshot.usage());
        for (Map.Entry<String, NodeState> e : snapshot.nodes().entrySet()) {
            NodeUsage u = e.getValue().usage();
            if (u.pod(uid) != null) {
                NodeUsage w = u.without(uid);
                nodes.put(e.getKey(), new NodeState(e.getValue().inventory(), w, e.getValue().pools()));
                usage.put(e.getKey(), w);
            }
        }
        return new LedgerSnapshot(snapshot.policy(), nodes, usage, snapshot.version());
    }
}
