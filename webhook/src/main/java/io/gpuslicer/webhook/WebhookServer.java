package io.gpuslicer.webhook;

import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import io.gpuslicer.server.EventLoops;
import io.gpuslicer.server.FileWatcher;
import io.gpuslicer.server.HttpJson;
import io.gpuslicer.server.ManagementRoutes;
import io.gpuslicer.server.Metrics;
import io.gpuslicer.server.PolicyHolder;
import io.gpuslicer.server.RuntimeMetrics;
import io.gpuslicer.server.SlowClients;
import io.gpuslicer.server.Tls;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The webhook over HTTPS: {@code POST /mutate} (AdmissionReview v1), {@code /healthz}, {@code /readyz};
 * and on a plain-HTTP management port {@code /metrics}, {@code /healthz}, {@code /readyz}.
 * The certificate, key and policy files are re-read when they change, without a restart.
 * The mutation is CPU-only (no I/O, no locks), so it runs on the event loop.
 */
public final class WebhookServer {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

    /**
     * Request body limit: the API server's object limit is 3 MiB (etcd's 1.5 MiB request limit is lower
     * still), plus the AdmissionReview envelope; 4 MiB leaves room and bounds memory per request.
     */
    public static final long BODY_LIMIT_BYTES = 4L * 1024 * 1024;
    /** Longer than Go's default idle-connection timeout (90 s), so the API server closes first, never racing us. */
    static final int IDLE_TIMEOUT_SECONDS = 120;

    private final Vertx vertx;
    private final PolicyHolder policy;
    private final ClusterCache cluster;
    private final PrometheusMeterRegistry registry;
    private final WebhookMetrics metrics;
    private final AdmissionHandler handler;
    private final List<FileWatcher> watchers = new ArrayList<>();
    private final RuntimeMetrics runtime;
    private HttpServer https;
    private HttpServer management;

    private WebhookServer(Vertx vertx, PolicyHolder policy, ClusterCache cluster, PrometheusMeterRegistry registry) {
        this.vertx = vertx;
        this.policy = policy;
        this.cluster = cluster;
        this.registry = registry;
        this.runtime = RuntimeMetrics.bind(registry);
        this.metrics = new MicrometerWebhookMetrics(registry);
        this.handler = new AdmissionHandler(policy::current, cluster, cluster);
    }

    /**
     * Loads the policy and the certificate (blocking file reads: call it at start-up, off the event loop),
     * starts the informers when a cluster is given, and listens. Fails when the policy or certificate is unusable.
     */
    public static Future<WebhookServer> start(Vertx vertx, WebhookConfig config) {
        Policy initial;
        Buffer policyText = null;
        if (config.policyPath() == null) {
            initial = PolicyLoader.defaultPolicy();
        } else {
            try {
                policyText = vertx.fileSystem().readFileBlocking(config.policyPath());
            } catch (RuntimeException e) {
                return Future.failedFuture(new IllegalArgumentException("cannot read the policy file " + config.policyPath() + ": " + e.getMessage()));
            }
            PolicyLoader.Result result = PolicyLoader.parse(policyText.toString(StandardCharsets.UTF_8));
            if (result instanceof PolicyLoader.Rejected rejected) {
                return Future.failedFuture(new IllegalArgumentException("policy " + config.policyPath() + " rejected: " + rejected.summary()));
            }
            initial = ((PolicyLoader.Loaded) result).policy();
        }
        List<Buffer> certAndKey;
        try {
            certAndKey = Tls.read(vertx, config.certPath(), config.keyPath());
        } catch (RuntimeException e) {
            return Future.failedFuture(new IllegalArgumentException("cannot read the TLS certificate/key: " + e.getMessage()));
        }
        PolicyHolder holder = new PolicyHolder(initial, config.policyPath() == null ? "built-in default" : config.policyPath());
        PrometheusMeterRegistry registry = Metrics.newRegistry();
        Metrics.bindPolicyReloads(registry, holder);
        Metrics.certificateExpiry(registry, "webhook", config.certPath());
        ClusterCache cluster;
        if (config.client() == null) {
            LOG.info("running without a cluster: priority values from the policy, no namespace labels");
            cluster = ClusterCache.none();
        } else {
            cluster = ClusterCache.start(config.client());
        }
        WebhookServer server = new WebhookServer(vertx, holder, cluster, registry);
        Buffer finalPolicyText = policyText;
        return server.listen(config, certAndKey)
                .onSuccess(s -> s.watch(config, certAndKey, finalPolicyText))
                .onFailure(err -> server.close());
    }

