package io.gpuslicer.cli.demo;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.nio.charset.StandardCharsets;

/** The demo's terminal output, as text: pure formatting of a {@link DemoResult} and the servers' addresses. */
public final class DemoReport {
    private static final String NONE = "-";

    private DemoReport() {
    }

    /** Where the servers listen, printed before the batch runs. */
    public static String endpoints(String webhookUrl, String webhookMetricsUrl, String extenderUrlPrefix, String cluster) {
        return """
                gpu-slicer demo: default policy, cluster %s
                  webhook   %s  (HTTPS, demo CA; metrics %s)
                  extender  %s/{filter,prioritize,preempt,bind}  (HTTP, nodeCacheCapable)
                """.formatted(cluster, webhookUrl, webhookMetricsUrl, extenderUrlPrefix);
    }

    public static String render(DemoResult result) {
        List<String[]> table = new ArrayList<>();
        table.add(new String[]{"POD", "WORKLOAD TYPE", "POOL", "NODE", "FALLBACK", "RESULT"});
        for (DemoRow row : result.rows()) {
            table.add(new String[]{row.pod(), orNone(row.workloadType()), orNone(row.pool()), orNone(row.node()),
                    row.result() == DemoRow.Result.PLACED ? (row.fellBack() ? "yes" : "no") : NONE, outcome(row)});
        }
        StringBuilder out = new StringBuilder();
        out.append("Admission (webhook over HTTPS) and scheduling (extender over HTTP), namespace ")
                .append(DemoScript.NAMESPACE).append(":\n\n");
        appendAligned(out, table);
        out.append("\nFree GPU capacity per pool:\n\n");
        List<String[]> pools = new ArrayList<>();
        pools.add(new String[]{"POOL", "KIND", "NODES", "FREE/TOTAL", ""});
        for (PoolCapacity p : result.pools()) {
            String note = p.freeReconfiguring() > 0 ? " (" + p.freeReconfiguring() + " on a node being reconfigured)" : "";
            pools.add(new String[]{p.pool(), p.migProfile() == null ? "time-slicing" : "MIG " + p.migProfile(),
                    String.valueOf(p.nodes()), p.free() + "/" + p.total(), p.unit() + note});
        }
        appendAligned(out, pools);
        out.append('\n').append(summary(result)).append('\n');
        return out.toString();
    }

    public static String summary(DemoResult result) {
        return "%d placed (%d fell back to another pool), %d pending, %d denied, %d not a GPU pod (left untouched)".formatted(
                result.count(DemoRow.Result.PLACED), result.fellBack(), result.count(DemoRow.Result.PENDING),
                result.count(DemoRow.Result.DENIED), result.count(DemoRow.Result.UNTOUCHED));
    }

    /** How to point a local cluster at the running servers (--serve). */
    public static String serveInstructions(String webhookUrl, String extenderUrlPrefix, String caPem) {
        String caBundle = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8));
        return """

                Serving until Ctrl-C. To point a local cluster at these servers:

                # MutatingWebhookConfiguration: the webhook entry's clientConfig (instead of service:)
                    clientConfig:
                      url: %s
                      caBundle: %s

                # KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1): the scheduler profile's extender
                extenders:
                  - urlPrefix: %s
                    filterVerb: filter
                    prioritizeVerb: prioritize
                    preemptVerb: preempt
                    weight: 5
                    nodeCacheCapable: true
                    httpTimeout: 5s
                    managedResources:
                      - {name: nvidia.com/gpu, ignoredByScheduler: false}
                      - {name: nvidia.com/gpu.shared, ignoredByScheduler: false}
                      - {name: nvidia.com/mig-3g.40gb, ignoredByScheduler: false}
                      - {name: nvidia.com/mig-2g.20gb, ignoredByScheduler: false}
                      - {name: nvidia.com/mig-1g.10gb, ignoredByScheduler: false}

                The extender answers from the demo's snapshot ledger: nodes it does not know are refused. For your own
                cluster's nodes start the demo with --snapshot FILE (kubectl get nodes,pods -A -o json > FILE),
                or run 'gpu-slicer extender --kubeconfig ...' against it.
                """.formatted(webhookUrl, caBundle, extenderUrlPrefix);
    }

    private static String outcome(DemoRow row) {
        return switch (row.result()) {
            case PLACED -> "placed";
            case PENDING -> "Pending: " + row.message();
            case DENIED -> "Denied: " + row.message();
            case UNTOUCHED -> "admitted unchanged (not a GPU pod; the extender passes it through)";
        };
    }

    private static String orNone(String s) {
        return s == null ? NONE : s;
    }

    /** Columns padded to their widest cell; the last column is left unpadded (it holds the long messages). */
    private static void appendAligned(StringBuilder out, List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns - 1; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int c = 0; c < columns - 1; c++) {
                line.append(row[c]).append(" ".repeat(width[c] - row[c].length() + 2));
            }
            line.append(row[columns - 1]);
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
