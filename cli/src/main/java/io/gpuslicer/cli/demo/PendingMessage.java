package io.gpuslicer.cli.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * kube-scheduler's FitError text: {@code 0/10 nodes are available: 1 <reason>, 9 <reason>.} — one count
 * per distinct reason, the "count reason" strings sorted, as the pod's FailedScheduling event shows it.
 */
final class PendingMessage {
    private PendingMessage() {
    }

    /** @param reasons node → why it was refused (by the scheduler's own filters or the extender) */
    static String of(int allNodes, Map<String, String> reasons) {
        Map<String, Integer> histogram = new TreeMap<>();
        for (String reason : reasons.values()) {
            histogram.merge(reason, 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        histogram.forEach((reason, count) -> parts.add(count + " " + reason));
        parts.sort(null);
        return "0/" + allNodes + " nodes are available: " + String.join(", ", parts) + ".";
    }
}
