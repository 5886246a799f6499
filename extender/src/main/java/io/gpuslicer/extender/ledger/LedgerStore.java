package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.Pool;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mutable GPU ledger, written by informer events (or a snapshot file) and read through
 * {@link #snapshot()}. Writers take a lock and replace one node's immutable state
 * (copy-on-write per node); readers get an immutable {@link LedgerSnapshot}, rebuilt at most once
 * per change and only when somebody reads, so an initial list of 150,000 pods does not build
 * 150,000 snapshots. Reads of an unchanged ledger take no lock.
 * <p>
 * <b>Reservations</b> are kube-scheduler's assumed pods, kept here so that filters and scorers see
 * them at once. A pod's life follows the scheduler cache's state machine
 * (pkg/scheduler/backend/cache/interface.go, older releases pkg/scheduler/internal/cache):
 * <pre>
 *   Initial --{@link #reserve}--> Reserved --informer shows it bound here--> Bound ("Added")
 *                                   |--{@link #forget} (the Binding failed)--> Initial ("Forgotten")
 *                                   |--TTL passed ({@link #expireDue})-------> Initial ("Expired")
 *                                   '--informer shows it bound elsewhere, deleted or finished--> dropped
 * </pre>
 * Where a pod is counted follows from what the informer last showed and from its reservation:
 * bound (the informer's {@code spec.nodeName}) wins, then a reservation, then
 * {@code status.nominatedNodeName} (kube-scheduler drops a pod's nomination when it assumes it).
 */
public final class LedgerStore {
    private final Object lock = new Object();
    private final Clock clock;
    private final Map<String, NodeInventory> inventories = new HashMap<>();
    /** Node name -> its pods' usage and node name -> state; snapshots of both are cheap (copy only what changed). */
    private final SnapshotMap<String, NodeUsage> usage = new SnapshotMap<>();
    private final SnapshotMap<String, NodeState> states = new SnapshotMap<>();
    /** The same states by node number: what requests read per node name ({@link NodeTable}). */
    private final NodeRows rows = new NodeRows();
    /** pod UID -> the informer's latest view of a non-terminated GPU pod, pending ones included (the bind verb reserves them). */
    private final Map<String, Seen> seen = new HashMap<>();
    /** pod UID -> its reservation while the binding is in flight. */
    private final Map<String, Reservation> reservations = new HashMap<>();
    /**
     * UIDs of pods this store reserved (this replica's bind verb) whose placement has not been taken yet
     * ({@link #takeReservedHere}): the replica that bound a pod is the one that explains it. Emptied by the taking, a
     * forgotten reservation, a ledger-only binding ({@link #confirm}), or the pod leaving; so it holds about the pods in
     * flight.
     */
    private final Set<String> reservedHere = new HashSet<>();
    /** pod UID -> pods not bound and not reserved (pending, or only nominated): who may be waiting for capacity. */
    private final Map<String, PodUsage> pending = new HashMap<>();
    /** pod UID -> the node it is counted on now. */
    private final Map<String, String> podNodes = new HashMap<>();
    private final Map<List<String>, Pool[]> poolSets = new HashMap<>();
    private Policy policy;
    private PodUsages podUsages;
    /** Written under the lock, read without it: a reader sees whether its cached snapshot is current. */
    private volatile long changes;
    private volatile LedgerSnapshot published;
    /** Epoch millis of the earliest reservation expiry; MAX_VALUE when there is none (reads then skip the clock). */
    private volatile long nextExpiry = Long.MAX_VALUE;

    /** What the informer last showed of a GPU pod: its footprint and where it is bound or nominated (null: neither). */
    private record Seen(PodUsage usage, String boundNode, String nominatedNode) {
    }

    public LedgerStore(Policy policy) {
        this(policy, Clock.systemUTC());
    }

    public LedgerStore(Policy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
        this.podUsages = new PodUsages(policy.vocabulary().decisionAnnotation(), policy.vocabulary().gpuShareKey());
        this.published = LedgerSnapshot.empty(policy);
    }

    public LedgerSnapshot snapshot() {
        if (nextExpiry != Long.MAX_VALUE && clock.millis() >= nextExpiry) {
            expireDue();
        }
        LedgerSnapshot current = published;
        if (current.version() == changes) {
            return current;
        }
        synchronized (lock) {
            if (published.version() != changes) {
                published = new LedgerSnapshot(policy, states.snapshot(), usage.snapshot(), changes, rows.table());
            }
            return published;
        }
    }

    /** The node's state now (reservations included), without building a snapshot: the bind verb's re-check. */
    public NodeState current(String node) {
        if (nextExpiry != Long.MAX_VALUE && clock.millis() >= nextExpiry) {
            expireDue();
        }
        synchronized (lock) {
            return states.get(node);
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
            rows.remove(name);
            changed();
        }
    }

    /**
     * The informer's view of a pod: counted where it is bound, else where it is reserved, else where it
     * is nominated. A bound pod ends its reservation (confirmed when bound where it was reserved, dropped
     * when bound elsewhere); a terminated or non-GPU pod leaves the ledger, reservation included.
     */
    public void upsertPod(Pod pod) {
        String uid = pod.getMetadata() == null ? null : pod.getMetadata().getUid();
        if (uid == null) {
            return;
        }
        PodUsage u = podUsages.of(pod);
        String bound = PodUsages.boundNode(pod);
        synchronized (lock) {
            if (u == null) {
                seen.remove(uid);
                reservations.remove(uid);
                reservedHere.remove(uid);
            } else {
                Seen next = new Seen(u, bound, PodUsages.nominatedNode(pod));
                Seen before = seen.put(uid, next);
                if (bound != null) {
                    reservations.remove(uid);
                }
                if (next.equals(before)) {
                    // Nothing the ledger counts moved (a reservation left behind does not count: bound wins). Most of
                    // a running pod's updates are the kubelet's status: conditions, container states, IPs. Placing
                    // it again would replace its node's state, so the next request would take a new snapshot and
                    // decide that node afresh, for nothing.
                    return;
                }
            }
            // A pending pod that is not nominated changes no node: the published snapshot stays current (and the
            // next request reuses it, with everything derived from it).
            if (place(uid)) {
                changed();
            }
        }
    }

    /** Counts the pod bound on {@code node} whatever its spec says: the demo's and the simulator's bind. */
    public void bind(Pod pod, String node) {
        PodUsage u = podUsages.of(pod);
        synchronized (lock) {
            if (u != null) {
                seen.put(u.uid(), new Seen(u, node, null));
                reservations.remove(u.uid());
                place(u.uid());
                changed();
            }
        }
    }

    /** The pod of {@code uid} is now bound to {@code node} (a ledger-only binding: snapshot source, simulator). */
    public void confirm(String uid, String node) {
        synchronized (lock) {
            // No informer will show this binding, so no observer will take the pod: it is not remembered as reserved here.
            reservedHere.remove(uid);
            Reservation r = reservations.remove(uid);
            Seen s = seen.get(uid);
            PodUsage u = s != null ? s.usage() : r != null ? r.usage() : null;
            if (u != null) {
                seen.put(uid, new Seen(u, node, null));
            }
            place(uid);
            changed();
        }
    }

    public void removePod(String uid) {
        synchronized (lock) {
            seen.remove(uid);
            reservations.remove(uid);
            reservedHere.remove(uid);
            place(uid);
            changed();
        }
    }

    /**
     * Initial → Reserved (kube-scheduler's AssumePod): the pod counts on {@code node} from now on, for
     * every filter and scorer, until the informer shows it bound, it is forgotten, or {@code ttl} passes.
     * The caller has checked that it fits (under its per-node lock). Null when the pod holds no GPU.
     */
    public Reservation reserve(Pod pod, String node, Duration ttl) {
        PodUsage u = podUsages.of(pod);
        if (u == null) {
            return null;
        }
        Reservation r = new Reservation(u.uid(), node, u, clock.millis() + ttl.toMillis());
        synchronized (lock) {
            reservations.put(u.uid(), r);
            reservedHere.add(u.uid());
            seen.putIfAbsent(u.uid(), new Seen(u, null, null));
            place(u.uid());
            nextExpiry = Math.min(nextExpiry, r.expiresAtMillis());
            changed();
        }
        return r;
    }

    /** Reserved → Initial (kube-scheduler's ForgetPod): the binding failed; the pod no longer counts there. */
    public void forget(String uid) {
        synchronized (lock) {
            reservedHere.remove(uid);
            if (reservations.remove(uid) != null) {
                place(uid);
                changed();
            }
        }
    }

    /** Reserved → Initial for every reservation whose TTL has passed (the Binding never showed up). */
    public int expireDue() {
        long now = clock.millis();
        synchronized (lock) {
            int expired = 0;
            long next = Long.MAX_VALUE;
            for (var it = reservations.values().iterator(); it.hasNext(); ) {
                Reservation r = it.next();
                if (r.expiresAtMillis() <= now) {
                    it.remove();
                    place(r.uid());
                    expired++;
                } else {
                    next = Math.min(next, r.expiresAtMillis());
                }
            }
            nextExpiry = next;
            if (expired > 0) {
                changed();
            }
            return expired;
        }
    }

    /**
     * Whether this store reserved the pod (its bind verb bound it, or is binding it) since its placement was last
     * taken; forgets it. Whatever order the informer's handlers run in, the observer that sees the pod bound gets
     * true once on the replica that bound it and false on every other.
     */
    public boolean takeReservedHere(String uid) {
        synchronized (lock) {
            return reservedHere.remove(uid);
        }
    }

    /** The pod's reservation, or null when it has none. */
    public Reservation reservation(String uid) {
        synchronized (lock) {
            return reservations.get(uid);
        }
    }

    /** GPU pods neither bound nor reserved: pending, or nominated after a preemption. */
    public List<PodUsage> pendingPods() {
        synchronized (lock) {
            return new ArrayList<>(pending.values());
        }
    }

    public int reservationCount() {
        synchronized (lock) {
            return reservations.size();
        }
    }

    /**
     * Moves the pod's usage to where it counts now (see the class comment); removes it when nowhere.
     *
     * @return whether a node's usage changed (what a snapshot shows)
     */
    private boolean place(String uid) {
        pending.remove(uid);
        String was = podNodes.remove(uid);
        if (was != null) {
            NodeUsage left = usage.getOrDefault(was, NodeUsage.EMPTY).without(uid);
            if (left.isEmpty()) {
                usage.remove(was);
            } else {
                usage.put(was, left);
            }
            refresh(was);
        }
        Seen s = seen.get(uid);
        Reservation r = reservations.get(uid);
        String node;
        NodeUsage next;
        if (s != null && s.boundNode() != null) {
            node = s.boundNode();
            next = usage.getOrDefault(node, NodeUsage.EMPTY).with(s.usage());
        } else if (r != null) {
            node = r.node();
            next = usage.getOrDefault(node, NodeUsage.EMPTY).withReserved(r.usage());
        } else if (s != null && s.nominatedNode() != null) {
            pending.put(uid, s.usage());
            node = s.nominatedNode();
            next = usage.getOrDefault(node, NodeUsage.EMPTY).withNominated(s.usage());
        } else {
            if (s != null) {
                pending.put(uid, s.usage());
            }
            return was != null;
        }
        podNodes.put(uid, node);
        usage.put(node, next);
        refresh(node);
        return true;
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
        NodeState state = new NodeState(inv, usage.getOrDefault(node, NodeUsage.EMPTY), pools);
        states.put(node, state);
        rows.put(node, state);
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
