package io.gpuslicer.extender;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.LedgerSource;
import io.gpuslicer.extender.observe.FleetGauges;
import io.gpuslicer.extender.wire.ExtenderArgs;
import io.gpuslicer.extender.wire.ExtenderArgsDecoder;
import io.gpuslicer.extender.wire.ExtenderBindingArgs;
import io.gpuslicer.extender.wire.ExtenderFilterResult;
import io.gpuslicer.extender.wire.ExtenderJson;
import io.gpuslicer.extender.wire.ExtenderPreemptionArgs;
import io.gpuslicer.extender.wire.ResultWriter;
import io.gpuslicer.server.EventLoops;
import io.gpuslicer.server.FileWatcher;
import io.gpuslicer.server.HttpJson;
import io.gpuslicer.server.JsonProblems;
import io.gpuslicer.server.ManagementRoutes;
import io.gpuslicer.server.Metrics;
import io.gpuslicer.server.RuntimeMetrics;
import io.gpuslicer.server.SlowClients;
import io.gpuslicer.server.Tls;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
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
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The extender over HTTP(S): {@code POST {prefix}/filter|prioritize|preempt|bind} in kube-scheduler's
 * wire format, plus {@code /healthz}, {@code /readyz} and {@code /metrics}. Node-name requests
 * (what kube-scheduler sends with nodeCacheCapable) are decided on the event loop; large bodies
 * (a 5,000-node full-Node body takes a while to decode) on worker threads. Bind is checked and reserved on the event
 * loop and answered when the API server has answered, without a thread waiting for it. Client mistakes get a
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
    private final RuntimeMetrics runtime;

    private ExtenderServer(HttpServer server, Extender extender, PrometheusMeterRegistry registry, FileWatcher tlsWatcher,
                           RuntimeMetrics runtime) {
        this.server = server;
        this.extender = extender;
        this.registry = registry;
        this.tlsWatcher = tlsWatcher;
        this.runtime = runtime;
    }

    public static Future<ExtenderServer> start(Vertx vertx, ExtenderConfig config, LedgerSource source) {
        return start(vertx, config, source, Metrics.newRegistry());
    }

    public static Future<ExtenderServer> start(Vertx vertx, ExtenderConfig config, LedgerSource source,
                                               PrometheusMeterRegistry registry) {
        MicrometerExtenderMetrics metrics = new MicrometerExtenderMetrics(registry);
        FleetGauges fleet = new FleetGauges(registry);
        // The framework the in-process extender and the benchmarks use (and the simulator, against the trace's mix):
        // fragmentation measured against the mix the ledger holds. Framework.DEFAULT's empty mix scored every node alike.
        Extender extender = new Extender(source, metrics, config.reservationTtl());
        Router router = Router.router(vertx);
        Handlers handlers = new Handlers(extender, metrics);
        String p = config.prefix();
        router.post(p + "/*").handler(HttpJson.requestDeadline())
                // Sized from Content-Length (up to 64 KiB) rather than grown and copied as the chunks arrive.
                .handler(BodyHandler.create(false).setBodyLimit(config.bodyLimitBytes()).setPreallocateBodyBuffer(true));
        router.post(p + "/filter").handler(inlineWhenSmall(ctx -> handlers.handle(ctx, "filter", ExtenderArgs.class,
                args -> extender.filter(args))));
        router.post(p + "/prioritize").handler(inlineWhenSmall(ctx -> handlers.handle(ctx, "prioritize", ExtenderArgs.class,
                args -> extender.prioritize(args))));
        router.post(p + "/preempt").handler(inlineWhenSmall(ctx -> handlers.handle(ctx, "preempt", ExtenderPreemptionArgs.class,
                args -> extender.preempt(args))));
        // Checked and reserved on the event loop (microseconds); the Binding's round trip to the API server completes
        // the response later without holding any thread.
        router.post(p + "/bind").handler(ctx -> handlers.handleAsync(ctx, "bind", ExtenderBindingArgs.class,
                args -> extender.bindAsync(args)));
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
        SlowClients.harden(options);
        List<Buffer> initial = certAndKey;
        return SlowClients.guard(vertx.createHttpServer(options)).requestHandler(router).listen().map(server -> {
            FileWatcher watcher = initial == null ? null
                    : Tls.reloadOnChange(vertx, server, config.tlsCert(), config.tlsKey(), initial, TLS_POLL_MILLIS,
                    Metrics.certificateReloads(registry, "extender"));
            LOG.info("gpu-slicer extender listening on {}://{}:{}{}/{filter,prioritize,preempt,bind}, {}",
                    config.tls() ? "https" : "http", config.host(), server.actualPort(), config.prefix(), EventLoops.transport(vertx));
            return new ExtenderServer(server, extender, registry, watcher, RuntimeMetrics.bind(registry));
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
        runtime.close();
        return server.close();
    }

    /**
     * Decode → check → decide → encode, with the outcome and latency recorded.
     * <p>
     * A body that cannot be used is answered 400 with a JSON error, except by {@code filter}: it answers 200
     * with {@code Error} set, because kube-scheduler shows a filter's {@code Error} text in the pod's
     * FailedScheduling event but reports any other status only as "failed filter with extender at URL ...,
     * code 400" (pkg/scheduler/extender.go, {@code Filter} and {@code send}). Prioritize and preempt results
     * have no error field, so they keep the 400.
     */
    private record Handlers(Extender extender, MicrometerExtenderMetrics metrics) {
        <A> void handle(RoutingContext ctx, String verb, Class<A> type, Function<A, Object> decide) {
            long start = System.nanoTime();
            String outcome = "ok";
            try {
                A args;
                try {
                    args = decode(ctx, type);
                } catch (BadRequest e) {
                    outcome = "bad_request";
                    refuse(ctx, verb, e.getMessage());
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
                respond(ctx, result);
            } catch (JsonProcessingException | RuntimeException e) {
                // A defect, not a client mistake: the failure handler logs it once with its stack trace.
                outcome = "error";
                ctx.fail(500, e);
            } finally {
                metrics.call(verb, outcome, System.nanoTime() - start);
            }
        }

        /** As {@link #handle}, for a verb whose result comes later (bind: the API server's answer); latency is to the answer. */
        <A> void handleAsync(RoutingContext ctx, String verb, Class<A> type, Function<A, CompletionStage<?>> decide) {
            long start = System.nanoTime();
            A args;
            try {
                args = decode(ctx, type);
            } catch (BadRequest e) {
                refuse(ctx, verb, e.getMessage());
                metrics.call(verb, "bad_request", System.nanoTime() - start);
                return;
            } catch (RuntimeException e) {
                ctx.fail(500, e);
                metrics.call(verb, "error", System.nanoTime() - start);
                return;
            }
            CompletionStage<?> result;
            try {
                result = decide.apply(args);
            } catch (RuntimeException e) {
                ctx.fail(500, e);
                metrics.call(verb, "error", System.nanoTime() - start);
                return;
            }
            // Back on this request's event loop (the API server's answer arrives on the HTTP client's thread).
            Future.fromCompletionStage(result, ctx.vertx().getOrCreateContext()).onComplete(answer -> {
                String outcome = "ok";
                try {
                    if (ctx.response().ended() || ctx.response().closed()) {
                        // The request deadline answered already, or the scheduler hung up; the reservation stands or
                        // was forgotten with the binding's outcome either way.
                        outcome = "abandoned";
                        return;
                    }
                    if (answer.failed()) {
                        throw answer.cause() instanceof RuntimeException r ? r : new IllegalStateException(answer.cause());
                    }
                    respond(ctx, answer.result());
                } catch (JsonProcessingException | RuntimeException e) {
                    outcome = "error";
                    ctx.fail(500, e);
                } finally {
                    metrics.call(verb, outcome, System.nanoTime() - start);
                }
            });
        }

        private static void respond(RoutingContext ctx, Object result) throws JsonProcessingException {
            // Written straight into the response's buffer (heap: the answer is deflated or copied to the socket as is).
            ByteBuf body = Unpooled.buffer(ResultWriter.sizeHint(result));
            ResultWriter.write(result, new ByteBufOutputStream(body));
            if (body.readableBytes() < COMPRESS_FROM_BYTES) {
                // Go's client asks for gzip on every call; for a few KiB on a cluster network, deflating costs
                // more CPU than the bytes it saves. Vert.x skips compression for "identity" and drops the header.
                ctx.response().putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
            }
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, HttpJson.APPLICATION_JSON).end(Buffer.buffer(body));
        }

        private static void refuse(RoutingContext ctx, String verb, String message) {
            if (!"filter".equals(verb)) {
                HttpJson.error(ctx, 400, message);
                return;
            }
            try {
                byte[] body = ExtenderJson.MAPPER.writeValueAsBytes(ExtenderFilterResult.error("gpu-slicer: " + message));
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, HttpJson.APPLICATION_JSON).end(Buffer.buffer(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a filter error always serialises", e);
            }
        }

        private static <A> A decode(RoutingContext ctx, Class<A> type) throws BadRequest {
            Buffer body = ctx.body() == null ? null : ctx.body().buffer();
            if (body == null || body.length() == 0) {
                throw new BadRequest("empty body: expected a JSON " + type.getSimpleName());
            }
            A args;
            try {
                // filter and prioritize: streamed, reading only what decisions need; preempt is rare and bound whole.
                args = type == ExtenderArgs.class ? type.cast(decodeArgs(body))
                        : ExtenderJson.MAPPER.readValue(body.getBytes(), type);
            } catch (JsonProcessingException e) {
                throw new BadRequest("malformed " + type.getSimpleName() + ": " + JsonProblems.describe(e));
            } catch (java.io.IOException e) {
                throw new BadRequest("malformed " + type.getSimpleName() + ": " + e.getMessage());
            }
            String problem = RequestCheck.problem(args);
            if (problem != null) {
                throw new BadRequest(problem);
            }
            return args;
        }
    }

    /**
     * Reads an ExtenderArgs from the body buffer's own bytes where it has an array (the body handler's buffer, sized
     * from Content-Length), else from a copy: filter and prioritize bodies are read without copying them.
     */
    private static ExtenderArgs decodeArgs(Buffer body) throws java.io.IOException {
        ByteBuf bytes = body.getByteBuf();
        if (bytes.hasArray()) {
            return ExtenderArgsDecoder.decode(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
        }
        return ExtenderArgsDecoder.decode(body.getBytes());
    }

    /** A request body the verb cannot use; the message says why. */
    private static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
