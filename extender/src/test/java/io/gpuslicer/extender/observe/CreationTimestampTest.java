package io.gpuslicer.extender.observe;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import static org.assertj.core.api.Assertions.assertThat;

/** Creation timestamps are read as {@link Instant#parse} reads them, the API server's form on a fast path. */
class CreationTimestampTest {

    @ParameterizedTest(name = "{1} is read as Instant.parse reads it")
    @CsvSource(delimiter = '|', textBlock = """
            the API server's form                  | 2026-11-21T22:56:39Z
            the first second of an epoch year      | 1970-01-01T00:00:00Z
            a leap day                             | 2024-02-29T23:59:59Z
            fractional seconds (the slow path)     | 2026-11-21T22:56:39.123456Z
            an offset instead of Z                 | 2026-11-21T22:56:39+02:00
            a day the month does not have          | 2026-02-30T10:00:00Z
            the 29th of February of a common year  | 2025-02-29T10:00:00Z
            hour 24                                | 2026-11-21T24:00:00Z
            a letter in the hour                   | 2026-11-21Tx1:00:00Z
            a minus sign in the minutes            | 2026-11-21T10:-1:00Z
            month 13                               | 2026-13-01T10:00:00Z
            a space instead of T                   | 2026-11-21 22:56:39Z
            second 60                              | 2026-11-21T22:56:60Z
            """)
    void timestampsAreReadAsInstantParseReadsThem(String sentence, String timestamp) {
        assertThat(GpuPodView.instant(timestamp)).isEqualTo(reference(timestamp));
    }

    private static Instant reference(String timestamp) {
        try {
            return Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
