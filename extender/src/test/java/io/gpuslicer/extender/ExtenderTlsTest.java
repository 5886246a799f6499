package io.gpuslicer.extender;

import io.gpuslicer.server.tls.CertificateAuthority;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.gpuslicer.extender.ExtenderServerTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/** With --tls-cert/--tls-key the verbs are served over HTTPS (enableHTTPS: true in the scheduler's configuration). */
class ExtenderTlsTest {
    @Test
    void theVerbsAreServedOverHttpsWithTheGivenCertificate(@TempDir Path dir) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test-ca", Duration.ofDays(1));
        CertificateAuthority.Issued issued = ca.issue("gpu-slicer-extender", List.of("localhost"), Duration.ofDays(1));
        Files.writeString(dir.resolve("tls.crt"), issued.certificatePem());
        Files.writeString(dir.resolve("tls.key"), issued.privateKeyPem());
        Vertx vertx = Vertx.vertx();
        try {
            ExtenderServer server = await(ExtenderServer.start(vertx, new ExtenderConfig("127.0.0.1", 0, "/gpu-slicer",
                    ExtenderConfig.DEFAULT_BODY_LIMIT, dir.resolve("tls.crt").toString(), dir.resolve("tls.key").toString()),
                    Samples.sampleLedger(Samples.samplePolicy())).toCompletionStage());
            WebClient client = WebClient.create(vertx, new WebClientOptions().setSsl(true).setVerifyHost(false)
                    .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca.caPem()))));
            HttpResponse<Buffer> r = await(client.post(server.actualPort(), "127.0.0.1", "/gpu-slicer/filter")
                    .sendBuffer(Buffer.buffer(Samples.text("extender-ncc-true-filter-request.json"))).toCompletionStage());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.bodyAsJsonObject().getJsonArray("NodeNames")).hasSize(3);
            assertThat(server.registry().scrape())
                    .contains("gpuslicer_extender_certificate_reloads_total{result=\"applied\"} 0.0")
                    .contains("gpuslicer_extender_certificate_reloads_total{result=\"rejected\"} 0.0");
            await(server.close().toCompletionStage());
        } finally {
            await(vertx.close().toCompletionStage());
        }
    }
}
