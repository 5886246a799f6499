package io.gpuslicer.server;

import io.gpuslicer.server.PolicyHolder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

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
}
