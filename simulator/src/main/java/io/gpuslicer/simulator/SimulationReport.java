package io.gpuslicer.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a replay run writes: {@code summary.json}, the curve as {@code curve.csv}, {@code chart.svg}
 * (allocation against arrived demand, one line per strategy), and a short table for the terminal.
 * Percentages are of the cluster's GPU capacity, milli-GPU exact.
 */
public final class SimulationReport {
    /** Arrived-demand points (% of the cluster's GPUs) reported in {@code summary.json}. */
    public static final int[] POINTS = {50, 80, 90, 95, 100, 110, 120, 130};
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String[] COLOURS = {"#d62728", "#1f77b4", "#2ca02c", "#7f7f7f", "#9467bd", "#ff7f0e"};

    private final String trace;
    private final int nodes;
    private final long clusterMilli;
    private final long seed;
    private final double inflate;
    private final List<Arrival> arrivals;
    private final List<Replay.Result> results;

    public SimulationReport(String trace, int nodes, long clusterMilli, long seed, double inflate, List<Arrival> arrivals,
                            List<Replay.Result> results) {
        this.trace = trace;
        this.nodes = nodes;
        this.clusterMilli = clusterMilli;
        this.seed = seed;
        this.inflate = inflate;
        this.arrivals = arrivals;
        this.results = results;
    }

