package io.gpuslicer.extender;

import io.fabric8.kubernetes.api.model.Node;
import io.gpuslicer.extender.wire.ExtenderArgs;
import io.gpuslicer.extender.wire.ExtenderPreemptionArgs;
import io.gpuslicer.extender.wire.MetaVictims;
import io.gpuslicer.extender.wire.Victims;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a decoded request must satisfy before a verb sees it: the things kube-scheduler always does
 * (pkg/scheduler/extender.go builds ExtenderArgs from its own node list: a Pod, each node once, no null
 * names) and a cap on the node count. A request that breaks one is refused whole with the reason,
 * never half-answered: a duplicate name would be scored twice (the scheduler adds up HostPriority
 * entries per host), a null one cannot be a key of the result's node maps.
 */
final class RequestCheck {
    /**
     * Nodes in one request. Kubernetes is tested up to 5,000 nodes per cluster and kube-scheduler sends at
     * most the cluster's nodes; 4x that leaves room and still bounds the work of one call.
     */
    static final int MAX_NODES = 20_000;

    private RequestCheck() {
    }

    /** The reason the request cannot be answered, or null when it is sound. */
    static String problem(Object args) {
        if (args == null) {
            return "the body is JSON null";
        }
        if (args instanceof ExtenderArgs a) {
            return a.pod() == null ? "ExtenderArgs without a Pod" : nodesProblem(a);
        }
        if (args instanceof ExtenderPreemptionArgs a) {
            return a.pod() == null ? "ExtenderPreemptionArgs without a Pod" : victimsProblem(a);
        }
        return null;
    }

    private static String nodesProblem(ExtenderArgs a) {
        if (a.nodeNames() != null) {
            return namesProblem("NodeNames", a.nodeNames());
        }
        if (a.nodes() == null || a.nodes().getItems() == null) {
            return null;
        }
        List<Node> items = a.nodes().getItems();
        if (items.size() > MAX_NODES) {
            return tooMany("Nodes.items", items.size());
        }
        Set<String> seen = new HashSet<>(items.size() * 2);
        for (int i = 0; i < items.size(); i++) {
            Node n = items.get(i);
            if (n == null || n.getMetadata() == null || n.getMetadata().getName() == null) {
                return "Nodes.items[" + i + "] has no metadata.name";
            }
            if (!seen.add(n.getMetadata().getName())) {
                return twice("Nodes.items", n.getMetadata().getName());
            }
        }
        return null;
    }

    private static String namesProblem(String field, List<String> names) {
        if (names.size() > MAX_NODES) {
            return tooMany(field, names.size());
        }
        // An open-addressed table of the names themselves: one array per request, where a HashSet allocated an entry
        // per name on every filter and prioritize call. The hashes computed here are the Strings' own, cached for the
        // ledger lookups that follow.
        String[] seen = new String[Integer.highestOneBit(Math.max(4, names.size() * 2)) << 1];
        int mask = seen.length - 1;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name == null) {
                return field + "[" + i + "] is null";
            }
            int h = name.hashCode();
            int at = (h ^ (h >>> 16)) & mask;
            while (seen[at] != null) {
                if (seen[at].equals(name)) {
                    return twice(field, name);
                }
                at = (at + 1) & mask;
            }
            seen[at] = name;
        }
        return null;
    }

    private static String victimsProblem(ExtenderPreemptionArgs a) {
        int nodes = size(a.nodeNameToVictims()) + size(a.nodeNameToMetaVictims());
        if (nodes > MAX_NODES) {
            return tooMany("NodeNameToVictims and NodeNameToMetaVictims", nodes);
        }
        if (a.nodeNameToVictims() != null) {
            for (Map.Entry<String, Victims> e : a.nodeNameToVictims().entrySet()) {
                if (e.getValue() == null) {
                    return "NodeNameToVictims." + e.getKey() + " is null";
                }
                if (hasNull(e.getValue().pods())) {
                    return "NodeNameToVictims." + e.getKey() + ".Pods has a null item";
                }
                for (io.fabric8.kubernetes.api.model.Pod p : e.getValue().pods()) {
                    if (p.getMetadata() == null || p.getMetadata().getUid() == null) {
                        // Victims are named by UID in the answer (kube-scheduler looks them up by it).
                        return "NodeNameToVictims." + e.getKey() + ".Pods has a pod without metadata.uid";
                    }
                }
            }
        }
        if (a.nodeNameToMetaVictims() != null) {
            for (Map.Entry<String, MetaVictims> e : a.nodeNameToMetaVictims().entrySet()) {
                if (e.getValue() == null) {
                    return "NodeNameToMetaVictims." + e.getKey() + " is null";
                }
                if (hasNull(e.getValue().pods())) {
                    return "NodeNameToMetaVictims." + e.getKey() + ".Pods has a null item";
                }
                for (io.gpuslicer.extender.wire.MetaPod p : e.getValue().pods()) {
                    if (p.uid() == null) {
                        return "NodeNameToMetaVictims." + e.getKey() + ".Pods has an item without UID";
                    }
                }
            }
        }
        return null;
    }

    /** Not {@code List.contains(null)}: immutable lists throw on it. */
    private static boolean hasNull(List<?> list) {
        for (Object o : list) {
            if (o == null) {
                return true;
            }
        }
        return false;
    }

    private static int size(Map<?, ?> map) {
        return map == null ? 0 : map.size();
    }

    private static String tooMany(String field, int count) {
        return field + " holds " + count + " nodes, over the limit of " + MAX_NODES + " per request";
    }

    private static String twice(String field, String name) {
        return field + " names node \"" + name + "\" more than once";
    }
}
