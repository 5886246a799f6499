package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.policy.NvidiaKeys;

/**
 * mig-manager is not changing the node's MIG layout: while {@code nvidia.com/mig.config.state} is
 * anything but {@code success} the devices the node reports are about to change (or failed to).
 * It may settle: unschedulable, not unresolvable. Nodes mig-manager does not manage carry no state.
 */
public final class NotReconfiguring implements Filter {
    @Override
    public Status filter(PodInfo pod, NodeState node) {
        if (!isReconfiguring(node)) {
            return Status.SUCCESS;
        }
        return Status.unschedulable(Reason.MIG_RECONFIGURING, new Detail.MigConfigState(node.inventory().migConfigState()));
    }

    /** The rule itself, also for reports (pool status, metrics): a mig-manager state other than success. */
    public static boolean isReconfiguring(NodeState node) {
        String state = node.inventory().migConfigState();
        return state != null && !NvidiaKeys.MIG_CONFIG_STATE_SUCCESS.equals(state);
    }
}
