package io.gpuslicer.server;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.gpuslicer.policy.PolicyLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Reports a refused policy as a Warning Event on the policy ConfigMap, so that
 * {@code kubectl describe configmap gpu-slicer-policy} tells the admin what is wrong while the
 * last good policy stays in force. Best effort: a failure to write the Event is logged, never thrown.
 */
public final class PolicyRejectionEvents {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyRejectionEvents.class);
    /** The API server refuses Event messages longer than this. */
    static final int MAX_MESSAGE = 1024;
    public static final String REASON = "PolicyRejected";

    private final KubernetesClient client;
    private final ConfigMapRef configMap;
    private final String component;
    private final Clock clock;

    /** {@code namespace/name} of the ConfigMap the policy file is mounted from. */
    public record ConfigMapRef(String namespace, String name) {
        public static ConfigMapRef parse(String value) {
            int slash = value == null ? -1 : value.indexOf('/');
            if (slash <= 0 || slash == value.length() - 1 || value.indexOf('/', slash + 1) >= 0) {
                throw new IllegalArgumentException("expected NAMESPACE/NAME, got \"" + value + "\"");
            }
            return new ConfigMapRef(value.substring(0, slash), value.substring(slash + 1));
        }
    }

    public PolicyRejectionEvents(KubernetesClient client, ConfigMapRef configMap, String component, Clock clock) {
        this.client = client;
        this.configMap = configMap;
        this.component = component;
        this.clock = clock;
    }

    /** Publishes an Event for every policy the holder refuses from now on. */
    public void attach(PolicyHolder holder) {
        holder.onRejected(this::publish);
    }

    /**
     * As {@link #attach(PolicyHolder)}, written on {@code writer}: a holder fed from a Vert.x event loop must not wait
     * there for the API server (an event loop that waits serves nothing else meanwhile).
     */
    public void attach(PolicyHolder holder, java.util.concurrent.Executor writer) {
        holder.onRejected(rejected -> writer.execute(() -> publish(rejected)));
    }

    void publish(PolicyLoader.Rejected rejected) {
        try {
            client.v1().events().inNamespace(configMap.namespace()).resource(event(rejected)).create();
        } catch (KubernetesClientException e) {
            LOG.warn("cannot record the policy rejection as an Event on ConfigMap {}/{}: {}",
                    configMap.namespace(), configMap.name(), e.getMessage());
        }
    }

    Event event(PolicyLoader.Rejected rejected) {
        String message = "policy refused, the previous policy stays in force: " + rejected.summary();
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE - 3) + "...";
        }
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        return new EventBuilder()
                .withNewMetadata()
                .withGenerateName(configMap.name() + ".")
                .withNamespace(configMap.namespace())
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion("v1").withKind("ConfigMap")
                .withNamespace(configMap.namespace()).withName(configMap.name())
                .endInvolvedObject()
                .withType("Warning")
                .withReason(REASON)
                .withMessage(message)
                .withNewSource().withComponent(component).endSource()
                .withReportingComponent(component)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build();
    }
}
