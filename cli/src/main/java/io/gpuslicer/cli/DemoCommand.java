package io.gpuslicer.cli;

import io.gpuslicer.cli.demo.Demo;
import io.gpuslicer.cli.demo.DemoReport;
import io.gpuslicer.cli.demo.DemoResult;
import io.gpuslicer.cli.demo.DemoServers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * {@code gpu-slicer demo}: the webhook and the extender in one process over a bundled demo cluster,
 * a scripted batch of pods through both, and the placements printed. The work is in
 * {@link io.gpuslicer.cli.demo}; this class parses options, prints, and owns the process lifetime.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start the webhook (HTTPS) and the extender (HTTP) locally over a demo cluster, send a scripted batch "
                + "of pods of every workload type through both, and print where each landed and why.",
                "With --serve the servers keep running for a local cluster to call."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--webhook-port", defaultValue = "0", description = "webhook HTTPS port; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int webhookPort;

    @Option(names = "--extender-port", defaultValue = "0", description = "extender HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int extenderPort;

    @Option(names = "--snapshot", paramLabel = "FILE",
            description = "cluster to schedule on: kubectl get nodes,pods -A -o json (default: the bundled demo cluster)")
    File snapshot;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address both servers bind (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--advertise", defaultValue = "localhost",
            description = "host name a cluster reaches this machine by: in the printed URLs and the webhook certificate (default: ${DEFAULT-VALUE})")
    String advertise;

    @Option(names = "--serve", description = "after the batch, keep both servers up until Ctrl-C and print how to point a cluster at them")
    boolean serve;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        quietLogs();
        DemoServers servers;
        try {
            servers = DemoServers.start(new DemoServers.Options(host, advertise, webhookPort, extenderPort,
                    snapshot == null ? null : snapshot.toPath()));
        } catch (DemoServers.StartException e) {
            System.err.println("demo: " + e.getMessage());
            return 1;
        }
        try {
            out.println(DemoReport.endpoints(servers.webhookUrl(), "http://" + servers.localHost() + ":" + servers.webhookMetricsPort() + "/metrics",
                    servers.extenderUrlPrefix(), snapshot == null ? "bundled demo-cluster.json" : snapshot.getPath()));
            DemoResult result = new Demo(servers).runScript();
            out.print(DemoReport.render(result));
            if (serve) {
                out.print(DemoReport.serveInstructions(servers.webhookUrl(), servers.extenderUrlPrefix(), servers.caPem()));
                out.flush();
                Lifecycle.runUntilStopped("demo", servers::close);
                return 0;
            }
        } catch (Exception e) {
            System.err.println("demo: " + e.getMessage());
            servers.close();
            return 1;
        }
        servers.close();
        return 0;
    }

    /**
     * Only warnings during the demo: the servers' start-up lines would break the table. slf4j-simple reads
     * these properties when the first logger is made, which is after this in a fresh {@code gpu-slicer demo}.
     */
    private static void quietLogs() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
}
