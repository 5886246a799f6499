package io.gpuslicer.webhook;

import io.gpuslicer.server.tls.CertificateAuthority;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A webhook started in-process on random ports with a fresh CA, and blocking HTTPS/HTTP calls to it. */
final class TestWebhook implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final CertificateAuthority ca = CertificateAuthority.create("test-ca", Duration.ofDays(1));
    final Path dir;
    final WebhookServer server;
    final WebClient https;
    final WebClient http;

    TestWebhook(Path dir, String policyText, io.fabric8.kubernetes.client.KubernetesClient client) throws Exception {
        this.dir = dir;
        writeCertificate("webhook-1");
        WebhookConfig config = WebhookConfig.of(cert().toString(), key().toString())
                .withPorts("127.0.0.1", 0, 0)
                .withClient(client)
                .withReloadInterval(3_600_000); // the tests poll explicitly
        if (policyText != null) {
            Files.writeString(policy(), policyText);
            config = config.withPolicy(policy().toString());
        }
        server = await(WebhookServer.start(vertx, config));
        https = WebClient.create(vertx, new WebClientOptions().setSsl(true).setVerifyHost(false)
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca.caPem()))));
        http = WebClient.create(vertx);
    }

    Path cert() {
        return dir.resolve("tls.crt");
    }

    Path key() {
        return dir.resolve("tls.key");
    }

    Path policy() {
        return dir.resolve("policy.yaml");
    }

    void writeCertificate(String commonName) throws Exception {
        CertificateAuthority.Issued issued = ca.issue(commonName, List.of("localhost", "127.0.0.1"), Duration.ofHours(1));
        Files.writeString(cert(), issued.certificatePem());
        Files.writeString(key(), issued.privateKeyPem());
    }

    HttpResponse<Buffer> mutate(byte[] body) throws Exception {
        return post("application/json", body);
    }

    HttpResponse<Buffer> post(String contentType, byte[] body) throws Exception {
        var request = https.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/mutate?timeout=10s");
        if (contentType != null) {
            request.putHeader("Content-Type", contentType);
        }
        return await(request.sendBuffer(Buffer.buffer(body)));
    }

    HttpResponse<Buffer> get(boolean tls, String path) throws Exception {
        WebClient client = tls ? https : http;
        int port = tls ? server.actualPort() : server.metricsPort();
        return await(client.request(HttpMethod.GET, port, "127.0.0.1", path).send());
    }

    String scrape() throws Exception {
        return get(false, "/metrics").bodyAsString();
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        await(server.close());
        await(vertx.close());
    }

    static MultiMap none() {
        return MultiMap.caseInsensitiveMultiMap();
    }
}
