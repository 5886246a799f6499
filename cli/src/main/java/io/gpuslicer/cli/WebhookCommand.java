package io.gpuslicer.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Placeholder until the webhook command is implemented. */
@Command(name = "webhook", description = "(not implemented yet)")
final class WebhookCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("webhook: not implemented yet");
        return 2;
    }
}
