package io.gpuslicer.policy;

import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.OptionalLong;

/**
 * Whole units of a Kubernetes quantity, read defensively: the quantity may come from a request body. A value
 * the API server could never hold (text longer than {@link #MAX_CHARS}, a decimal exponent beyond
 * {@link #MAX_EXPONENT}, more than a long's digits) is "not a number" here, decided from its digits without
 * materialising it: {@code BigDecimal} work on {@code "1e999999"} or a million-digit string takes seconds to a
 * minute of CPU, which a webhook running on its event loop cannot afford.
 */
public final class Quantities {
    /** Canonical Kubernetes quantities are a few characters; 64 leaves room for any sane spelling. */
    static final int MAX_CHARS = 64;
    /** A 64-bit quantity never needs a decimal exponent beyond this. */
    static final int MAX_EXPONENT = 64;
    private static final int LONG_DIGITS = 19;

    private Quantities() {
    }

    /** The value rounded with {@code mode}; empty when absent, unparseable or beyond a long. */
    public static OptionalLong wholeUnits(Quantity q, RoundingMode mode) {
        if (q == null || q.getAmount() == null) {
            return OptionalLong.empty();
        }
        String format = q.getFormat() == null ? "" : q.getFormat();
        if (q.getAmount().length() + format.length() > MAX_CHARS || hugeExponent(format)) {
            return OptionalLong.empty();
        }
        try {
            BigDecimal amount = q.getNumericalAmount();
            int integerDigits = amount.precision() - amount.scale();
            if (integerDigits > LONG_DIGITS) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(amount.setScale(0, mode).longValueExact());
        } catch (ArithmeticException | IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean hugeExponent(String format) {
        if (format.isEmpty() || (format.charAt(0) != 'e' && format.charAt(0) != 'E')) {
            return false;
        }
        try {
            return Math.abs(Integer.parseInt(format.substring(1))) > MAX_EXPONENT;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
