package io.gpuslicer.cli;

import io.gpuslicer.cli.status.ExplainCommand;
import io.gpuslicer.cli.status.StatusCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gpu-slicer} command: one binary for the webhook, the extender, the demo and policy checks. */
@Command(name = "gpu-slicer",
        mixinStandardHelpOptions = true,
        version = "gpu-slicer 0.1.0",
        description = "Places GPU pods on MIG or time-sliced GPU pools: a mutating admission webhook and a scheduler extender.",
        subcommands = {
                ValidatePolicyCommand.class,
                WebhookCommand.class,
                ExtenderCommand.class,
                DemoCommand.class,
                StatusCommand.class,
                ExplainCommand.class,
                SimulateCommand.class,
                CommandLine.HelpCommand.class
        })
public final class GpuSlicer implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new GpuSlicer()).execute(args));
    }
}
