package io.gpuslicer.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The openb trace format (alibaba/clusterdata cluster-trace-gpu-v2023, the FGD paper's data): a node
 * list {@code sn,cpu_milli,memory_mib,gpu,model} and a task list
 * {@code name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,...}. Columns are found by header name;
 * columns the replay does not need (qos, phase, times) are ignored.
 */
public final class OpenbTrace {
    private OpenbTrace() {
    }

    /** One node row. */
    public record TraceNode(String name, long cpuMilli, long memoryMib, int gpus, String model) {
    }

    /**
     * One task row.
     *
     * @param gpuMilli share of each GPU in milli-GPU (1000 = whole GPUs); below 1000 with one GPU a share
     * @param gpuSpec  allowed GPU models separated by {@code |}, or null for any
     */
    public record TraceTask(String name, long cpuMilli, long memoryMib, int gpus, int gpuMilli, String gpuSpec) {
        /** GPU demand in milli-GPU. */
        public long demandMilli() {
            return (long) gpus * gpuMilli;
        }
    }

    public static List<TraceNode> nodes(Path csv) {
        List<TraceNode> out = new ArrayList<>();
        for (Map<String, String> row : rows(csv, "sn", "cpu_milli", "memory_mib", "gpu", "model")) {
            out.add(new TraceNode(row.get("sn"), num(row, "cpu_milli"), num(row, "memory_mib"), (int) num(row, "gpu"),
                    blankToNull(row.get("model"))));
        }
        return out;
    }

    public static List<TraceTask> tasks(Path csv) {
        List<TraceTask> out = new ArrayList<>();
        for (Map<String, String> row : rows(csv, "name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli")) {
            int gpus = (int) num(row, "num_gpu");
            int milli = (int) num(row, "gpu_milli");
            if (gpus > 0 && milli <= 0) {
                milli = 1000;
            }
            out.add(new TraceTask(row.get("name"), num(row, "cpu_milli"), num(row, "memory_mib"), gpus,
                    gpus == 0 ? 0 : Math.min(1000, milli), blankToNull(row.get("gpu_spec"))));
        }
        return out;
    }

    private static List<Map<String, String>> rows(Path csv, String... required) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(csv + ": empty file");
        }
        String[] header = lines.get(0).trim().split(",", -1);
        Map<String, Integer> at = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            at.put(header[i].trim(), i);
        }
        for (String r : required) {
            if (!at.containsKey(r)) {
                throw new IllegalArgumentException(csv + ": missing column " + r + " (header: " + lines.get(0) + ")");
            }
        }
        List<Map<String, String>> out = new ArrayList<>(lines.size());
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            at.forEach((name, i) -> row.put(name, i < cells.length ? cells[i].trim() : ""));
            row.put("#line", String.valueOf(n + 1));
            row.put("#file", csv.toString());
            out.add(row);
        }
        return out;
    }

    private static long num(Map<String, String> row, String column) {
        String v = row.get(column);
        try {
            return v == null || v.isEmpty() ? 0 : Math.round(Double.parseDouble(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(row.get("#file") + " line " + row.get("#line") + ": " + column + " is not a number: " + v);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
