package io.gpuslicer.cli.status;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code gpu-slicer explain NAMESPACE/POD}: the webhook's decision and, for a pending pod, each node group's verdict. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Why a GPU pod is where it is: the workload type and pools the webhook chose, and for a pending pod every "
                + "node group's verdict from the extender's own filters, in words.",
                "Also a kubectl plugin: kubectl gpu-slicer explain NAMESPACE/POD."})
public final class ExplainCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Parameters(paramLabel = "NAMESPACE/POD", description = "the pod (NAMESPACE/POD, or POD in namespace default)")
    String pod;

    @Override
    public Integer call() {
        int slash = pod.indexOf('/');
        String namespace = slash < 0 ? "default" : pod.substring(0, slash);
        String name = slash < 0 ? pod : pod.substring(slash + 1);
        ClusterState state;
        try {
            state = cluster.read(Clock.systemUTC());
        } catch (ClusterOptions.Problem e) {
            System.err.println("explain: " + e.getMessage());
            return 1;
        }
        if (state.pod(namespace, name) == null) {
            System.err.print("explain: " + ExplainReport.render(state, namespace, name));
            return 1;
        }
        System.out.print(ExplainReport.render(state, namespace, name));
        return 0;
    }
}
