package io.gpuslicer.extender.ledger;

import io.gpuslicer.policy.Pool;

/**
 * One node as the decision core sees it: what it offers, what its pods hold, and the policy pools
 * it belongs to (precomputed when the node or the policy changes, never per request).
 *
 * @param pools the pools whose selector the node matches, in policy order; usually one
 * @param plain no reservation and no nominated pod on the node: every pod sees it as it is. Kept here so that
 *              {@link #asSeenBy} on the thousands of nodes of a request reads nothing but this object
 */
public record NodeState(NodeInventory inventory, NodeUsage usage, Pool[] pools, boolean plain) {
    public NodeState(NodeInventory inventory, NodeUsage usage, Pool[] pools) {
        this(inventory, usage, pools, usage.isPlain());
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
}
