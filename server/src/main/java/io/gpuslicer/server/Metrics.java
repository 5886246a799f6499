package io.gpuslicer.server;

import io.gpuslicer.server.PolicyHolder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/** The Prometheus registry both servers share, and the policy-reload metrics both report. */
public final class Metrics {
    private Metrics() {
    }

    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /**
     * {@code gpuslicer_policy_reloads_total{result="applied|rejected"}} and {@code gpuslicer_policy_info{version}}.
     */
    public static void bindPolicyReloads(PrometheusMeterRegistry registry, PolicyHolder holder) {
        Counter applied = Counter.builder("gpuslicer.policy.reloads").tag("result", "applied")
                .description("Policy files offered for reload, by result").register(registry);
        Counter rejected = Counter.builder("gpuslicer.policy.reloads").tag("result", "rejected")
                .description("Policy files offered for reload, by result").register(registry);
        holder.onApplied(p -> applied.increment());
        holder.onRejected(r -> rejected.increment());
        Gauge.builder("gpuslicer.policy.workload.types", holder, h -> h.current().workloadTypes().size())
                .description("Workload types in the policy in force").register(registry);
    }

    /**
     * {@code gpuslicer_<component>_certificate_reloads_total{result="applied|rejected"}}: pass the returned
     * callback to {@link Tls#reloadOnChange}.
     */
    public static java.util.function.Consumer<Throwable> certificateReloads(PrometheusMeterRegistry registry, String component) {
        String name = "gpuslicer." + component + ".certificate.reloads";
        Counter applied = Counter.builder(name).tag("result", "applied").description("Serving certificate reloads, by result").register(registry);
        Counter rejected = Counter.builder(name).tag("result", "rejected").description("Serving certificate reloads, by result").register(registry);
        return err -> (err == null ? applied : rejected).increment();
    }

    /**
     * {@code gpuslicer_<component>_certificate_expiry_timestamp_seconds}: the notAfter of the serving certificate
     * mounted at {@code certFile}, read on each scrape (so a rotated file shows at once; NaN when unreadable).
     * Alert on it minus {@code time()}.
     */
    public static void certificateExpiry(MeterRegistry registry, String component, String certFile) {
        Gauge.builder("gpuslicer." + component + ".certificate.expiry.timestamp", () -> notAfterEpochSeconds(Path.of(certFile)))
                .baseUnit("seconds")
                .description("When the serving certificate expires (Unix time)").register(registry);
    }

    static double notAfterEpochSeconds(Path certFile) {
        try (InputStream in = Files.newInputStream(certFile)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return cert.getNotAfter().toInstant().getEpochSecond();
        } catch (IOException | CertificateException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
