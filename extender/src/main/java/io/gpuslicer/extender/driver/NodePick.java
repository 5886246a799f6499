package io.gpuslicer.extender.driver;

import io.gpuslicer.extender.wire.HostPriority;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * kube-scheduler's selectHost for a profile whose only scorer is the extender: the highest score wins.
 * kube-scheduler breaks ties at random; here ties go to the first name in alphabetical order, so
 * demos and tests are repeatable. Nodes the extender left unscored count as 0, as in the scheduler.
 */
public final class NodePick {
    private NodePick() {
    }

    public static String best(List<String> feasible, List<HostPriority> scores) {
        Map<String, Long> byHost = new HashMap<>();
        for (HostPriority hp : scores) {
            byHost.put(hp.host(), hp.score());
        }
        String best = null;
        long bestScore = Long.MIN_VALUE;
        for (String node : feasible) {
            long score = byHost.getOrDefault(node, 0L);
            if (score > bestScore || (score == bestScore && node.compareTo(best) < 0)) {
                best = node;
                bestScore = score;
            }
        }
        return best;
    }
}
