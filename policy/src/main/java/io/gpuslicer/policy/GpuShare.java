package io.gpuslicer.policy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * A time-sliced pod's declared share of one GPU ({@code gpuslicer.io/gpu-share}, pod label or
 * annotation): a decimal {@code 0 < s ≤ 1} such as {@code 0.25}, or milli-GPU such as {@code 250m}.
 * Kept in milli-GPU (1..1000), the unit the ledger adds up per physical GPU. The label wins over
 * the annotation when both are present (labels are what selectors and quotas see).
 *
 * @param milli the share in milli-GPU, 1..1000; 0 when the pod declares none
 * @param error why the value was refused, or null
 */
public record GpuShare(int milli, String raw, String error) {
    public static final int FULL = 1000;
    public static final GpuShare NONE = new GpuShare(0, null, null);

    public boolean declared() {
        return milli > 0;
    }

    public boolean valid() {
        return error == null;
    }

    /** The pod's declaration under {@code key}: label first, then annotation; NONE when neither is set. */
    public static GpuShare of(Map<String, String> labels, Map<String, String> annotations, String key) {
        String raw = labels == null ? null : labels.get(key);
        if (raw == null && annotations != null) {
            raw = annotations.get(key);
        }
        return raw == null ? NONE : parse(raw);
    }

    /** Parses {@code 0.25}, {@code 1}, {@code 250m}; anything else, zero, or more than one GPU is an error. */
    public static GpuShare parse(String raw) {
        String v = raw == null ? "" : raw.trim();
        try {
            BigDecimal milli;
            if (v.endsWith("m")) {
                milli = new BigDecimal(v.substring(0, v.length() - 1));
            } else {
                milli = new BigDecimal(v).multiply(BigDecimal.valueOf(FULL));
            }
            int m = milli.setScale(0, RoundingMode.HALF_UP).intValueExact();
            if (milli.signum() <= 0 || m <= 0) {
                return refused(raw, "must be more than 0");
            }
            if (m > FULL) {
                return refused(raw, "must be at most 1 (one whole GPU)");
            }
            return new GpuShare(m, raw, null);
        } catch (NumberFormatException | ArithmeticException e) {
            return refused(raw, "not a GPU share: write a decimal 0 < s ≤ 1 such as 0.25, or milli-GPU such as 250m");
        }
    }

    private static GpuShare refused(String raw, String why) {
        return new GpuShare(0, raw, why);
    }
}
