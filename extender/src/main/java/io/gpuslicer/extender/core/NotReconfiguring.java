package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.policy.NvidiaKeys;

/**
 * mig-manager is not changing the node's MIG layout: while {@code nvidia.com/mig.config.state} is
 * anything but {@code success} the devices the node reports are about to change (or failed to).
 * {@code pending} and {@code rebooting} settle by themselves: unschedulable. {@code failed} does not
 * (mig-manager waits for a person to fix the layout or the GPU): unresolvable, so preemption does not
 * evict pods for a node that cannot take the pod whatever it frees. Nodes mig-manager does not manage
 * carry no state.
 */
public final class NotReconfiguring implements Filter {
    /** mig-manager's {@code nvidia.com/mig.config.state} after a layout change it could not apply. */
    static final String FAILED = "failed";

    @Override
    public Status filter(PodInfo pod, NodeState node) {
        if (!isReconfiguring(node)) {
            return Status.SUCCESS;
        }
        String state = node.inventory().migConfigState();
        if (FAILED.equals(state)) {
            return Status.unresolvable(Reason.MIG_CONFIG_FAILED, new Detail.MigConfigState(state));
        }
        return Status.unschedulable(Reason.MIG_RECONFIGURING, new Detail.MigConfigState(state));
    }

    /** The rule itself, also for reports (pool status, metrics): a mig-manager state other than success. */
    public static boolean isReconfiguring(NodeState node) {
        String state = node.inventory().migConfigState();
        return state != null && !NvidiaKeys.MIG_CONFIG_STATE_SUCCESS.equals(state);
    }
}
