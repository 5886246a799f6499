package io.gpuslicer.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpuslicer.server.EventLoops;
import io.gpuslicer.server.PolicyRejectionEvents;
import io.gpuslicer.server.Shutdown;
import io.gpuslicer.webhook.WebhookConfig;
import io.gpuslicer.webhook.WebhookServer;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code gpu-slicer webhook}: the mutating admission webhook over HTTPS until stopped (SIGTERM).
 * The cluster comes from --kubeconfig, else the in-cluster service account, else none (policy priority
 * values, no namespace labels).
 */
@Command(name = "webhook", mixinStandardHelpOptions = true,
        description = "Run the mutating admission webhook (POST /mutate over HTTPS; /metrics, /healthz, /readyz on the metrics port).")
final class WebhookCommand implements Callable<Integer> {
    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "policy YAML, re-read when it changes")
    File policy;

    @Option(names = "--tls-cert", required = true, paramLabel = "FILE", description = "PEM serving certificate, re-read when it changes")
    File tlsCert;

    @Option(names = "--tls-key", required = true, paramLabel = "FILE", description = "PEM private key, re-read when it changes")
    File tlsKey;

    @Option(names = "--port", defaultValue = "" + WebhookConfig.DEFAULT_PORT, description = "HTTPS port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--metrics-port", defaultValue = "" + WebhookConfig.DEFAULT_METRICS_PORT,
            description = "plain-HTTP port for /metrics, /healthz, /readyz; negative disables it (default: ${DEFAULT-VALUE})")
    int metricsPort;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "address to bind (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "cluster to read namespaces and PriorityClasses from; default: in-cluster config when running in a pod, else none")
    File kubeconfig;

    @Option(names = "--policy-configmap", paramLabel = "NAMESPACE/NAME", converter = Lifecycle.ConfigMapRefConverter.class,
            description = "ConfigMap the policy file is mounted from: a refused policy is reported as a Warning Event on it")
    PolicyRejectionEvents.ConfigMapRef policyConfigMap;

    @Option(names = "--reload-interval-ms", defaultValue = "" + WebhookConfig.DEFAULT_RELOAD_INTERVAL_MS,
            description = "how often the certificate, key and policy files are checked (default: ${DEFAULT-VALUE})")
    long reloadIntervalMs;

    @Override
    public Integer call() throws Exception {
        KubernetesClient client = cluster();
        Vertx vertx = EventLoops.vertx();
        WebhookConfig config = WebhookConfig.of(tlsCert.getPath(), tlsKey.getPath())
                .withPolicy(policy.getPath())
                .withPorts(host, port, metricsPort)
                .withClient(client)
                .withReloadInterval(reloadIntervalMs);
        WebhookServer server;
        try {
            server = WebhookServer.start(vertx, config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            System.err.println("webhook: " + e.getCause().getMessage());
            Lifecycle.closeAll(vertx::close, client);
            return 1;
        }
        if (client != null && policyConfigMap != null) {
            new PolicyRejectionEvents(client, policyConfigMap, "gpu-slicer-webhook", Clock.systemUTC()).attach(server.policy());
        }
        Lifecycle.runUntilStopped("webhook", () -> {
            Shutdown.closeThenStop(vertx, Duration.ofSeconds(10), server.close());
            Lifecycle.closeAll(client);
        });
        return 0;
    }

    /** The webhook can run without a cluster (policy priority values, no namespace labels); the extender cannot. */
    private KubernetesClient cluster() {
        if (kubeconfig != null || System.getenv("KUBERNETES_SERVICE_HOST") != null) {
            return Lifecycle.client(kubeconfig);
        }
        return null;
    }
}
