package io.gpuslicer.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

import java.util.function.Supplier;

/** {@code /healthz}, {@code /readyz} and Prometheus {@code /metrics}. */
public final class ManagementRoutes {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private ManagementRoutes() {
    }

    /**
     * @param notReadyReason null when ready, else why not (answered with 503)
     */
    public static void mountHealth(Router router, Supplier<String> notReadyReason) {
        router.get("/healthz").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end("ok"));
        router.get("/readyz").handler(ctx -> {
            String reason = notReadyReason.get();
            if (reason == null) {
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end("ok");
            } else {
                ctx.response().setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end("not ready: " + reason);
            }
        });
    }

    public static void mountMetrics(Router router, PrometheusMeterRegistry registry) {
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, PROMETHEUS_TEXT)
                .end(registry.scrape()));
    }
}
