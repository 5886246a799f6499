package io.gpuslicer.cli.demo;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.gpuslicer.extender.ExtenderConfig;
import io.gpuslicer.extender.driver.BindVerbCall;
import io.gpuslicer.extender.driver.SchedulerDriver;
import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.policy.Decision;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.Pool;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs pods through the running servers the way a cluster would: admission over HTTPS (the patch
 * applied), the API server's uid, kube-scheduler's own filters, then the extender over HTTP
 * (filter → prioritize → pick → bind into the snapshot ledger). Returns the rows and the capacity left.
 */
public final class Demo {
    private static final long CALL_TIMEOUT_SECONDS = 30;

    private final DemoServers servers;

    public Demo(DemoServers servers) {
        this.servers = servers;
    }

    /** The scripted batch of {@link DemoScript}. */
    public DemoResult runScript() throws Exception {
        return run(DemoScript.pods(servers.policy().vocabulary()));
    }

    public DemoResult run(List<Pod> pods) throws Exception {
        HttpClient http = servers.vertx().createHttpClient();
        // Binding goes through the extender's bind verb, as kube-scheduler does with bindVerb set: the
        // snapshot ledger learns the pending pod, the verb re-checks and the ledger binds it.
        BindVerbCall bindVerb = new BindVerbCall(http, servers.localHost(), servers.extenderPort(), ExtenderConfig.DEFAULT_PREFIX);
        SchedulerDriver scheduler = new SchedulerDriver(http, servers.localHost(), servers.extenderPort(),
                ExtenderConfig.DEFAULT_PREFIX, (pod, node) -> {
                    servers.ledger().addPod(pod);
                    return bindVerb.bind(pod, node);
                });
        try (WebhookCaller webhook = new WebhookCaller(servers.vertx(), servers.caPem(), servers.localHost(), servers.webhookPort())) {
            List<DemoRow> rows = new ArrayList<>();
            for (Pod pod : pods) {
                rows.add(place(pod, await(webhook.admit(pod)), scheduler));
            }
            LedgerSnapshot end = servers.ledger().snapshot();
            return new DemoResult(rows, PoolCapacities.of(end), end.nodes().size());
        } finally {
            await(http.close());
        }
    }

    private DemoRow place(Pod submitted, Admission admission, SchedulerDriver scheduler) throws Exception {
        String name = submitted.getMetadata().getName();
        Policy policy = servers.policy();
        if (admission instanceof Admission.Denied denied) {
            String label = submitted.getMetadata().getLabels().get(policy.workloadTypeLabel());
            return new DemoRow(name, DemoRow.Result.DENIED, label, null, null, false, denied.message());
        }
        Pod created = persisted(((Admission.Allowed) admission).pod());
        Decision decision = Decision.parse(created.getMetadata().getAnnotations() == null ? null
                : created.getMetadata().getAnnotations().get(policy.vocabulary().decisionAnnotation())).orElse(null);
        LedgerSnapshot snapshot = servers.ledger().snapshot();

        // kube-scheduler's own filters run first; only the nodes they keep are sent to the extender.
        Map<String, String> refusals = new TreeMap<>();
        List<String> candidates = new ArrayList<>();
        for (NodeState node : new TreeMap<>(snapshot.nodes()).values()) {
            String refusal = SchedulerFilters.refusal(created.getSpec(), node.inventory());
            if (refusal == null) {
                candidates.add(node.name());
            } else {
                refusals.put(node.name(), refusal);
            }
        }
        SchedulerDriver.Outcome outcome = candidates.isEmpty()
                ? new SchedulerDriver.Outcome(null, Map.of(), Map.of())
                : await(scheduler.schedule(created, candidates));
        String type = decision == null ? null : decision.workloadType();
        if (outcome.pending()) {
            refusals.putAll(outcome.failedNodes());
            refusals.putAll(outcome.unresolvableNodes());
            return new DemoRow(name, DemoRow.Result.PENDING, type, null, null, false,
                    PendingMessage.of(snapshot.nodes().size(), refusals));
        }
        if (decision == null) {
            return new DemoRow(name, DemoRow.Result.UNTOUCHED, null, null, outcome.node(), false, null);
        }
        int rank = rankOn(decision, snapshot.node(outcome.node()));
        String pool = rank < 0 ? null : decision.pools().get(rank);
        return new DemoRow(name, DemoRow.Result.PLACED, type, pool, outcome.node(), rank > 0, null);
    }

    /** What the API server adds when it stores the pod: a uid (admission sees none on CREATE). */
    private static Pod persisted(Pod pod) {
        String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        return new PodBuilder(pod).editMetadata()
                .withUid(UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString()).endMetadata().build();
    }

    /** Index in the decision's pools of the best pool the node belongs to; -1 when none. */
    static int rankOn(Decision decision, NodeState node) {
        int best = -1;
        for (Pool p : node.pools()) {
            int r = decision.pools().indexOf(p.name());
            if (r >= 0 && (best < 0 || r < best)) {
                best = r;
            }
        }
        return best;
    }

    private static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
