package io.gpuslicer.extender.observe;

import io.gpuslicer.extender.core.ContentionCurve;
import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.core.NodeGroups;
import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.extender.ledger.GpuOccupancy;
import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.extender.ledger.NodeTable;
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
        NodeState[] unplaced = unplaced(snapshot, pod, rank, nodeName);
        // The filters' verdicts, grouped, are read only for a better pool that had room: a full pool is explained by
        // its load alone (the usual fallback), and grouping sorts every node of the better pools.
        List<NodeGroups.Group> groups = null;
        for (int r = 0; r < rank; r++) {
            PoolLoad load = loadOf(snapshot, pod.pools()[r], unplaced);
            if (groups == null && explainedByLoad(pod, load) == null) {
                groups = NodeGroups.of(framework, pod, snapshotOf(snapshot, unplaced));
            }
            why.add(whyNot(pod.pools()[r], pod, groups, load));
        }
        return String.join("; ", why) + "; " + where + "; " + what;
    }

    /**
     * "a100-research full: 12/12 replicas" when capacity is the reason, else the framework's refusal.
     *
     * @param groups the better pools' nodes grouped by verdict; read only when the pool's load does not explain it
     */
    static String whyNot(String pool, PodInfo pod, List<NodeGroups.Group> groups, PoolLoad load) {
        String byLoad = explainedByLoad(pod, load);
        if (byLoad != null) {
            return pool + byLoad;
        }
        for (NodeGroups.Group g : groups) {
            if (pool.equals(g.pool()) && !g.fits()) {
                return pool + " refused: " + g.status().reason().text() + " (" + g.nodes().size() + " node"
                        + (g.nodes().size() == 1 ? "" : "s") + ")";
            }
        }
        return pool + " had room again when the binding was seen";
    }

    /** " has no nodes" or " full: 12/12 replicas" when the pool's load explains why the pod is not there, else null. */
    private static String explainedByLoad(PodInfo pod, PoolLoad load) {
        if (load == null || load.nodes() == 0) {
            return " has no nodes";
        }
        if (load.free() < pod.units()) {
            return " full: " + load.used() + "/" + load.total() + " " + load.unitText();
        }
        return null;
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

    /**
     * What explains a fallback: the snapshot's nodes in the pod's pools ranked before {@code rank} (and their pods), as
     * if the pod were not bound anywhere. The groups and loads of those pools are what they are on the whole snapshot:
     * a node of such a pool is grouped under its best pool for the pod, which ranks before {@code rank} too, and a
     * pool's load is its own nodes'. The node placed on serves the pod at {@code rank}, so it is not among them; the
     * pod, counted on one node at most (where bound, else reserved, else nominated: {@code LedgerStore}), is looked for
     * among them only when it is not there. Copying and grouping the whole cluster, and looking through every node's
     * pods, cost 20 ms per explained fallback at 5,000 nodes (ExtenderBench, "stream, fallbacks explained"), on the
     * informer's thread; walking every node for the better pools' ones, a third of the rest.
     */
    static LedgerSnapshot passedOver(LedgerSnapshot snapshot, PodInfo pod, int rank, String placedOn) {
        return snapshotOf(snapshot, unplaced(snapshot, pod, rank, placedOn));
    }

    /** {@link #passedOver}'s nodes by the snapshot's numbers ({@link NodeTable}); null for the nodes of no better pool. */
    private static NodeState[] unplaced(LedgerSnapshot snapshot, PodInfo pod, int rank, String placedOn) {
        NodeTable table = snapshot.table();
        NodeState[] nodes = new NodeState[table.index().size()];
        NodeState placed = snapshot.node(placedOn);
        boolean elsewhere = placed == null || placed.usage().pod(pod.uid()) == null;
        for (int r = 0; r < rank; r++) {
            for (int i : table.members(pod.pools()[r])) {
                if (nodes[i] == null) {
                    NodeState node = table.state(i);
                    nodes[i] = elsewhere && node.usage().pod(pod.uid()) != null ? without(node, pod.uid()) : node;
                }
            }
        }
        return nodes;
    }

    /** The load of a pool ranked before the fallback, on its nodes as {@link #unplaced} left them. */
    private static PoolLoad loadOf(LedgerSnapshot snapshot, String pool, NodeState[] unplaced) {
        int[] members = snapshot.table().members(pool);
        List<NodeState> nodes = new ArrayList<>(members.length);
        for (int i : members) {
            nodes.add(unplaced[i]);
        }
        return PoolLoads.of(snapshot.policy().pools().get(pool), nodes);
    }

    private static LedgerSnapshot snapshotOf(LedgerSnapshot snapshot, NodeState[] unplaced) {
        Map<String, NodeState> nodes = new java.util.HashMap<>();
        Map<String, NodeUsage> usage = new java.util.HashMap<>();
        for (NodeState node : unplaced) {
            if (node != null) {
                nodes.put(node.name(), node);
                usage.put(node.name(), node.usage());
            }
        }
        return new LedgerSnapshot(snapshot.policy(), nodes, usage, snapshot.version());
    }

    private static NodeState without(NodeState node, String uid) {
        return new NodeState(node.inventory(), node.usage().without(uid), node.pools());
    }
}
