package io.gpuslicer.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * How to run the webhook server.
 *
 * @param policyPath        the policy file, watched for changes; null: the built-in default policy, not watched
 * @param certPath          PEM serving certificate (chain), watched
 * @param keyPath           PEM private key, watched
 * @param host              address to bind
 * @param port              HTTPS port for /mutate, /healthz, /readyz; 0 picks a free port
 * @param metricsPort       plain-HTTP port for /metrics, /healthz, /readyz; 0 picks a free port, negative disables it
 * @param client            the cluster, for namespace labels and PriorityClasses; null runs without a cluster
 * @param reloadIntervalMs  how often the certificate, key and policy files are checked for changes
 */
public record WebhookConfig(String policyPath, String certPath, String keyPath, String host, int port, int metricsPort,
                            KubernetesClient client, long reloadIntervalMs) {
    public static final int DEFAULT_PORT = 8443;
    public static final int DEFAULT_METRICS_PORT = 9090;
    public static final long DEFAULT_RELOAD_INTERVAL_MS = 5_000;

    public static WebhookConfig of(String certPath, String keyPath) {
        return new WebhookConfig(null, certPath, keyPath, "0.0.0.0", DEFAULT_PORT, DEFAULT_METRICS_PORT, null, DEFAULT_RELOAD_INTERVAL_MS);
    }

    public WebhookConfig withPolicy(String path) {
        return new WebhookConfig(path, certPath, keyPath, host, port, metricsPort, client, reloadIntervalMs);
    }

    public WebhookConfig withPorts(String host, int port, int metricsPort) {
        return new WebhookConfig(policyPath, certPath, keyPath, host, port, metricsPort, client, reloadIntervalMs);
    }

    public WebhookConfig withClient(KubernetesClient client) {
        return new WebhookConfig(policyPath, certPath, keyPath, host, port, metricsPort, client, reloadIntervalMs);
    }

    public WebhookConfig withReloadInterval(long millis) {
        return new WebhookConfig(policyPath, certPath, keyPath, host, port, metricsPort, client, millis);
    }
}
