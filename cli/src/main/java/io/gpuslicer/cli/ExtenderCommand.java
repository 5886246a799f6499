package io.gpuslicer.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpuslicer.extender.ExtenderConfig;
import io.gpuslicer.extender.ExtenderServer;
import io.gpuslicer.extender.ledger.ExtenderClients;
import io.gpuslicer.extender.ledger.InformerLedgerSource;
import io.gpuslicer.extender.ledger.LedgerSource;
import io.gpuslicer.extender.ledger.SnapshotLedgerSource;
import io.gpuslicer.extender.observe.ObservedLedger;
import io.gpuslicer.extender.observe.PlacementEvents;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyError;
import io.gpuslicer.policy.PolicyLoader;
import io.gpuslicer.server.EventLoops;
import io.gpuslicer.server.FileWatcher;
import io.gpuslicer.server.Metrics;
import io.gpuslicer.server.PolicyHolder;
import io.gpuslicer.server.PolicyRejectionEvents;
import io.gpuslicer.server.Shutdown;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code gpu-slicer extender}: the scheduler extender until stopped (SIGTERM). The ledger comes from
 * informers on the cluster (--kubeconfig, else the in-cluster service account) or from a snapshot
 * file (--snapshot, the output of {@code kubectl get nodes,pods -A -o json}). The policy file is
 * re-read when it changes; an invalid one is refused and the running policy kept.
 */
@Command(name = "extender", mixinStandardHelpOptions = true,
        description = "Run the scheduler extender (POST {prefix}/filter, /prioritize, /preempt, /bind; /metrics, /healthz, /readyz).")
