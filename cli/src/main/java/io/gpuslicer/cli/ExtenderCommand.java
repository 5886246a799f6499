package io.gpuslicer.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Placeholder until the extender command is implemented. */
@Command(name = "extender", description = "(not implemented yet)")
final class ExtenderCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("extender: not implemented yet");
        return 2;
    }
}
