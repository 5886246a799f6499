package io.gpuslicer.extender;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.Node;
import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.ledger.LedgerSource;
import io.gpuslicer.extender.wire.ExtenderArgs;
import io.gpuslicer.extender.wire.ExtenderBindingArgs;
import io.gpuslicer.extender.wire.ExtenderJson;
import io.gpuslicer.extender.wire.ExtenderPreemptionArgs;
import io.gpuslicer.server.FileWatcher;
import io.gpuslicer.server.HttpJson;
import io.gpuslicer.server.ManagementRoutes;
import io.gpuslicer.server.Metrics;
import io.gpuslicer.server.Tls;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
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

import java.util.List;
import java.util.function.Function;

/**
 * The extender over HTTP(S): {@code POST {prefix}/filter|prioritize|preempt|bind} in kube-scheduler's
 * wire format, plus {@code /healthz}, {@code /readyz} and {@code /metrics}. Decisions run on
 * worker threads (a 5,000-node full-Node body takes a while to decode); the event loop only
 * routes. Client mistakes get a 400 JSON error, never a 500.
 */
public final class ExtenderServer {
    private static final Logger LOG = LoggerFactory.getLogger(ExtenderServer.class);
    private static final long TLS_POLL_MILLIS = 10_000;

    private final HttpServer server;
    private final Extender extender;
    private final PrometheusMeterRegistry registry;
    private final FileWatcher tlsWatcher;

    private ExtenderServer(HttpServer server, Extender extender, PrometheusMeterRegistry registry, FileWatcher tlsWatcher) {
        this.server = server;
        this.extender = extender;
        this.registry = registry;
        this.tlsWatcher = tlsWatcher;
    }

    public static Future<ExtenderServer> start(Vertx vertx, ExtenderConfig config, LedgerSource source) {
        return start(vertx, config, source, Metrics.newRegistry());
    }

    public static Future<ExtenderServer> start(Vertx vertx, ExtenderConfig config, LedgerSource source,
                                               PrometheusMeterRegistry registry) {
        MicrometerExtenderMetrics metrics = new MicrometerExtenderMetrics(registry);
        Extender extender = new Extender(source, Framework.DEFAULT, metrics, config.reservationTtl());
        Router router = Router.router(vertx);
        Handlers handlers = new Handlers(extender, metrics);
        String p = config.prefix();
        router.post(p + "/*").handler(HttpJson.requestDeadline())
                .handler(BodyHandler.create(false).setBodyLimit(config.bodyLimitBytes()));
        router.post(p + "/filter").blockingHandler(ctx -> handlers.handle(ctx, "filter", ExtenderArgs.class,
                args -> extender.filter(args)), false);
        router.post(p + "/prioritize").blockingHandler(ctx -> handlers.handle(ctx, "prioritize", ExtenderArgs.class,
                args -> extender.prioritize(args)), false);
        router.post(p + "/preempt").blockingHandler(ctx -> handlers.handle(ctx, "preempt", ExtenderPreemptionArgs.class,
                args -> extender.preempt(args)), false);
        router.post(p + "/bind").blockingHandler(ctx -> handlers.handle(ctx, "bind", ExtenderBindingArgs.class,
                args -> extender.bind(args)), false);
        ManagementRoutes.mountHealth(router, source::notReadyReason);
        router.get("/metrics").handler(ctx -> {
            metrics.refreshPools(source.snapshot());
            ctx.next();
        });
        ManagementRoutes.mountMetrics(router, registry);
        router.route().failureHandler(HttpJson.failureHandler(config.bodyLimitBytes()));

        HttpServerOptions options;
        List<Buffer> certAndKey = null;
        if (config.tls()) {
            certAndKey = Tls.read(vertx, config.tlsCert(), config.tlsKey());
            options = Tls.serverOptions(certAndKey);
        } else {
            options = new HttpServerOptions();
        }
        // Idle keep-alive connections are closed after 120 s, longer than Go's 90 s client idle timeout, so
        // kube-scheduler always closes first and never sends on a connection we are closing.
        options.setHost(config.host()).setPort(config.port()).setCompressionSupported(true).setDecompressionSupported(true)
                .setIdleTimeout(120);
        List<Buffer> initial = certAndKey;
        return vertx.createHttpServer(options).requestHandler(router).listen().map(server -> {
            FileWatcher watcher = initial == null ? null
                    : Tls.reloadOnChange(vertx, server, config.tlsCert(), config.tlsKey(), initial, TLS_POLL_MILLIS,
                    Metrics.certificateReloads(registry, "extender"));
            LOG.info("gpu-slicer extender listening on {}://{}:{}{}/{filter,prioritize,preempt,bind}",
                    config.tls() ? "https" : "http", config.host(), server.actualPort(), config.prefix());
            return new ExtenderServer(server, extender, registry, watcher);
        });
    }

    public int actualPort() {
        return server.actualPort();
    }

    /** The in-process API behind the server (same ledger, same metrics). */
    public Extender extender() {
        return extender;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public Future<Void> close() {
        if (tlsWatcher != null) {
            tlsWatcher.close();
        }
        return server.close();
    }

    /** Decode → decide → encode, with the outcome and latency recorded. */
    private record Handlers(Extender extender, MicrometerExtenderMetrics metrics) {
        <A> void handle(RoutingContext ctx, String verb, Class<A> type, Function<A, Object> decide) {
            long start = System.nanoTime();
            String outcome = "ok";
            try {
                A args = decode(ctx, type);
                if (args == null) {
                    outcome = "bad_request";
                    return;
                }
                Object result;
                try {
                    result = decide.apply(args);
                } catch (ExtenderNotReadyException e) {
                    outcome = "not_ready";
                    HttpJson.error(ctx, 503, e.getMessage());
                    return;
                }
                byte[] body = ExtenderJson.MAPPER.writeValueAsBytes(result);
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, HttpJson.APPLICATION_JSON).end(Buffer.buffer(body));
            } catch (JsonProcessingException e) {
                outcome = "error";
                ctx.fail(500, e);
            } finally {
                metrics.call(verb, outcome, System.nanoTime() - start);
            }
        }

        private static <A> A decode(RoutingContext ctx, Class<A> type) {
            Buffer body = ctx.body() == null ? null : ctx.body().buffer();
            if (body == null || body.length() == 0) {
                HttpJson.error(ctx, 400, "empty body: expected a JSON " + type.getSimpleName());
                return null;
            }
            A args;
            try {
                args = ExtenderJson.MAPPER.readValue(body.getBytes(), type);
            } catch (java.io.IOException e) {
                String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
                HttpJson.error(ctx, 400, "malformed " + type.getSimpleName() + ": " + firstLine(detail));
                return null;
            }
            String problem = problem(args);
            if (problem != null) {
                HttpJson.error(ctx, 400, problem);
                return null;
            }
            return args;
        }

        private static String problem(Object args) {
            if (args == null) {
                return "body is JSON null";
            }
            if (args instanceof ExtenderArgs a) {
                if (a.pod() == null) {
                    return "ExtenderArgs without a Pod";
                }
                if (a.nodes() != null && a.nodes().getItems() != null) {
                    for (Node n : a.nodes().getItems()) {
                        if (n == null || n.getMetadata() == null || n.getMetadata().getName() == null) {
                            return "ExtenderArgs.Nodes has an item without metadata.name";
                        }
                    }
                }
            } else if (args instanceof ExtenderPreemptionArgs a && a.pod() == null) {
                return "ExtenderPreemptionArgs without a Pod";
            }
            return null;
        }

        private static String firstLine(String s) {
            if (s == null) {
                return "unreadable JSON";
            }
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl);
        }
    }
}
