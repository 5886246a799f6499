package io.gpuslicer.extender;

import io.gpuslicer.extender.bind.BindVerb;

import java.time.Duration;

/**
 * How the extender serves.
 *
 * @param prefix         URL prefix of the verbs, e.g. {@code /gpu-slicer} → {@code /gpu-slicer/filter}
 * @param bodyLimitBytes request body limit: 5,000 full Node objects (nodeCacheCapable: false) are
 *                       tens of MiB, so the default is 64 MiB
 * @param tlsCert        PEM certificate, or null for plain HTTP
 * @param tlsKey         PEM key, or null
 * @param reservationTtl how long a pod accepted by the bind verb counts on its node before the informer
 *                       confirms the binding: a little above kube-scheduler's extender httpTimeout
 */
public record ExtenderConfig(String host, int port, String prefix, long bodyLimitBytes, String tlsCert, String tlsKey,
                             Duration reservationTtl) {
    public static final long DEFAULT_BODY_LIMIT = 64L * 1024 * 1024;
    public static final String DEFAULT_PREFIX = "/gpu-slicer";
    public static final int DEFAULT_PORT = 8888;

    public ExtenderConfig {
        prefix = normalise(prefix);
        reservationTtl = reservationTtl == null ? BindVerb.DEFAULT_TTL : reservationTtl;
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate and a key");
        }
    }

    public ExtenderConfig(String host, int port, String prefix, long bodyLimitBytes, String tlsCert, String tlsKey) {
        this(host, port, prefix, bodyLimitBytes, tlsCert, tlsKey, BindVerb.DEFAULT_TTL);
    }

    /** Plain HTTP on {@code port} (0: any free port) with the default prefix and body limit. */
    public static ExtenderConfig plain(int port) {
        return new ExtenderConfig("0.0.0.0", port, DEFAULT_PREFIX, DEFAULT_BODY_LIMIT, null, null);
    }

    public boolean tls() {
        return tlsCert != null;
    }

    private static String normalise(String prefix) {
        if (prefix == null || prefix.isBlank() || prefix.equals("/")) {
            return "";
        }
        String p = prefix.startsWith("/") ? prefix : "/" + prefix;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
