package io.gpuslicer.cli.status;

import io.gpuslicer.extender.observe.GpuPodView;
import io.gpuslicer.extender.observe.PoolLoad;

/** {@code gpu-slicer status} as text: one screen per cluster. */
public final class StatusReport {
    private StatusReport() {
    }

    public static String render(FleetStatus status) {
        ClusterState state = status.state();
        StringBuilder out = new StringBuilder();
        out.append("gpu-slicer status: ").append(state.source()).append(", ").append(state.ledger().nodes().size())
                .append(" nodes, policy ").append(state.policy().version()).append(", at ").append(state.now()).append("\n\n");
        TextTable pools = new TextTable("POOL", "KIND", "NODES", "CAPACITY", "USED", "FREE", "PENDING", "OLDEST WAIT", "");
        for (FleetStatus.PoolRow row : status.pools()) {
            PoolLoad l = row.load();
            String note = l.freeReconfiguring() > 0 ? l.unitText() + " (" + l.freeReconfiguring() + " free on nodes being reconfigured)"
                    : l.unitText();
            pools.row(l.pool(), l.isMig() ? "MIG " + l.migProfile() : "time-slicing", String.valueOf(l.nodes()),
                    String.valueOf(l.total()), String.valueOf(l.used()), String.valueOf(l.free()), String.valueOf(row.pending()),
                    Durations.age(row.oldestWait()), note);
        }
        pools.appendTo(out);
        out.append('\n');
        if (status.reconfiguring().isEmpty()) {
            out.append("No MIG node is being reconfigured.\n");
        } else {
            out.append("MIG nodes being reconfigured (no new pods until nvidia.com/mig.config.state=success):\n\n");
            TextTable nodes = new TextTable("NODE", "POOL", "STATE", "LAYOUT");
            status.reconfiguring().forEach(r -> nodes.row(r.node(), r.pools(), r.state(), r.layout()));
            nodes.appendTo(out);
        }
        out.append('\n');
        if (status.pending().isEmpty()) {
            out.append("No GPU pod is pending.\n");
        } else {
            out.append("Pending GPU pods, oldest first (why: gpu-slicer explain NAMESPACE/POD):\n\n");
            TextTable pending = new TextTable("POD", "WORKLOAD TYPE", "WANTS", "WAITING");
            for (GpuPodView v : status.pending()) {
                pending.row(v.key(), v.workloadType(), String.join(" > ", v.info().poolList()),
                        Durations.age(FleetStatus.waitOf(v, state)));
            }
            pending.appendTo(out);
        }
        return out.toString();
    }
}
