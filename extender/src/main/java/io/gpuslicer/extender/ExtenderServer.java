package io.gpuslicer.extender;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.Node;
import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.LedgerSource;
import io.gpuslicer.extender.observe.FleetGauges;
import io.gpuslicer.extender.wire.ExtenderArgs;
import io.gpuslicer.extender.wire.ExtenderArgsDecoder;
import io.gpuslicer.extender.wire.ExtenderJson;
import io.gpuslicer.extender.wire.ExtenderPreemptionArgs;
import io.gpuslicer.extender.wire.ResultWriter;
import io.gpuslicer.server.FileWatcher;
import io.gpuslicer.server.HttpJson;
import io.gpuslicer.server.ManagementRoutes;
import io.gpuslicer.server.Metrics;
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

import java.util.List;
import java.util.function.Function;

/**
 * The extender over HTTP(S): {@code POST {prefix}/filter|prioritize|preempt} in kube-scheduler's
 * wire format, plus {@code /healthz}, {@code /readyz} and {@code /metrics}. Node-name requests
 * (what kube-scheduler sends with nodeCacheCapable) are decided on the event loop; large bodies
 * (a 5,000-node full-Node body takes a while to decode) on worker threads. Client mistakes get a
 * 400 JSON error, never a 500.
 */
public final class ExtenderServer {
    private static final Logger LOG = LoggerFactory.getLogger(ExtenderServer.class);
    private static final long TLS_POLL_MILLIS = 10_000;
    /** Responses from this size on are gzipped when the client accepts it (full-Node filter results: MiB). */
    static final int COMPRESS_FROM_BYTES = 64 * 1024;
    /** Request bodies up to this size are decided on the event loop (5,000 node names: about 100 KiB). */
    static final int INLINE_BODY_BYTES = 128 * 1024;

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
        FleetGauges fleet = new FleetGauges(registry);
        Extender extender = new Extender(source, metrics);
        Router router = Router.router(vertx);
        Handlers handlers = new Handlers(extender, metrics);
        String p = config.prefix();
        router.post(p + "/*").handler(HttpJson.requestDeadline())
                .handler(BodyHandler.create(false).setBodyLimit(config.bodyLimitBytes()));
        router.post(p + "/filter").handler(inlineWhenSmall(ctx -> handlers.handle(ctx, "filter", ExtenderArgs.class,
                args -> extender.filter(args))));
        router.post(p + "/prioritize").handler(inlineWhenSmall(ctx -> handlers.handle(ctx, "prioritize", ExtenderArgs.class,
                args -> extender.prioritize(args))));
        router.post(p + "/preempt").handler(inlineWhenSmall(ctx -> handlers.handle(ctx, "preempt", ExtenderPreemptionArgs.class,
                args -> extender.preempt(args))));
        ManagementRoutes.mountHealth(router, source::notReadyReason);
        router.get("/metrics").handler(ctx -> {
            LedgerSnapshot snapshot = source.snapshot();
            metrics.refreshPools(snapshot);
            fleet.refresh(snapshot);
            ctx.next();
        });
        ManagementRoutes.mountMetrics(router, registry);
        router.route().failureHandler(HttpJson.failureHandler(config.bodyLimitBytes()));

        HttpServerOptions options;
        List<Buffer> certAndKey = null;
        if (config.tls()) {
            certAndKey = Tls.read(vertx, config.tlsCert(), config.tlsKey());
            Metrics.certificateExpiry(registry, "extender", config.tlsCert());
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
            LOG.info("gpu-slicer extender listening on {}://{}:{}{}/{filter,prioritize,preempt}",
                    config.tls() ? "https" : "http", config.host(), server.actualPort(), config.prefix());
            return new ExtenderServer(server, extender, registry, watcher);
        });
    }

    /**
     * A node-name request (a few KiB, decided in well under a millisecond) is decided on the event loop: handing
     * it to a worker thread and the answer back cost more CPU than the decision. A large body (full Node objects)
     * is decoded and decided on a worker, so that the event loop keeps serving.
     */
    private static Handler<RoutingContext> inlineWhenSmall(Handler<RoutingContext> decide) {
        return ctx -> {
            if (ctx.body().length() <= INLINE_BODY_BYTES) {
                decide.handle(ctx);
                return;
            }
            ctx.vertx().<Void>executeBlocking(() -> {
                decide.handle(ctx);
                return null;
            }, false).onFailure(ctx::fail);
        };
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
                byte[] body = ResultWriter.write(result);
                if (body.length < COMPRESS_FROM_BYTES) {
                    // Go's client asks for gzip on every call; for a few KiB on a cluster network, deflating costs
                    // more CPU than the bytes it saves. Vert.x skips compression for "identity" and drops the header.
                    ctx.response().putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
                }
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
                // filter and prioritize: streamed, reading only what decisions need; preempt is rare and bound whole.
                args = type == ExtenderArgs.class ? type.cast(ExtenderArgsDecoder.decode(body.getBytes()))
                        : ExtenderJson.MAPPER.readValue(body.getBytes(), type);
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
