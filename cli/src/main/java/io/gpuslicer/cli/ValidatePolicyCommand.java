package io.gpuslicer.cli;

import io.gpuslicer.policy.PolicyError;
import io.gpuslicer.policy.PolicyLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code gpu-slicer validate-policy FILE}: prints every error and exits 1 when there is any. */
@Command(name = "validate-policy", description = "Check a policy file; print every error, exit non-zero if there is any.")
final class ValidatePolicyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the policy YAML file")
    Path file;

    @Override
    public Integer call() {
        return validate(file, System.out, System.err);
    }

    static int validate(Path file, PrintStream out, PrintStream err) {
        PolicyLoader.Result result = PolicyLoader.load(file);
        if (result instanceof PolicyLoader.Loaded loaded) {
            out.printf("%s: valid (version %s, %d pools, %d workload types)%n", file, loaded.policy().version(),
                    loaded.policy().pools().size(), loaded.policy().workloadTypes().size());
            return 0;
        }
        PolicyLoader.Rejected rejected = (PolicyLoader.Rejected) result;
        err.printf("%s: %d error(s)%n", file, rejected.errors().size());
        for (PolicyError e : rejected.errors()) {
            err.println("  " + e);
        }
        return 1;
    }
}
