package io.gpuslicer.extender.requeue;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.gpuslicer.extender.ledger.LedgerStore;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.extender.ledger.PodUsage;
import io.gpuslicer.extender.ledger.PodUsages;
import io.gpuslicer.policy.GpuRequest;
import io.gpuslicer.policy.NvidiaKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Brings pending pods back to kube-scheduler's active queue when GPU capacity frees.
 * <p>
 * kube-scheduler keeps a pod it could not place in its unschedulable pool and moves it back only on a
 * cluster event one of the plugins that rejected it cares about. Before kubernetes#122022 (fixing
 * kubernetes#122019; in 1.29, backported to 1.26.12 / 1.27.9 / 1.28.5) an extender's rejection was not
 * recorded at all: a pod refused by the extender on its GPU node, and by NodeAffinity or TaintToleration
 * on the others, ignored the deletion of the pod whose MIG instance it waited for and stayed up to
 * 5 minutes (DefaultPodMaxInUnschedulablePodsDuration) in the pool. Even after the fix, capacity that only
 * the extender sees free (a finished pod, a MIG layout back to {@code success}) may not reach the queue as
 * an event. An update of the pending pod itself always does (scheduling_queue.go {@code Update}:
 * {@code isPodUpdated} ignores status, not metadata, and with QueueingHints the extender's wildcard
 * registration requeues it): so this patches a {@code <prefix>/requeue} annotation on the pending pods that
 * may use the freed node. Rate-limited per pod and per event; RBAC: {@code patch} on {@code pods}.
 */
public final class PendingPodNudger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PendingPodNudger.class);
    /** Pods nudged per freed node, highest priority first: a freed instance serves a few pods, not hundreds. */
    static final int MAX_PER_EVENT = 16;

    private final KubernetesClient client;
    private final LedgerStore store;
    private final Clock clock;
    private final Duration minInterval;
    private final Duration coalesce;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gpu-slicer-requeue");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> scheduled = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> lastNudged = new ConcurrentHashMap<>();

    /**
     * @param minInterval no pod is patched more often than this (kube-scheduler's maximum backoff is 10 s)
     * @param coalesce    frees on one node within this window give one nudge
     */
    public PendingPodNudger(KubernetesClient client, LedgerStore store, Clock clock, Duration minInterval, Duration coalesce) {
        this.client = client;
        this.store = store;
        this.clock = clock;
        this.minInterval = minInterval;
        this.coalesce = coalesce;
    }

    public static PendingPodNudger standard(KubernetesClient client, LedgerStore store) {
        return new PendingPodNudger(client, store, Clock.systemUTC(), Duration.ofSeconds(5), Duration.ofMillis(200));
    }

    /** Pod events that free capacity: a bound GPU pod deleted, or finishing. */
    public ResourceEventHandler<Pod> podHandler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                if (holdsGpu(old) && !PodUsages.isTerminated(old) && PodUsages.isTerminated(pod)) {
                    freed(PodUsages.boundNode(old));
                }
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                if (holdsGpu(pod) && !PodUsages.isTerminated(pod)) {
                    freed(PodUsages.boundNode(pod));
                }
            }
        };
    }

    /** Node events that free capacity: a MIG layout change that settles. */
    public ResourceEventHandler<Node> nodeHandler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
            }

            @Override
            public void onUpdate(Node old, Node node) {
                if (!NvidiaKeys.MIG_CONFIG_STATE_SUCCESS.equals(state(old)) && NvidiaKeys.MIG_CONFIG_STATE_SUCCESS.equals(state(node))) {
                    freed(node.getMetadata().getName());
                }
            }

            @Override
            public void onDelete(Node node, boolean finalStateUnknown) {
            }
        };
    }

    private static String state(Node n) {
        return n.getMetadata() == null || n.getMetadata().getLabels() == null ? null
                : n.getMetadata().getLabels().get(NvidiaKeys.MIG_CONFIG_STATE);
    }

    private static boolean holdsGpu(Pod pod) {
        return PodUsages.boundNode(pod) != null && GpuRequest.of(pod.getSpec()).isGpuPod();
    }

    /** Capacity freed on {@code node}: nudge its pending pods once the ledger has caught up (coalesced). */
    public void freed(String node) {
        if (node != null && scheduled.add(node)) {
            executor.schedule(() -> {
                scheduled.remove(node);
                nudge(node);
            }, coalesce.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void nudge(String nodeName) {
        NodeState node = store.current(nodeName);
        if (node == null) {
            return;
        }
        List<PodUsage> targets = NudgeTargets.of(node, store.pendingPods(), MAX_PER_EVENT);
        long now = clock.millis();
        String key = store.policy().vocabulary().prefix() + "/requeue";
        for (PodUsage p : targets) {
            Long last = lastNudged.get(p.uid());
            if (last != null && now - last < minInterval.toMillis()) {
                continue;
            }
            lastNudged.put(p.uid(), now);
            int slash = p.key().indexOf('/');
            String patch = "{\"metadata\":{\"annotations\":{\"" + key + "\":\"" + clock.instant() + "\"}}}";
            try {
                client.pods().inNamespace(p.key().substring(0, slash)).withName(p.key().substring(slash + 1))
                        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
                LOG.debug("nudged pending pod {}: capacity freed on {}", p.key(), nodeName);
            } catch (KubernetesClientException e) {
                LOG.info("could not nudge pending pod {} ({}): {}", p.key(), nodeName, e.getMessage());
            }
        }
        lastNudged.entrySet().removeIf(e -> now - e.getValue() > 10 * minInterval.toMillis());
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