    private Future<WebhookServer> listen(WebhookConfig config, List<Buffer> certAndKey) {
        HttpServerOptions options = SlowClients.harden(Tls.serverOptions(certAndKey).setIdleTimeout(IDLE_TIMEOUT_SECONDS));
        Future<HttpServer> tls = SlowClients.guard(vertx.createHttpServer(options)).requestHandler(httpsRouter())
                .listen(config.port(), config.host())
                .onSuccess(s -> https = s);
        HttpServerOptions plainOptions = SlowClients.harden(new HttpServerOptions().setIdleTimeout(IDLE_TIMEOUT_SECONDS));
        Future<?> plain = config.metricsPort() < 0 ? Future.succeededFuture()
                : SlowClients.guard(vertx.createHttpServer(plainOptions)).requestHandler(managementRouter())
                .listen(config.metricsPort(), config.host())
                .onSuccess(s -> management = s);
        return Future.all(tls, plain).map(v -> {
            LOG.info("webhook listening on https://{}:{}/mutate, metrics on {}; policy {}; {}", config.host(), https.actualPort(),
                    management == null ? "(disabled)" : "http://" + config.host() + ":" + management.actualPort() + "/metrics",
                    policy.current().version(), EventLoops.transport(vertx));
            return this;
        });
    }

    private void watch(WebhookConfig config, List<Buffer> certAndKey, Buffer policyText) {
        watchers.add(Tls.reloadOnChange(vertx, https, config.certPath(), config.keyPath(), certAndKey, config.reloadIntervalMs(),
                Metrics.certificateReloads(registry, "webhook")));
        if (policyText != null) {
            watchers.add(policy.watch(vertx, config.policyPath(), policyText.toString(StandardCharsets.UTF_8), config.reloadIntervalMs()));
        }
    }

    private Router httpsRouter() {
        Router router = Router.router(vertx);
        // Two routes: Vert.x wants the body handler first on a route, and the content type is checked before reading.
        router.post("/mutate").handler(HttpJson.requestDeadline()).handler(this::requireJson);
        router.post("/mutate")
                .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES))
                .handler(this::mutate);
        ManagementRoutes.mountHealth(router, cluster::notReadyReason);
        failures(router);
        return router;
    }

    private Router managementRouter() {
        Router router = Router.router(vertx);
        ManagementRoutes.mountHealth(router, cluster::notReadyReason);
        ManagementRoutes.mountMetrics(router, registry);
        failures(router);
        return router;
    }

    private static void failures(Router router) {
        Handler<RoutingContext> failure = HttpJson.failureHandler(BODY_LIMIT_BYTES);
        router.route().failureHandler(failure);
        for (int status : new int[]{404, 405, 408, 413, 500}) {
            router.errorHandler(status, failure);
        }
    }

    /** The API server always sends application/json; anything else is a client that is not the API server. */
    private void requireJson(RoutingContext ctx) {
        long start = System.nanoTime();
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        String mime = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!HttpJson.APPLICATION_JSON.equals(mime)) {
            metrics.admission(WebhookMetrics.NO_WORKLOAD_TYPE, WebhookMetrics.Outcome.ERROR, System.nanoTime() - start);
            HttpJson.error(ctx, 415, "Content-Type must be application/json, got "
                    + (contentType == null ? "none" : "\"" + contentType + "\""));
            return;
        }
        ctx.next();
    }

    private void mutate(RoutingContext ctx) {
        long start = System.nanoTime();
        Buffer body = ctx.body().buffer();
        try {
            AdmissionHandler.Reply reply = handler.handle(body == null ? null : body.getBytes());
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, HttpJson.APPLICATION_JSON).end(Buffer.buffer(reply.body()));
            metrics.admission(reply.workloadType(), reply.outcome(), System.nanoTime() - start);
        } catch (BadAdmissionRequest e) {
            HttpJson.error(ctx, e.status(), e.getMessage());
            metrics.admission(WebhookMetrics.NO_WORKLOAD_TYPE, WebhookMetrics.Outcome.ERROR, System.nanoTime() - start);
        } catch (RuntimeException e) {
            // A defect, not a client mistake: the failure handler logs it and answers 500 without internals.
            metrics.admission(WebhookMetrics.NO_WORKLOAD_TYPE, WebhookMetrics.Outcome.ERROR, System.nanoTime() - start);
            ctx.fail(500, e);
        }
    }

    public int actualPort() {
        return https.actualPort();
    }

    /** The management port, or -1 when disabled. */
    public int metricsPort() {
        return management == null ? -1 : management.actualPort();
    }

    public PolicyHolder policy() {
        return policy;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Checks the watched files now instead of at the next interval (tests, and a SIGHUP-like nudge). */
    public Future<Void> pollFiles() {
        return Future.all(watchers.stream().map(FileWatcher::poll).toList()).mapEmpty();
    }

    public Future<Void> close() {
        watchers.forEach(FileWatcher::close);
        runtime.close();
        cluster.close();
        List<Future<Void>> closing = new ArrayList<>();
        if (https != null) {
            closing.add(https.close());
        }
        if (management != null) {
            closing.add(management.close());
        }
        return Future.join(closing).mapEmpty();
    }
}
