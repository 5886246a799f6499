package io.gpuslicer.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON error bodies, one shape for every endpoint: {@code {"error":{"code":400,"message":"..."}}}.
 * Client mistakes get their 4xx with a message; anything unexpected is logged with its stack trace
 * here and answered with a 500 that carries no internals.
 */
public final class HttpJson {
    private static final Logger LOG = LoggerFactory.getLogger(HttpJson.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String APPLICATION_JSON = "application/json";
    /**
     * A request must arrive whole within this time, or it is answered 408 and the connection closed:
     * a client that stalls mid-body never holds a connection. Both callers give up sooner (the API
     * server's webhook timeout and the scheduler's extender httpTimeout default to 5-10 s).
     */
    public static final long REQUEST_DEADLINE_MILLIS = 10_000;

    private HttpJson() {
    }

    /** Put first on a route that reads a body: fails the request with 408 after {@link #REQUEST_DEADLINE_MILLIS}. */
    public static io.vertx.core.Handler<RoutingContext> requestDeadline() {
        return io.vertx.ext.web.handler.TimeoutHandler.create(REQUEST_DEADLINE_MILLIS, 408);
    }

    public static void error(RoutingContext ctx, int status, String message) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        ObjectNode err = body.putObject("error");
        err.put("code", status);
        err.put("message", message);
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
                .end(body.toString());
    }

    /**
     * Router failure handler. {@code bodyLimitBytes} is named in the 413 message so a client knows the limit.
     */
    public static io.vertx.core.Handler<RoutingContext> failureHandler(long bodyLimitBytes) {
        return ctx -> {
            int status = ctx.statusCode();
            Throwable failure = ctx.failure();
            if (ctx.response().ended() || ctx.response().closed() || failure instanceof HttpClosedException) {
                // Already answered (e.g. 408) or the client went away: nobody to tell, nothing went wrong here.
                LOG.debug("{} {} ended early: {}", ctx.request().method(), ctx.request().path(), failure == null ? status : failure.toString());
                return;
            }
            if (status == 413) {
                error(ctx, 413, "request body exceeds the limit of " + bodyLimitBytes + " bytes");
            } else if (status == 408) {
                error(ctx, 408, "the request was not received completely within " + REQUEST_DEADLINE_MILLIS + " ms");
                ctx.request().connection().close();
            } else if (status >= 400 && status < 500) {
                error(ctx, status, failure != null && failure.getMessage() != null ? failure.getMessage() : reason(status));
            } else {
                LOG.error("unhandled failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
                error(ctx, 500, "internal error");
            }
        };
    }

    private static String reason(int status) {
        return switch (status) {
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 415 -> "unsupported content type";
            default -> "bad request";
        };
    }
}
