package io.gpuslicer.fuzz;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of one fuzz run against one server: answers by status code, 5xx answers, hangs (no answer
 * within the client's limit), connections closed without an answer, and whether the server still
 * answered its probe afterwards (a crash otherwise).
 */
public final class FuzzReport {
    private static final int KEEP = 20;

    private final String target;
    private final long seed;
    private final Map<Integer, Long> statuses = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private long cases;
    private long hangs;
    private long closed;
    private long serverErrors;
    private boolean alive = true;
    private double seconds;

    FuzzReport(String target, long seed) {
        this.target = target;
        this.seed = seed;
    }

    synchronized void answered(int status, FuzzCase c, String body) {
        cases++;
        statuses.merge(status, 1L, Long::sum);
        if (status >= 500) {
            serverErrors++;
            keep("HTTP " + status + " " + c + " -> " + abbreviate(body));
        }
    }

    synchronized void hung(FuzzCase c) {
        cases++;
        hangs++;
        keep("no answer " + c);
    }

    synchronized void closedWithoutAnswer(FuzzCase c, Throwable why) {
        cases++;
        closed++;
        keep("closed (" + why + ") " + c);
    }

    synchronized void finished(double seconds, boolean alive) {
        this.seconds = seconds;
        this.alive = alive;
    }

    private void keep(String failure) {
        if (failures.size() < KEEP) {
            failures.add(failure);
        }
    }

    /** 0 x 5xx, 0 hangs, 0 connections dropped without an answer, and the server still answers. */
    public synchronized boolean passed() {
        return serverErrors == 0 && hangs == 0 && closed == 0 && alive;
    }

    public synchronized long cases() {
        return cases;
    }

    public synchronized Map<Integer, Long> statuses() {
        return Collections.unmodifiableMap(new TreeMap<>(statuses));
    }

    public synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    public synchronized String summary() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%s: %,d cases in %.1f s = %,.0f cases/s (seed %d)%n", target, cases, seconds, cases / seconds, seed));
        out.append("  status codes:");
        statuses.forEach((status, count) -> out.append(String.format(" %d x %,d", status, count)));
        out.append(String.format("%n  verdict: %d x 5xx, %d hangs, %d closed without answer, server %s -> %s%n",
                serverErrors, hangs, closed, alive ? "alive" : "CRASHED (probe failed)", passed() ? "PASS" : "FAIL"));
        failures.forEach(f -> out.append("  ").append(f).append('\n'));
        return out.toString();
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 300 ? s : s.substring(0, 297) + "...";
    }
}
