package io.gpuslicer.policy;

import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.RoundingMode;
import java.time.Duration;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class QuantitiesTest {
    @ParameterizedTest(name = "{0} rounded {1} is {2}")
    @CsvSource({
            "1,        CEILING, 1",
            "7,        FLOOR,   7",
            "1500m,    CEILING, 2",
            "1500m,    FLOOR,   1",
            "1e3,      FLOOR,   1000",
            "2k,       FLOOR,   2000",
            "1Ki,      FLOOR,   1024",
            "1e-60,    CEILING, 1",
            "-1,       CEILING, -1"})
    void aQuantityTheApiServerCouldHoldIsRead(String text, RoundingMode mode, long units) {
        assertThat(Quantities.wholeUnits(new Quantity(text), mode)).hasValue(units);
    }

    @ParameterizedTest(name = "{0} is not a usable number")
    @CsvSource({"99999999999999999999", "1e20", "1e999999", "1e-999999", "1E2147483648", "abc", "9Ei"})
    void aQuantityBeyondALongIsNotANumber(String text) {
        assertThat(Quantities.wholeUnits(new Quantity(text), RoundingMode.CEILING)).isEmpty();
    }

    @Test
    void hugeQuantitiesAreRefusedWithoutTheSecondsOfArithmeticTheyWouldCost() {
        // Before: about 2 s for the exponent and about a minute for the digits, on the webhook's event loop.
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            assertThat(Quantities.wholeUnits(new Quantity("1e999999"), RoundingMode.CEILING)).isEmpty();
            assertThat(Quantities.wholeUnits(new Quantity("1." + "0".repeat(1_000_000)), RoundingMode.CEILING)).isEmpty();
            assertThat(Quantities.wholeUnits(new Quantity("9".repeat(1_000_000)), RoundingMode.FLOOR)).isEmpty();
        });
    }

    @Test
    void noQuantityIsNoNumber() {
        assertThat(Quantities.wholeUnits(null, RoundingMode.FLOOR)).isEqualTo(OptionalLong.empty());
    }
}
