package io.gpuslicer.cli.status;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyError;
import io.gpuslicer.policy.PolicyLoader;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.time.Clock;

/**
 * Where {@code status} and {@code explain} read the cluster: a snapshot file, or a cluster (kubeconfig,
 * else fabric8's auto-configuration: {@code $KUBECONFIG}, {@code ~/.kube/config}, in-cluster — what a
 * kubectl plugin gets).
 */
public final class ClusterOptions {
    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "cluster to read (default: $KUBECONFIG, ~/.kube/config or in-cluster)")
    File kubeconfig;

    @Option(names = "--snapshot", paramLabel = "FILE", description = "read a file instead of a cluster: kubectl get nodes,pods -A -o json")
    java.nio.file.Path snapshot;

    @Option(names = "--demo", description = "read the demo's bundled 10-node cluster (with a few pending pods)")
    boolean demo;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "policy file (default: the policy ConfigMap of a cluster, else the built-in default policy)")
    File policy;

    @Option(names = "--policy-configmap", paramLabel = "NAMESPACE/NAME", defaultValue = "gpu-slicer/gpu-slicer-policy",
            description = "the policy ConfigMap in a cluster (default: ${DEFAULT-VALUE})")
    String policyConfigMap;

    /** A problem with the options or the cluster: printed as one line, exit code 1. */
    static final class Problem extends Exception {
        Problem(String message) {
            super(message);
        }
    }

    ClusterState read(Clock clock) throws Problem {
        if ((kubeconfig != null ? 1 : 0) + (snapshot != null ? 1 : 0) + (demo ? 1 : 0) > 1) {
            throw new Problem("--kubeconfig, --snapshot and --demo exclude each other");
        }
        Policy explicit = policy == null ? null : loadPolicy();
        try {
            if (snapshot != null || demo) {
                return ClusterState.fromSnapshot(snapshot, explicit != null ? explicit : PolicyLoader.defaultPolicy());
            }
        } catch (IOException e) {
            throw new Problem("cannot read the snapshot " + snapshot + ": " + e.getMessage());
        }
        int slash = policyConfigMap.indexOf('/');
        if (slash <= 0) {
            throw new Problem("--policy-configmap: expected NAMESPACE/NAME, got \"" + policyConfigMap + "\"");
        }
        try (KubernetesClient client = kubeconfig != null
                ? new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build()
                : new KubernetesClientBuilder().build()) {
            if (explicit != null) {
                return ClusterState.fromCluster(client, null, null, explicit, clock);
            }
            return ClusterState.fromCluster(client, policyConfigMap.substring(0, slash), policyConfigMap.substring(slash + 1),
                    PolicyLoader.defaultPolicy(), clock);
        } catch (RuntimeException e) {
            throw new Problem("cannot read the cluster: " + e.getMessage());
        }
    }

    private Policy loadPolicy() throws Problem {
        PolicyLoader.Result r = PolicyLoader.load(policy.toPath());
        if (r instanceof PolicyLoader.Loaded loaded) {
            return loaded.policy();
        }
        StringBuilder m = new StringBuilder("the policy " + policy + " is invalid:");
        for (PolicyError e : ((PolicyLoader.Rejected) r).errors()) {
            m.append("\n  ").append(e);
        }
        throw new Problem(m.toString());
    }
}
