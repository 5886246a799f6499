package io.gpuslicer.bench.extender;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link SchedulerLoad}'s summary when extenders alternate ({@code extender=gpu-slicer,floor+informers cycles=3}): this
 * machine's speed drifts by a fifth within the hour, so extenders compared in runs far apart compare the hours as much
 * as the extenders. Each cycle runs every extender once, in the order given; the summary gives each extender's
 * measured rounds (CPU ms per scheduled pod), their median, and each extender against the last one listed, cycle by
 * cycle (the sums of the cycle's rounds) and over all rounds (the medians).
 */
final class Alternation {
    /**
     * One measured round: CPU ms per scheduled pod, the handlers' ms per pod (NaN where the extender keeps no metrics), and
     * the standby replicas' CPU ms per scheduled pod (NaN without them).
     */
    record Round(String extender, int cycle, double cpuPerPod, double handlersPerPod, double standbyPerPod) {
    }

    private Alternation() {
    }

    static void print(int size, List<String> extenders, int cycles, List<Round> rounds) {
        String last = extenders.get(extenders.size() - 1);
        System.out.printf(Locale.ROOT, "%nsummary, %,d nodes, %d cycle(s) of %s: CPU ms per scheduled pod of the measured rounds%n",
                size, cycles, String.join(", ", extenders));
        System.out.printf(Locale.ROOT, "%-16s %-40s %8s %9s  %s%n", "extender", "rounds", "median", "handlers", "÷ " + last + ", per cycle; of the medians");
        double lastMedian = median(cpu(rounds, last, 0));
        for (String e : extenders) {
            List<Double> all = cpu(rounds, e, 0);
            List<String> shown = new ArrayList<>();
            all.forEach(v -> shown.add(String.format(Locale.ROOT, "%.3f", v)));
            List<String> ratios = new ArrayList<>();
            for (int c = 1; c <= cycles; c++) {
                double mine = sum(cpu(rounds, e, c));
                double theirs = sum(cpu(rounds, last, c));
                ratios.add(theirs > 0 && mine > 0 ? String.format(Locale.ROOT, "%.2f", mine / theirs) : "-");
            }
            double handlers = median(each(rounds, e, Round::handlersPerPod));
            double standby = median(each(rounds, e, Round::standbyPerPod));
            // The serving replica's CPU per pod and the standbys' together, as the dashboard's panel sums them.
            double allReplicas = median(each(rounds, e, r -> r.cpuPerPod() + r.standbyPerPod()));
            System.out.printf(Locale.ROOT, "%-16s %-40s %8.3f %9s  %s; %.2f%s%n", e, String.join(" ", shown), median(all),
                    Double.isNaN(handlers) ? "-" : String.format(Locale.ROOT, "%.3f", handlers), String.join(" ", ratios),
                    median(all) / lastMedian, Double.isNaN(standby) ? ""
                            : String.format(Locale.ROOT, "; standby median %.3f, all replicas %.3f", standby, allReplicas));
        }
    }

    /** The rounds of {@code extender}, of cycle {@code cycle} (0: all cycles). */
    private static List<Double> cpu(List<Round> rounds, String extender, int cycle) {
        List<Double> out = new ArrayList<>();
        for (Round r : rounds) {
            if (r.extender().equals(extender) && (cycle == 0 || r.cycle() == cycle)) {
                out.add(r.cpuPerPod());
            }
        }
        return out;
    }

    /** Of each round of {@code extender}, {@code value} where it is a number (NaN: the round has no such figure). */
    private static List<Double> each(List<Round> rounds, String extender, java.util.function.ToDoubleFunction<Round> value) {
        List<Double> out = new ArrayList<>();
        for (Round r : rounds) {
            double v = value.applyAsDouble(r);
            if (r.extender().equals(extender) && !Double.isNaN(v)) {
                out.add(v);
            }
        }
        return out;
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double sum(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sum();
    }
}
