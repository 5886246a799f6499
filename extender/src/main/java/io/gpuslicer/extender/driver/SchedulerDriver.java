package io.gpuslicer.e2e.extender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.ledger.SnapshotLedgerSource;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Calls the extender the way kube-scheduler does with {@code nodeCacheCapable: true}: filter over
 * every node, prioritize the survivors, pick the highest score (ties by name, as the extender is
 * the only scorer here), then bind — in the ledger, as the API server's binding would.
 */
final class SchedulerDriver {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a pod went, or why it stayed pending (node → reason, both failure maps merged). */
    record Outcome(String node, Map<String, String> failedNodes, Map<String, String> unresolvableNodes) {
        boolean pending() {
            return node == null;
        }
    }

    private final WebClient client;
    private final int port;
    private final String prefix;
    private final List<String> nodes;
    private final SnapshotLedgerSource ledger;

    SchedulerDriver(WebClient client, int port, String prefix, List<String> nodes, SnapshotLedgerSource ledger) {
        this.client = client;
        this.port = port;
        this.prefix = prefix;
        this.nodes = List.copyOf(nodes);
        this.ledger = ledger;
    }

    Outcome schedule(Pod pod) throws Exception {
        JsonNode filtered = call("filter", pod, nodes);
        if (!filtered.path("Error").asText("").isEmpty()) {
            throw new AssertionError("filter error: " + filtered.path("Error").asText());
        }
        List<String> feasible = new ArrayList<>();
        filtered.path("NodeNames").forEach(n -> feasible.add(n.asText()));
        if (feasible.isEmpty()) {
            return new Outcome(null, map(filtered.path("FailedNodes")), map(filtered.path("FailedAndUnresolvableNodes")));
        }
        JsonNode scores = call("prioritize", pod, feasible);
        String best = null;
        long bestScore = Long.MIN_VALUE;
        for (JsonNode hp : scores) {
            String host = hp.path("Host").asText();
            long score = hp.path("Score").asLong();
            if (score > bestScore || (score == bestScore && host.compareTo(best) < 0)) {
                best = host;
                bestScore = score;
            }
        }
        ledger.bind(pod, best);
        return new Outcome(best, map(filtered.path("FailedNodes")), map(filtered.path("FailedAndUnresolvableNodes")));
    }

    private JsonNode call(String verb, Pod pod, List<String> names) throws Exception {
        ObjectNode args = JSON.createObjectNode();
        args.set("Pod", JSON.valueToTree(pod));
        args.putNull("Nodes");
        args.set("NodeNames", JSON.valueToTree(names));
        HttpResponse<Buffer> r = client.post(port, "127.0.0.1", prefix + "/" + verb).putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer(args.toString())).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (r.statusCode() != 200) {
            throw new AssertionError(verb + " answered " + r.statusCode() + ": " + r.bodyAsString());
        }
        return JSON.readTree(r.bodyAsString());
    }

    private static Map<String, String> map(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
