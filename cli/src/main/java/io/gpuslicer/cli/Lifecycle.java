package io.gpuslicer.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.gpuslicer.server.PolicyRejectionEvents;
import picocli.CommandLine;

import java.io.File;
import java.util.concurrent.CountDownLatch;

/** What the long-running commands share: the cluster they talk to, and running until the process is told to stop. */
final class Lifecycle {
    private Lifecycle() {
    }

    /** {@code --kubeconfig} when given, else fabric8's auto-configuration (in-cluster service account, or ~/.kube/config). */
    static KubernetesClient client(File kubeconfig) {
        return client(kubeconfig, new KubernetesClientBuilder());
    }

    /** As {@link #client(File)}, from a builder the caller has set up (its HTTP client factory, its serialization). */
    static KubernetesClient client(File kubeconfig, KubernetesClientBuilder builder) {
        return (kubeconfig != null ? builder.withConfig(Config.fromKubeconfig(kubeconfig)) : builder).build();
    }

    /** The kubeconfig's cluster and credentials, else fabric8's own discovery (in-cluster service account, ~/.kube/config). */
    static Config config(File kubeconfig) {
        return kubeconfig != null ? Config.fromKubeconfig(kubeconfig) : Config.autoConfigure(null);
    }

    /**
     * Blocks until SIGTERM or SIGINT. The shutdown hook runs {@code shutdown}, which must close the
     * servers, Vert.x and the client, before the JVM exits.
     */
    static void runUntilStopped(String name, Runnable shutdown) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                shutdown.run();
            } finally {
                stopped.countDown();
            }
        }, name + "-shutdown"));
        stopped.await();
    }

    /** Closes each resource that is not null, in order; one failing does not keep the others open. */
    static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable r : resources) {
            if (r == null) {
                continue;
            }
            try {
                r.close();
            } catch (Exception e) {
                System.err.println("while closing " + r.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    /** {@code --policy-configmap NAMESPACE/NAME}: a malformed value is a usage error before anything starts. */
    static final class ConfigMapRefConverter implements CommandLine.ITypeConverter<PolicyRejectionEvents.ConfigMapRef> {
        @Override
        public PolicyRejectionEvents.ConfigMapRef convert(String value) {
            try {
                return PolicyRejectionEvents.ConfigMapRef.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