final class ExtenderCommand implements Callable<Integer> {
    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "policy YAML, re-read when it changes")
    File policy;

    @ArgGroup(exclusive = true)
    Cluster cluster = new Cluster();

    static final class Cluster {
        @Option(names = "--kubeconfig", paramLabel = "FILE", description = "cluster to watch Nodes and Pods in (default: in-cluster config)")
        File kubeconfig;

        @Option(names = "--snapshot", paramLabel = "FILE",
                description = "serve from a file instead of a cluster: kubectl get nodes,pods -A -o json")
        File snapshot;
    }

    @Option(names = "--port", defaultValue = "" + ExtenderConfig.DEFAULT_PORT, description = "port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "address to bind (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--prefix", defaultValue = ExtenderConfig.DEFAULT_PREFIX,
            description = "URL prefix of the verbs, the urlPrefix path in KubeSchedulerConfiguration (default: ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM serving certificate (with --tls-key: HTTPS, reloaded when it changes)")
    File tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key")
    File tlsKey;

    @Option(names = "--body-limit-mib", defaultValue = "64", description = "request body limit in MiB (default: ${DEFAULT-VALUE})")
    long bodyLimitMib;

    @Option(names = "--policy-configmap", paramLabel = "NAMESPACE/NAME", converter = Lifecycle.ConfigMapRefConverter.class,
            description = "ConfigMap the policy file is mounted from: a refused policy is reported as a Warning Event on it")
    PolicyRejectionEvents.ConfigMapRef policyConfigMap;

    @Option(names = "--placement-events", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "record a Normal Event on each GPU pod the informer sees bound: pool, fallback and why, "
                    + "expected throughput share (default: ${DEFAULT-VALUE}; needs create/patch on events)")
    boolean placementEvents;

    @Option(names = "--placement-events-for", paramLabel = "all|fallbacks", defaultValue = "all",
            converter = PlacementScopeConverter.class,
            description = "which placements get an Event: all, or only pods that did not get their preferred pool "
                    + "(each pod bound by the bind verb carries its pool as the annotation <keyPrefix>/pool; "
                    + "default: ${DEFAULT-VALUE})")
    PlacementEvents.Scope placementEventsFor;

    @Option(names = "--reservation-ttl-seconds", defaultValue = "10",
            description = "how long a pod accepted by the bind verb counts on its node before the informer shows it bound; "
                    + "a little above the scheduler's extender httpTimeout (default: ${DEFAULT-VALUE})")
    long reservationTtlSeconds;

    @Option(names = "--requeue-nudge", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "annotate pending GPU pods when capacity they may use frees, so kube-scheduler retries them at once "
                    + "(needs patch on pods; default: ${DEFAULT-VALUE})")
    boolean requeueNudge;

    @Option(names = "--reload-interval-ms", defaultValue = "5000", description = "how often the policy file is checked (default: ${DEFAULT-VALUE})")
    long reloadIntervalMs;

    @Override
    public Integer call() throws Exception {
        if ((tlsCert == null) != (tlsKey == null)) {
            System.err.println("extender: --tls-cert and --tls-key go together");
            return 2;
        }
        String policyText;
        try {
            policyText = Files.readString(policy.toPath(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("extender: cannot read the policy file " + policy + ": " + e.getMessage());
            return 1;
        }
        PolicyLoader.Result loaded = PolicyLoader.parse(policyText);
        if (loaded instanceof PolicyLoader.Rejected rejected) {
            System.err.printf("extender: %s: %d error(s)%n", policy, rejected.errors().size());
            for (PolicyError e : rejected.errors()) {
                System.err.println("  " + e);
            }
            return 1;
        }
        Policy initial = ((PolicyLoader.Loaded) loaded).policy();
        PrometheusMeterRegistry registry = Metrics.newRegistry();
        // One event loop: kube-scheduler sends every call on one connection, so one loop serves it anyway, and the
        // bind verb's Bindings (the API client below) then go out and come back on that same loop, never handed to
        // another. Large full-Node bodies are decided on worker threads (ExtenderServer), not on the loop.
        Vertx vertx = EventLoops.vertx(1);
        KubernetesClient client = null;
        ExtenderClients clients = null;
        ObservedLedger observed = null;
        LedgerSource source;
        if (cluster.snapshot != null) {
            source = SnapshotLedgerSource.load(cluster.snapshot.toPath(), initial);
        } else {
            // Two API clients (ExtenderClients): Bindings on this Vert.x, the informers and placement Events on their own.
            clients = ExtenderClients.connect(Lifecycle.config(cluster.kubeconfig), vertx);
            client = clients.api();
            // Fleet metrics and placement Events ride on the ledger's own pod informer: no API traffic of their own.
            observed = ObservedLedger.start(client, clients.informers(), initial, registry, placementEvents ? placementEventsFor : null,
                    "gpu-slicer-extender", Clock.systemUTC(), requeueNudge);
            source = observed.source();
        }

        PolicyHolder holder = new PolicyHolder(initial, policy.getPath());
        holder.onApplied(source.store()::setPolicy);
        if (observed != null) {
            holder.onApplied(observed::usePolicy);
        }
        Metrics.bindPolicyReloads(registry, holder);
        if (client != null && policyConfigMap != null) {
            new PolicyRejectionEvents(client, policyConfigMap, "gpu-slicer-extender", Clock.systemUTC())
                    .attach(holder, java.util.concurrent.ForkJoinPool.commonPool());
        }
        FileWatcher policyWatcher = holder.watch(vertx, policy.getPath(), policyText, reloadIntervalMs);

        ExtenderConfig config = new ExtenderConfig(host, port, prefix, bodyLimitMib * 1024 * 1024,
                tlsCert == null ? null : tlsCert.getPath(), tlsKey == null ? null : tlsKey.getPath(),
                Duration.ofSeconds(reservationTtlSeconds));
        ExtenderServer server;
        try {
            server = ExtenderServer.start(vertx, config, source, registry).toCompletionStage().toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            System.err.println("extender: " + e.getCause().getMessage());
            Lifecycle.closeAll(policyWatcher, observed != null ? observed : source, clients, vertx::close);
            return 1;
        }
        ExtenderClients clientsToClose = clients;
        AutoCloseable ledgerToClose = observed != null ? observed : source;
        Lifecycle.runUntilStopped("extender", () -> {
            policyWatcher.close();
            // The servers stop taking requests first; the ledger (informers, queued Events) and the clients close
            // before Vert.x stops.
            Shutdown.closeThenStop(vertx, Duration.ofSeconds(10), () -> Lifecycle.closeAll(ledgerToClose, clientsToClose),
                    server.close());
        });
        return 0;
    }

    /** "all" or "fallbacks", as the help says them. */
    static final class PlacementScopeConverter implements CommandLine.ITypeConverter<PlacementEvents.Scope> {
        @Override
        public PlacementEvents.Scope convert(String value) {
            for (PlacementEvents.Scope scope : PlacementEvents.Scope.values()) {
                if (scope.name().equalsIgnoreCase(value)) {
                    return scope;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not one of: all, fallbacks");
        }
    }
}
