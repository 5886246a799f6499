package io.gpuslicer.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Serving TLS: PEM files, TLS 1.2 and 1.3 only, certificates reloaded in place when the files change. */
public final class Tls {
    private static final Logger LOG = LoggerFactory.getLogger(Tls.class);
    public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    private Tls() {
    }

    /** Reads the PEM files now (blocking; call at start-up). */
    public static List<Buffer> read(Vertx vertx, String certPath, String keyPath) {
        return List.of(vertx.fileSystem().readFileBlocking(certPath), vertx.fileSystem().readFileBlocking(keyPath));
    }

    public static HttpServerOptions serverOptions(List<Buffer> certAndKey) {
        HttpServerOptions options = new HttpServerOptions()
                .setSsl(true)
                .setKeyCertOptions(keyCert(certAndKey))
                .setEnabledSecureTransportProtocols(PROTOCOLS);
        options.setUseAlpn(false);
        return options;
    }

    private static SSLOptions sslOptions(List<Buffer> certAndKey) {
        return new SSLOptions()
                .setKeyCertOptions(keyCert(certAndKey))
                .setEnabledSecureTransportProtocols(PROTOCOLS);
    }

    private static PemKeyCertOptions keyCert(List<Buffer> certAndKey) {
        return new PemKeyCertOptions().setCertValue(certAndKey.get(0)).setKeyValue(certAndKey.get(1));
    }

    /**
     * Watches the certificate and key and swaps them into the running server when both changed
     * into a valid pair; open connections are not dropped. A bad pair is refused and the old one kept.
     *
     * @param onReload called with null after a successful swap, or with the error that kept the old pair
     */
    public static FileWatcher reloadOnChange(Vertx vertx, HttpServer server, String certPath, String keyPath,
                                             List<Buffer> initial, long intervalMillis, Consumer<Throwable> onReload) {
        return new FileWatcher(vertx, List.of(certPath, keyPath), initial, contents -> {
            Future<Boolean> update = server.updateSSLOptions(sslOptions(contents), true);
            update.onSuccess(applied -> {
                LOG.info("serving certificate reloaded from {}", certPath);
                onReload.accept(null);
            }).onFailure(err -> {
                LOG.error("serving certificate from {} rejected, keeping the previous one: {}", certPath, err.getMessage());
                onReload.accept(err);
            });
        }).start(intervalMillis);
    }
}
