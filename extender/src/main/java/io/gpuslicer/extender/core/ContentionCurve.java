package io.gpuslicer.extender.core;

/**
 * Expected throughput share of one of K time-sliced co-tenants on a GPU, calibrated on an H100
 * (shared/data/contention-h100.md): alone 1.0; with company η/K, η ≈ 0.92 — the context-switch
 * loss (~8%) is paid once, at the first co-tenant, and does not grow with K up to 7.
 */
public final class ContentionCurve {
    public static final double ETA = 0.92;

    private ContentionCurve() {
    }

    public static double share(int tenants) {
        if (tenants <= 1) {
            return 1.0;
        }
        return ETA / tenants;
    }

    /**
     * A pod with a declared share among {@code tenants} pods on one GPU whose other pods declared
     * {@code othersMilli} milli-GPU: what they leave it, less the time-slicing loss once it has company.
     */
    public static double declared(int tenants, int othersMilli) {
        if (tenants <= 1) {
            return 1.0;
        }
        return ETA * Math.max(0, 1000 - othersMilli) / 1000.0;
    }
}
