package io.gpuslicer.cli.status;

import java.time.Duration;

/** Waits as kubectl prints ages: {@code 45s}, {@code 12m}, {@code 2h05m}, {@code 3d4h}. */
final class Durations {
    private Durations() {
    }

    static String age(Duration d) {
        if (d == null) {
            return "-";
        }
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m";
        }
        if (s < 86400) {
            return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return s / 86400 + "d" + s % 86400 / 3600 + "h";
    }
}
