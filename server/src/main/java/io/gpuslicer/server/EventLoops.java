package io.gpuslicer.server;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;

/**
 * The servers' Vert.x instances (and the extender's API clients'), on Linux's epoll through Netty's native transport
 * when it loads (this module ships netty-transport-native-epoll for Linux x86_64), else on the JDK's NIO selector.
 * Native epoll wakes an event loop with fewer system calls and context switches than the selector, which counts when
 * each scheduled pod is a handful of small requests: in SchedulerLoad at 500 nodes the extender's event loops went
 * from about 22 to 14 context switches per pod. Where the library does not load (another architecture, no writable
 * temporary directory to unpack it to), Vert.x runs on NIO as before, and {@link #transport} says why.
 */
public final class EventLoops {
    private EventLoops() {
    }

    /** A Vert.x for servers: native transport preferred, Vert.x's default number of event loops (twice the cores). */
    public static Vertx vertx() {
        return Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    }

    /** As {@link #vertx()}, with {@code eventLoops} event loops. */
    public static Vertx vertx(int eventLoops) {
        return Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(eventLoops));
    }

    /**
     * A Vert.x for fabric8's HTTP client (its factory takes one): native transport preferred, otherwise as fabric8
     * makes its own (daemon threads, no file cache: the client reads no files through Vert.x).
     */
    public static Vertx clientVertx() {
        return Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setUseDaemonThread(true)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
    }

    /** "native epoll", or "NIO" with the reason native transport is not used. */
    public static String transport(Vertx vertx) {
        if (vertx.isNativeTransportEnabled()) {
            return "native epoll";
        }
        Throwable why = vertx.unavailableNativeTransportCause();
        return "NIO" + (why == null ? "" : " (native transport unavailable: " + why + ")");
    }
}
