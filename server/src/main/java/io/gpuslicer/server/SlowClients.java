package io.gpuslicer.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Slow clients cannot hold a connection: the request line and headers must arrive within
 * {@link #HEADER_DEADLINE_MILLIS}, the whole request within {@link HttpJson#REQUEST_DEADLINE_MILLIS}
 * after its headers, or the connection is closed. Idle keep-alive connections are left to the
 * server's idle timeout, as before.
 * <p>
 * Vert.x has no header timeout (its {@code TimeoutHandler} starts only once a request's headers are
 * complete and the router runs), so two small Netty handlers are put around Vert.x's HTTP/1.x decoder,
 * the way Go's {@code http.Server.ReadHeaderTimeout} works: the header clock starts at accept (or the TLS
 * handshake's end) for the first request, and at the first byte of each later request on a keep-alive
 * connection; it stops when the decoder has produced the request's headers. Only HTTP/1.x is served
 * ({@link #harden} turns h2c off; ALPN is off on the TLS servers), so the pipeline is always the same.
 */
public final class SlowClients {
    private static final Logger LOG = LoggerFactory.getLogger(SlowClients.class);
    /** Request line and headers: a few seconds; the API server's webhook timeout is 5 s (manifests). */
    public static final long HEADER_DEADLINE_MILLIS = 5_000;
    /** The TLS handshake gets the same time as the headers. */
    public static final long TLS_HANDSHAKE_MILLIS = HEADER_DEADLINE_MILLIS;
    /**
     * After the router's 408 (at {@link HttpJson#REQUEST_DEADLINE_MILLIS}) had its chance: a request that is
     * still incomplete then (on a route without a body deadline, e.g. a GET with a stalled body) is cut.
     */
    static final long BODY_GRACE_MILLIS = 1_000;
    /** Request line plus headers, in bytes: the API server and kube-scheduler send well under 2 KiB. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    public static final int MAX_REQUEST_LINE_BYTES = 4 * 1024;
    private static final String DECODER = "httpDecoder";

    private SlowClients() {
    }

    /** Limits on the options of every server: header sizes, TLS handshake time, HTTP/1.x only. */
    public static HttpServerOptions harden(HttpServerOptions options) {
        return options.setMaxHeaderSize(MAX_HEADER_BYTES)
                .setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES)
                .setHttp2ClearTextEnabled(false)
                .setSslHandshakeTimeout(TLS_HANDSHAKE_MILLIS)
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    }

    /** Enforces the header and request deadlines on every connection of {@code server} (call before listen). */
    public static HttpServer guard(HttpServer server) {
        return server.connectionHandler(SlowClients::attach);
    }

    private static void attach(HttpConnection connection) {
        // Vert.x internal API: the public one has no access to the channel. Runs on the connection's event loop
        // from Vert.x's channel initializer, before any request byte reaches the decoder.
        Channel channel = ((ConnectionBase) connection).channel();
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(DECODER) == null) {
            LOG.warn("no {} in the pipeline {}: header deadline not enforced", DECODER, pipeline.names());
            return;
        }
        Deadlines deadlines = new Deadlines(channel);
        pipeline.addBefore(DECODER, "gpuslicerBytes", deadlines.bytes);
        pipeline.addAfter(DECODER, "gpuslicerRequests", deadlines.requests);
        deadlines.awaitHeaders();
    }

    /** One connection's clocks. All methods run on the channel's event loop. */
    private static final class Deadlines {
        private final Channel channel;
        private ScheduledFuture<?> timer;
        /** True from the end of one request until its headers are decoded: bytes then belong to headers. */
        private boolean betweenRequests = true;
        private boolean headerClockRunning;

        final ChannelInboundHandlerAdapter bytes = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (betweenRequests && !headerClockRunning && msg instanceof ByteBuf b && b.isReadable()) {
                    awaitHeaders();
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                cancel();
                ctx.fireChannelInactive();
            }
        };

        final ChannelInboundHandlerAdapter requests = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest) {
                    betweenRequests = false;
                    arm(HttpJson.REQUEST_DEADLINE_MILLIS + BODY_GRACE_MILLIS, "request body");
                }
                if (msg instanceof LastHttpContent) {
                    betweenRequests = true;
                    cancel();
                }
                ctx.fireChannelRead(msg);
            }
        };

        Deadlines(Channel channel) {
            this.channel = channel;
        }

        void awaitHeaders() {
            arm(HEADER_DEADLINE_MILLIS, "request headers");
            headerClockRunning = true;
        }

        private void arm(long millis, String what) {
            cancel();
            timer = channel.eventLoop().schedule(() -> {
                LOG.debug("closing {}: {} not received within {} ms", channel.remoteAddress(), what, millis);
                channel.close();
            }, millis, TimeUnit.MILLISECONDS);
        }

        private void cancel() {
            headerClockRunning = false;
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }
    }
}
