package io.gpuslicer.server;

import io.gpuslicer.server.tls.CertificateAuthority;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The certificate-expiry gauge reads the mounted file on each scrape: a rotation shows at once. */
class CertificateExpiryMetricTest {

    @Test
    void theGaugeIsTheNotAfterOfTheFileAsItIsNowAndNaNWhenUnreadable(@TempDir Path dir) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test-ca", Duration.ofDays(30));
        Path cert = dir.resolve("tls.crt");
        Files.writeString(cert, ca.issue("gpu-slicer-webhook", List.of("localhost"), Duration.ofDays(2)).certificatePem());
        PrometheusMeterRegistry registry = Metrics.newRegistry();
        Metrics.certificateExpiry(registry, "webhook", cert.toString());

        double expiry = registry.get("gpuslicer.webhook.certificate.expiry.timestamp").gauge().value();
        assertThat(expiry).isCloseTo(Instant.now().plus(Duration.ofDays(2)).getEpochSecond(), within(3600.0));
        assertThat(registry.scrape()).contains("gpuslicer_webhook_certificate_expiry_timestamp_seconds ");

        Files.writeString(cert, ca.issue("gpu-slicer-webhook", List.of("localhost"), Duration.ofDays(20)).certificatePem());
        assertThat(registry.get("gpuslicer.webhook.certificate.expiry.timestamp").gauge().value())
                .isCloseTo(Instant.now().plus(Duration.ofDays(20)).getEpochSecond(), within(3600.0));

        Files.writeString(cert, "not a certificate");
        assertThat(registry.get("gpuslicer.webhook.certificate.expiry.timestamp").gauge().value()).isNaN();
    }
}
