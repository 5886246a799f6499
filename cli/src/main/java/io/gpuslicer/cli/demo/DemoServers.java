package io.gpuslicer.cli.demo;

import io.gpuslicer.extender.ExtenderConfig;
import io.gpuslicer.extender.ExtenderServer;
import io.gpuslicer.extender.ledger.SnapshotLedgerSource;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import io.gpuslicer.server.Shutdown;
import io.gpuslicer.server.tls.CertificateAuthority;
import io.gpuslicer.webhook.WebhookConfig;
import io.gpuslicer.webhook.WebhookServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The webhook (HTTPS, serving certificate from a throw-away CA) and the extender (HTTP, ledger from a
 * cluster snapshot) in one Vert.x, with the default policy written to a temporary file. Closing stops
 * both servers and Vert.x and deletes the temporary files, so the JVM can exit.
 */
public final class DemoServers implements AutoCloseable {
    static final String BUNDLED_CLUSTER = "/io/gpuslicer/cli/demo/demo-cluster.json";
    private static final long START_TIMEOUT_SECONDS = 60;

    /**
     * @param host          address both servers bind
     * @param advertise     name a cluster reaches them by: in the printed URLs and the certificate
     * @param webhookPort   0: any free port
     * @param extenderPort  0: any free port
     * @param snapshot      {@code kubectl get nodes,pods -A -o json} output; null: the bundled demo cluster
     */
    public record Options(String host, String advertise, int webhookPort, int extenderPort, Path snapshot) {
        public static Options defaults() {
            return new Options("127.0.0.1", "localhost", 0, 0, null);
        }
    }

    /** A server could not start (port in use, unreadable snapshot ...): the message says which and why. */
    public static final class StartException extends Exception {
        StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Options options;
    private final Path dir;
    private final Vertx vertx;
    private final Policy policy;
    private final SnapshotLedgerSource ledger;
    private final String caPem;
    private WebhookServer webhook;
    private ExtenderServer extender;

    private DemoServers(Options options, Path dir, Vertx vertx, Policy policy, SnapshotLedgerSource ledger, String caPem) {
        this.options = options;
        this.dir = dir;
        this.vertx = vertx;
        this.policy = policy;
        this.ledger = ledger;
        this.caPem = caPem;
    }

    public static DemoServers start(Options options) throws StartException {
        Policy policy = PolicyLoader.defaultPolicy();
        SnapshotLedgerSource ledger = loadLedger(options.snapshot(), policy);
        Path dir;
        CertificateAuthority.Issued issued;
        try {
            dir = Files.createTempDirectory("gpu-slicer-demo-");
            CertificateAuthority ca = CertificateAuthority.create("gpu-slicer-demo-ca", Duration.ofDays(1));
            issued = ca.issue("gpu-slicer-webhook", subjectAltNames(options), Duration.ofDays(1));
            Files.writeString(dir.resolve("tls.crt"), issued.certificatePem());
            Files.writeString(dir.resolve("tls.key"), issued.privateKeyPem());
            Files.writeString(dir.resolve("policy.yaml"), PolicyLoader.defaultPolicyText());
        } catch (IOException e) {
            throw new StartException("cannot write the demo's certificate and policy to a temporary directory: " + e.getMessage(), e);
        }
        DemoServers servers = new DemoServers(options, dir, Vertx.vertx(), policy, ledger, issued.caPem());
        try {
            servers.webhook = await("the webhook", options.host(), options.webhookPort(), WebhookServer.start(servers.vertx,
                    WebhookConfig.of(dir.resolve("tls.crt").toString(), dir.resolve("tls.key").toString())
                            .withPolicy(dir.resolve("policy.yaml").toString())
                            .withPorts(options.host(), options.webhookPort(), 0)));
            servers.extender = await("the extender", options.host(), options.extenderPort(), ExtenderServer.start(servers.vertx,
                    new ExtenderConfig(options.host(), options.extenderPort(), ExtenderConfig.DEFAULT_PREFIX,
                            ExtenderConfig.DEFAULT_BODY_LIMIT, null, null), ledger));
        } catch (StartException e) {
            servers.close();
            throw e;
        }
        return servers;
    }

    private static SnapshotLedgerSource loadLedger(Path snapshot, Policy policy) throws StartException {
        try {
            if (snapshot != null) {
                return SnapshotLedgerSource.load(snapshot, policy);
            }
            try (InputStream in = DemoServers.class.getResourceAsStream(BUNDLED_CLUSTER)) {
                if (in == null) {
                    throw new IOException("the bundled demo cluster " + BUNDLED_CLUSTER + " is missing from the jar");
                }
                return SnapshotLedgerSource.load(in, policy);
            }
        } catch (IOException | RuntimeException e) {
            throw new StartException("cannot read the cluster snapshot " + (snapshot == null ? BUNDLED_CLUSTER : snapshot)
                    + ": " + e.getMessage(), e);
        }
    }

    private static List<String> subjectAltNames(Options options) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
        names.add(options.advertise());
        if (!"0.0.0.0".equals(options.host())) {
            names.add(options.host());
        }
        return new ArrayList<>(names);
    }

    private static <T> T await(String what, String host, int port, Future<T> starting) throws StartException {
        try {
            return starting.toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new StartException(what + " cannot start on " + host + ":" + port + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new StartException(what + " did not start within " + START_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartException("interrupted while starting " + what, e);
        }
    }

    public Vertx vertx() {
        return vertx;
    }

    public Policy policy() {
        return policy;
    }

    public SnapshotLedgerSource ledger() {
        return ledger;
    }

    public String caPem() {
        return caPem;
    }

    public Options options() {
        return options;
    }

    /** Where this process reaches the servers (the bind address, or loopback when bound to every interface). */
    public String localHost() {
        return "0.0.0.0".equals(options.host()) ? "127.0.0.1" : options.host();
    }

    public int webhookPort() {
        return webhook.actualPort();
    }

    public int webhookMetricsPort() {
        return webhook.metricsPort();
    }

    public int extenderPort() {
        return extender.actualPort();
    }

    public String webhookUrl() {
        return "https://" + options.advertise() + ":" + webhookPort() + "/mutate";
    }

    public String extenderUrlPrefix() {
        return "http://" + options.advertise() + ":" + extenderPort() + ExtenderConfig.DEFAULT_PREFIX;
    }

    @Override
    public void close() {
        try {
            Shutdown.closeThenStop(vertx, Duration.ofSeconds(30),
                    webhook == null ? Future.succeededFuture() : webhook.close(),
                    extender == null ? Future.succeededFuture() : extender.close());
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A temporary directory left behind is harmless.
        }
    }
}
