package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.Pool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutable GPU ledger, written by informer events (or a snapshot file) and read through
 * {@link #snapshot()}. Writers take a lock and replace one node's immutable state
 * (copy-on-write per node); readers get an immutable {@link LedgerSnapshot}, rebuilt at most once
 * per change and only when somebody reads, so an initial list of 150,000 pods does not build
 * 150,000 snapshots. Reads of an unchanged ledger take no lock.
 */
public final class LedgerStore {
    private final Object lock = new Object();
    private final Map<String, NodeInventory> inventories = new HashMap<>();
    private final Map<String, NodeUsage> usage = new HashMap<>();
    private final Map<String, NodeState> states = new HashMap<>();
    /** pod UID -> node it is counted on. */
    private final Map<String, String> podNodes = new HashMap<>();
    private final Map<List<String>, Pool[]> poolSets = new HashMap<>();
    private Policy policy;
    private PodUsages podUsages;
    /** Written under the lock, read without it: a reader sees whether its cached snapshot is current. */
    private volatile long changes;
    private volatile LedgerSnapshot published;

    public LedgerStore(Policy policy) {
        this.policy = policy;
        this.podUsages = new PodUsages(policy.vocabulary().decisionAnnotation(), policy.vocabulary().gpuShareKey());
        this.published = LedgerSnapshot.empty(policy);
    }

    public LedgerSnapshot snapshot() {
        LedgerSnapshot current = published;
        if (current.version() == changes) {
            return current;
        }
        synchronized (lock) {
            if (published.version() != changes) {
                published = new LedgerSnapshot(policy, new HashMap<>(states), new HashMap<>(usage), changes);
            }
            return published;
        }
    }

    /** Pool membership of every node is recomputed: a reloaded policy may name other selectors. */
    public void setPolicy(Policy next) {
        synchronized (lock) {
            if (!next.vocabulary().equals(policy.vocabulary())) {
                podUsages = new PodUsages(next.vocabulary().decisionAnnotation(), next.vocabulary().gpuShareKey());
            }
            policy = next;
            poolSets.clear();
            for (String node : inventories.keySet()) {
                refresh(node, true);
            }
            changed();
        }
    }

    public void upsertNode(Node node) {
        upsertNode(NodeInventories.of(node));
    }

    public void upsertNode(NodeInventory inventory) {
        synchronized (lock) {
            inventories.put(inventory.name(), inventory);
            refresh(inventory.name());
            changed();
        }
    }

    public void removeNode(String name) {
        synchronized (lock) {
            inventories.remove(name);
            states.remove(name);
            changed();
        }
    }

    /** Adds, moves or removes the pod's usage according to its current state (bound, nominated, terminated, non-GPU). */
    public void upsertPod(Pod pod) {
        String uid = pod.getMetadata() == null ? null : pod.getMetadata().getUid();
        if (uid == null) {
            return;
        }
        String node = PodUsages.nodeOf(pod);
        PodUsage u = node == null ? null : podUsages.of(pod);
        synchronized (lock) {
            removePodLocked(uid);
            if (u != null) {
                addPodLocked(u, node);
            }
            changed();
        }
    }

    /** Counts the pod on {@code node} whatever its spec says: the demo's and the simulator's bind. */
    public void bind(Pod pod, String node) {
        PodUsage u = podUsages.of(pod);
        synchronized (lock) {
            if (u != null) {
                removePodLocked(u.uid());
                addPodLocked(u, node);
                changed();
            }
        }
    }

    public void removePod(String uid) {
        synchronized (lock) {
            removePodLocked(uid);
            changed();
        }
    }

    private void addPodLocked(PodUsage u, String node) {
        podNodes.put(u.uid(), node);
        usage.put(node, usage.getOrDefault(node, NodeUsage.EMPTY).with(u));
        refresh(node);
    }

    private void removePodLocked(String uid) {
        String was = podNodes.remove(uid);
        if (was != null) {
            NodeUsage left = usage.getOrDefault(was, NodeUsage.EMPTY).without(uid);
            if (left.podCount() == 0) {
                usage.remove(was);
            } else {
                usage.put(was, left);
            }
            refresh(was);
        }
    }

    private void refresh(String node) {
        refresh(node, false);
    }

    private void refresh(String node, boolean policyChanged) {
        NodeInventory inv = inventories.get(node);
        if (inv == null) {
            return;
        }
        NodeState previous = states.get(node);
        // Membership depends only on labels and policy: pod events reuse it.
        Pool[] pools = !policyChanged && previous != null && previous.inventory() == inv
                ? previous.pools() : intern(Membership.poolsOf(policy, inv.labels()));
        states.put(node, new NodeState(inv, usage.getOrDefault(node, NodeUsage.EMPTY), pools));
    }

    /** Nodes with the same pools share one array: less heap, and per-request memos keyed by it hit. */
    private Pool[] intern(Pool[] pools) {
        List<String> key = new ArrayList<>(pools.length);
        for (Pool p : pools) {
            key.add(p.name());
        }
        return poolSets.computeIfAbsent(key, k -> pools);
    }

    private void changed() {
        changes++;
    }

    public Policy policy() {
        synchronized (lock) {
            return policy;
        }
    }
}
