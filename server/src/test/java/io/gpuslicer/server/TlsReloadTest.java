package io.gpuslicer.server;

import io.gpuslicer.server.tls.CertificateAuthority;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.PemTrustOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Certificates are swapped into a running HTTPS server when the files change; a bad pair is refused. */
class TlsReloadTest {
    @TempDir
    Path dir;
    private Vertx vertx;
    private HttpServer server;
    private final CertificateAuthority ca = CertificateAuthority.create("test-ca", Duration.ofDays(1));

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private Path cert() {
        return dir.resolve("tls.crt");
    }

    private Path key() {
        return dir.resolve("tls.key");
    }

    private void write(CertificateAuthority.Issued issued) throws Exception {
        Files.writeString(cert(), issued.certificatePem());
        Files.writeString(key(), issued.privateKeyPem());
    }

    private int start() throws Exception {
        List<Buffer> initial = Tls.read(vertx, cert().toString(), key().toString());
        server = vertx.createHttpServer(Tls.serverOptions(initial)).requestHandler(r -> r.response().end("ok"));
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    /** The CN of the certificate a fresh connection is served. */
    private String servedCommonName(int port, Set<String> protocols) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca.caPem())))
                .setVerifyHost(false).setEnabledSecureTransportProtocols(protocols));
        try {
            return client.request(HttpMethod.GET, port, "127.0.0.1", "/")
                    .compose(req -> req.send().map(resp -> req.connection()))
                    .map(conn -> {
                        try {
                            return ((X509Certificate) conn.peerCertificates().get(0)).getSubjectX500Principal().getName();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            client.close();
        }
    }

    @Test
    void aRotatedCertificateIsServedToNewConnectionsWithoutRestart() throws Exception {
        write(ca.issue("first", List.of("localhost", "127.0.0.1"), Duration.ofHours(1)));
        int port = start();
        List<Throwable> outcomes = new CopyOnWriteArrayList<>();
        FileWatcher reloader = Tls.reloadOnChange(vertx, server, cert().toString(), key().toString(),
                Tls.read(vertx, cert().toString(), key().toString()), 3_600_000, outcomes::add);
        assertThat(servedCommonName(port, Tls.PROTOCOLS)).isEqualTo("CN=first");

        write(ca.issue("second", List.of("localhost", "127.0.0.1"), Duration.ofHours(1)));
        assertThat(reloader.poll().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isTrue();
        awaitOutcomes(outcomes, 1);

        assertThat(outcomes.get(0)).isNull();
        assertThat(servedCommonName(port, Tls.PROTOCOLS)).isEqualTo("CN=second");
        assertThat(server.actualPort()).isEqualTo(port);
        reloader.close();
    }

    @Test
    void aBrokenKeyIsRefusedAndThePreviousCertificateKeepsServing() throws Exception {
        write(ca.issue("good", List.of("127.0.0.1"), Duration.ofHours(1)));
        int port = start();
        List<Throwable> outcomes = new CopyOnWriteArrayList<>();
        FileWatcher reloader = Tls.reloadOnChange(vertx, server, cert().toString(), key().toString(),
                Tls.read(vertx, cert().toString(), key().toString()), 3_600_000, outcomes::add);

        Files.writeString(key(), "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        reloader.poll().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        awaitOutcomes(outcomes, 1);

        assertThat(outcomes.get(0)).isNotNull();
        assertThat(servedCommonName(port, Tls.PROTOCOLS)).isEqualTo("CN=good");
        reloader.close();
    }

    @Test
    void tlsOlderThan12IsRefused() throws Exception {
        // The test JVM lifts the JDK's own TLS 1.1 ban (legacy-tls-allowed.security): only Tls.PROTOCOLS refuses it.
        assertThat(java.security.Security.getProperty("jdk.tls.disabledAlgorithms")).doesNotContain("TLSv1.1");
        write(ca.issue("modern", List.of("127.0.0.1"), Duration.ofHours(1)));
        int port = start();

        assertThatThrownBy(() -> servedCommonName(port, Set.of("TLSv1.1")))
                .hasRootCauseInstanceOf(SSLHandshakeException.class);
    }

    private static void awaitOutcomes(List<Throwable> outcomes, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (outcomes.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(outcomes).hasSizeGreaterThanOrEqualTo(n);
    }
}
