package io.gpuslicer.cli.status;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code gpu-slicer status}: every pool with capacity, use, pending pods and the oldest wait; MIG nodes reconfiguring. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"One screen per cluster: every GPU pool with its nodes, capacity, used, free, pending pods and the oldest wait; "
                + "MIG nodes being reconfigured; pending GPU pods oldest first.",
                "Also a kubectl plugin: kubectl gpu-slicer status."})
public final class StatusCommand implements Callable<Integer> {
    /** Clears the screen and homes the cursor (ANSI), as watch(1) redraws. */
    static final String CLEAR = "\033[H\033[2J";

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(names = {"-w", "--watch"}, description = "redraw every --interval seconds until Ctrl-C")
    boolean watch;

    @Option(names = "--interval", defaultValue = "5", description = "seconds between redraws with --watch (default: ${DEFAULT-VALUE})")
    long intervalSeconds;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (!watch) {
            return once(out, System.err);
        }
        return watch(out, System.err, Duration.ofSeconds(Math.max(1, intervalSeconds)), Long.MAX_VALUE);
    }

    int once(PrintStream out, PrintStream err) {
        try {
            out.print(StatusReport.render(FleetStatus.of(cluster.read(Clock.systemUTC()))));
            return 0;
        } catch (ClusterOptions.Problem e) {
            err.println("status: " + e.getMessage());
            return 1;
        }
    }

    /** Redraws {@code times} times (a cluster that cannot be read is reported on the screen and retried). */
    int watch(PrintStream out, PrintStream err, Duration interval, long times) throws InterruptedException {
        for (long i = 0; i < times; i++) {
            if (i > 0) {
                Thread.sleep(interval.toMillis());
            }
            out.print(CLEAR);
            String text;
            try {
                text = StatusReport.render(FleetStatus.of(cluster.read(Clock.systemUTC())));
            } catch (ClusterOptions.Problem e) {
                text = "status: " + e.getMessage() + " (retrying)\n";
            }
            out.print(text);
            out.printf("%nevery %ds, Ctrl-C to stop%n", interval.getSeconds());
            out.flush();
        }
        return 0;
    }
}
