package io.gpuslicer.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Placeholder until the demo command is implemented. */
@Command(name = "demo", description = "(not implemented yet)")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("demo: not implemented yet");
        return 2;
    }
}
