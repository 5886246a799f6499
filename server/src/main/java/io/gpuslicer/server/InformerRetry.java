package io.gpuslicer.server;

import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;

/**
 * How both servers' informers treat a failed list or watch: retry forever, as client-go does.
 * fabric8's default stops an informer for good on a {@code WatcherException} (a watch the API server
 * refuses, e.g. while RBAC is being fixed), which would freeze a cache silently. The one exception is
 * an informer being closed: its torn-down watch must not be reconnected behind it.
 */
public final class InformerRetry {
    private static final Logger LOG = LoggerFactory.getLogger(InformerRetry.class);

    private InformerRetry() {
    }

    public static ExceptionHandler unless(BooleanSupplier closed, String what) {
        return (started, t) -> {
            if (closed.getAsBoolean()) {
                return false;
            }
            LOG.warn("informer on {} {}: {}; retrying", what, started ? "lost the API server" : "cannot reach the API server", t.toString());
            return true;
        };
    }
}