    /** The summary in the shape: one entry per strategy. */
    public Map<String, Object> summary() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("trace", trace);
        out.put("nodes", nodes);
        out.put("gpus", clusterMilli % 1000 == 0 ? (Object) (clusterMilli / 1000) : (Object) round(clusterMilli / 1000.0, 3));
        out.put("seed", seed);
        out.put("inflate", inflate);
        Map<String, Object> strategies = new LinkedHashMap<>();
        for (Replay.Result r : results) {
            Map<String, Object> s = new LinkedHashMap<>();
            Map<String, Double> allocation = new LinkedHashMap<>();
            for (int p : POINTS) {
                int k = firstReaching(p);
                if (k >= 0) {
                    allocation.put(String.valueOf(p), pct(r.allocatedMilli()[k]));
                }
            }
            long last = r.allocatedMilli().length == 0 ? 0 : r.allocatedMilli()[r.allocatedMilli().length - 1];
            s.put("allocation", allocation);
            s.put("final_allocation_pct", pct(last));
            s.put("unallocated_gpus", round((clusterMilli - last) / 1000.0, 3));
            s.put("tasks_arrived", arrivals.size());
            s.put("tasks_unscheduled", r.unscheduled());
            s.put("wall_seconds", round(r.wallSeconds(), 2));
            strategies.put(r.strategy(), s);
        }
        out.put("strategies", strategies);
        return out;
    }

    /** Index of the first arrival at which arrived demand reaches {@code percent} of the cluster's GPUs, or -1. */
    int firstReaching(int percent) {
        double target = percent / 100.0 * clusterMilli;
        for (int k = 0; k < arrivals.size(); k++) {
            if (arrivals.get(k).arrivedMilli() >= target - 1e-6) {
                return k;
            }
        }
        return -1;
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("summary.json"), JSON.writeValueAsString(summary()) + "\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("curve.csv"), csv(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("chart.svg"), svg(), StandardCharsets.UTF_8);
    }

    /** One row per arrival: arrived demand and each strategy's allocation, % of the cluster's GPUs. */
    public String csv() {
        StringBuilder sb = new StringBuilder("task,arrived_gpu_pct");
        for (Replay.Result r : results) {
            sb.append(',').append(r.strategy()).append("_allocated_gpu_pct");
        }
        sb.append('\n');
        for (int k = 0; k < arrivals.size(); k++) {
            sb.append(k + 1).append(',').append(fmt(pctExact(arrivals.get(k).arrivedMilli())));
            for (Replay.Result r : results) {
                sb.append(',').append(fmt(pctExact(r.allocatedMilli()[k])));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A small hand-written SVG line chart: allocated against arrived, one polyline per strategy. */
    public String svg() {
        int w = 760, h = 480, left = 70, right = 180, top = 40, bottom = 60;
        // The last arrival crosses the target by a task: 130.01% still ends the axis at 130.
        double xMax = Math.max(100, Math.ceil((pctExact(arrivals.isEmpty() ? 0 : arrivals.get(arrivals.size() - 1).arrivedMilli()) - 0.5) / 10) * 10);
        // Below half the cluster every strategy allocates what arrives: the chart starts at 50% so the differences show.
        double xMin = 50, yMin = 50, yMax = 100;
        int pw = w - left - right, ph = h - top - bottom;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", w, h, w, h));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", w, h));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\">GPU allocation vs arrived demand — %s, seed %d</text>%n", left, escape(trace), seed));
        for (int x = (int) xMin; x <= xMax; x += 10) {
            double px = left + pw * (x - xMin) / (xMax - xMin);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e0e0e0\"/>%n", px, top, px, top + ph));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", px, top + ph + 18, x));
        }
        for (int y = (int) yMin; y <= yMax; y += 5) {
            double py = top + ph - ph * (y - yMin) / (yMax - yMin);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>%n", left, py, left + pw, py));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d</text>%n", left - 6, py + 4, y));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">arrived GPU demand (%% of the cluster's GPUs)</text>%n", left + pw / 2, h - 18));
        sb.append(String.format(Locale.ROOT, "<text transform=\"translate(18,%d) rotate(-90)\" text-anchor=\"middle\">allocated GPU (%%)</text>%n", top + ph / 2));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n", left, top, pw, ph));
        int step = Math.max(1, arrivals.size() / 600);
        for (int s = 0; s < results.size(); s++) {
            Replay.Result r = results.get(s);
            String colour = COLOURS[s % COLOURS.length];
            sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" points=\"", colour));
            for (int k = 0; k < arrivals.size(); k += step) {
                if (pctExact(arrivals.get(k).arrivedMilli()) >= xMin) {
                    appendPoint(sb, left, top, pw, ph, xMin, xMax, yMin, yMax, arrivals.get(k).arrivedMilli(), r.allocatedMilli()[k]);
                }
            }
            int lastK = arrivals.size() - 1;
            if (lastK >= 0) {
                appendPoint(sb, left, top, pw, ph, xMin, xMax, yMin, yMax, arrivals.get(lastK).arrivedMilli(), r.allocatedMilli()[lastK]);
            }
            sb.append("\"/>\n");
            long last = lastK < 0 ? 0 : r.allocatedMilli()[lastK];
            int ly = top + 20 + s * 22;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>%n", left + pw + 14, ly, left + pw + 36, ly, colour));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s %.2f%%</text>%n", left + pw + 42, ly + 4, escape(r.strategy()), pct(last)));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private void appendPoint(StringBuilder sb, int left, int top, int pw, int ph, double xMin, double xMax, double yMin, double yMax,
                             long arrivedMilli, long allocatedMilli) {
        double x = left + pw * (Math.min(xMax, pctExact(arrivedMilli)) - xMin) / (xMax - xMin);
        double y = top + ph - ph * (Math.max(yMin, pctExact(allocatedMilli)) - yMin) / (yMax - yMin);
        sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }

    /** The terminal table: one line per strategy. */
    public void printTable(PrintStream out) {
        out.printf("%-12s %10s %12s %10s %12s %8s%n", "STRATEGY", "AT 100%", "FINAL", "UNALLOC", "UNSCHEDULED", "WALL");
        int at100 = firstReaching(100);
        for (Replay.Result r : results) {
            long last = r.allocatedMilli().length == 0 ? 0 : r.allocatedMilli()[r.allocatedMilli().length - 1];
            out.printf(Locale.ROOT, "%-12s %9s%% %11.2f%% %10.1f %12d %7.1fs%n", r.strategy(),
                    at100 < 0 ? "-" : String.format(Locale.ROOT, "%.2f", pct(r.allocatedMilli()[at100])), pct(last),
                    (clusterMilli - last) / 1000.0, r.unscheduled(), r.wallSeconds());
        }
    }

    private double pctExact(long milli) {
        return clusterMilli == 0 ? 0 : 100.0 * milli / clusterMilli;
    }

    private double pct(long milli) {
        return round(pctExact(milli), 2);
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
