package io.gpuslicer.extender.ledger;

import io.gpuslicer.policy.Pool;

import java.util.Arrays;

/**
 * One node as the decision core sees it: what it offers, what its pods hold, and the policy pools
 * it belongs to (precomputed when the node or the policy changes, never per request). Immutable: the
 * ledger replaces a node's state when anything of it changes, which is what makes {@link #recall} safe.
 * <p>
 * {@code pools}: the pools whose selector the node matches, in policy order; usually one.
 * {@code plain}: no reservation and no nominated pod on the node, so every pod sees it as it is; kept here so
 * that {@link #asSeenBy} on the thousands of nodes of a request reads nothing but this object.
 */
public final class NodeState {
    /** Verdicts remembered per state: a few kinds of pod are pending at a time. */
    public static final int MEMO_SLOTS = 4;

    private final NodeInventory inventory;
    private final NodeUsage usage;
    private final Pool[] pools;
    private final boolean plain;
    /** key0, value0, key1, value1...: replaced whole (copy on write), newest last; racing writers may lose one. */
    private volatile Object[] memo;

    public NodeState(NodeInventory inventory, NodeUsage usage, Pool[] pools) {
        this.inventory = inventory;
        this.usage = usage;
        this.pools = pools;
        this.plain = usage.isPlain();
    }

    public NodeInventory inventory() {
        return inventory;
    }

    public NodeUsage usage() {
        return usage;
    }

    public Pool[] pools() {
        return pools;
    }

    public boolean plain() {
        return plain;
    }

    public String name() {
        return inventory.name();
    }

    /**
     * The node as one pod being scheduled sees it: nominated pods of at least its priority count,
     * the pod itself never does ({@link NodeUsage#asSeenBy}). The same object when nothing differs.
     */
    public NodeState asSeenBy(String uid, int priority) {
        if (plain) {
            return this;
        }
        NodeUsage seen = usage.asSeenBy(uid, priority);
        return seen == usage ? this : new NodeState(inventory, seen, pools);
    }

    /**
     * What the decision core remembered about this very state under {@code key} (compared by identity), or null.
     * A state never changes, so a verdict that depends on nothing but the state and the key stays true for as long
     * as anybody holds the state (kube-scheduler once kept such an equivalence cache and dropped it for the
     * invalidation it needed; here a change is a new state, so there is nothing to invalidate).
     */
    public Object recall(Object key) {
        Object[] m = memo;
        if (m != null) {
            for (int i = m.length - 2; i >= 0; i -= 2) {
                if (m[i] == key) {
                    return m[i + 1];
                }
            }
        }
        return null;
    }

    /** Remembers {@code value} under {@code key} (identity) for {@link #recall}; the oldest of {@link #MEMO_SLOTS} goes. */
    public void remember(Object key, Object value) {
        Object[] m = memo;
        Object[] next;
        if (m == null) {
            next = new Object[]{key, value};
        } else if (m.length < 2 * MEMO_SLOTS) {
            next = Arrays.copyOf(m, m.length + 2);
        } else {
            next = new Object[m.length];
            System.arraycopy(m, 2, next, 0, m.length - 2);
        }
        next[next.length - 2] = key;
        next[next.length - 1] = value;
        memo = next;
    }

    /** Replicas (or MIG-single instances) not held by any pod. */
    public int freeReplicas() {
        return inventory.replicaCapacity() - usage.gpuUnits();
    }

    /** Free MIG instances of {@code profile}, whichever MIG strategy the node uses. */
    public int freeMig(String profile) {
        return inventory.migCapacity(profile) - usedMig(profile);
    }

    public int usedMig(String profile) {
        return switch (inventory.kind()) {
            case MIG_SINGLE -> inventory.migCapacity(profile) > 0 ? usage.gpuUnits() : 0;
            case MIG_MIXED -> usage.migUnits(profile);
            default -> 0;
        };
    }

    @Override
    public String toString() {
        return "NodeState[" + inventory.name() + ", " + usage + ", pools " + Arrays.toString(pools) + "]";
    }
}
