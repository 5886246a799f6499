package io.gpuslicer.extender.bind;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.extender.core.RecentPodInfos;
import io.gpuslicer.extender.core.Status;
import io.gpuslicer.extender.ledger.LedgerSource;
import io.gpuslicer.extender.ledger.LedgerStore;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.extender.ledger.PodUsages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The extender's {@code bindVerb}: the one point where kube-scheduler hands the extender its decision
 * and lets it commit atomically. kube-scheduler assumes the pod on the node and binds asynchronously;
 * until the informer shows {@code spec.nodeName}, the next pods would be filtered on stale state. So:
 * <ol>
 *   <li>under the node's lock, re-check the pod against the ledger <em>plus every reservation</em> with
 *       the same filters as {@code /filter} — a burst of pods filtered on the same state cannot all
 *       land when only some fit;</li>
 *   <li>reserve it there (the ledger counts it for every later filter and score);</li>
 *   <li>create the Binding ({@link Binder}), with the pool the pod lands in as the annotation
 *       {@code <prefix>/pool}, which the API server copies onto the pod; on failure forget the reservation and answer the error
 *       (kube-scheduler then forgets its assumed pod and retries the pod: pkg/scheduler/extender.go
 *       {@code Bind}, schedule_one.go {@code handleBindingCycleError}).</li>
 * </ol>
 * Failing the bind is better than overcommitting: the pod comes back and is placed on fresh state.
 */
public final class BindVerb {
    /** A little above kube-scheduler's default extender httpTimeout (5 s). */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(BindVerb.class);

    private final LedgerSource source;
    private final Framework framework;
    private final Duration ttl;
    private final NodeLocks locks = new NodeLocks(256);
    private final DecidedPods decided = new DecidedPods();

    private final RecentPodInfos podInfos;

    public BindVerb(LedgerSource source, Framework framework, Duration ttl) {
        this(source, framework, ttl, new RecentPodInfos());
    }

    /** @param podInfos shared with filter and prioritize: a pod decided on a moment ago is not derived again */
    public BindVerb(LedgerSource source, Framework framework, Duration ttl, RecentPodInfos podInfos) {
        this.source = source;
        this.framework = framework;
        this.ttl = ttl;
        this.podInfos = podInfos;
    }

    /** The pod kube-scheduler just sent to filter or prioritize: bind may come before the informer has it. */
    public void decided(Pod pod) {
        decided.decided(pod);
    }

    /** Null when the pod is bound (or its binding is under way), else the error for the scheduler. Blocks. */
    public String bind(Binding b) {
        return bindAsync(b).join();
    }

    /**
     * Checks and reserves at once (under the node's lock), then completes with null when the Binding is created,
     * else with the error for the scheduler; the caller's thread never waits for the API server.
     */
    public CompletableFuture<String> bindAsync(Binding b) {
        if (b.name() == null || b.namespace() == null || b.node() == null || b.node().isEmpty()) {
            return CompletableFuture.completedFuture("gpu-slicer: bind needs PodName, PodNamespace and Node");
        }
        String notReady = source.notReadyReason();
        if (notReady != null) {
            return CompletableFuture.completedFuture("gpu-slicer extender not ready: " + notReady);
        }
        Pod pod = pod(b);
        if (pod == null) {
            return CompletableFuture.completedFuture("gpu-slicer: pod " + b.key() + " not seen by the extender yet");
        }
        String uid = pod.getMetadata().getUid();
        if (b.uid() != null && !b.uid().isEmpty() && !b.uid().equals(uid)) {
            return CompletableFuture.completedFuture("gpu-slicer: pod " + b.key() + " has UID " + uid + ", not " + b.uid());
        }
        String boundTo = PodUsages.boundNode(pod);
        if (boundTo != null) {
            return CompletableFuture.completedFuture(boundTo.equals(b.node()) ? null
                    : "gpu-slicer: pod " + b.key() + " is already bound to " + boundTo);
        }
        LedgerStore store = source.store();
        // The pod as filter and prioritize saw it (derived then already), when the informer's copy is that same pod.
        Pod seen = decided.get(b.namespace(), b.name(), uid);
        PodInfo info = podInfos.of(seen != null ? seen : pod, store.policy());
        String pool = null;
        synchronized (locks.of(b.node())) {
            if (!info.passThrough()) {
                NodeState node = store.current(b.node());
                if (node == null) {
                    return CompletableFuture.completedFuture("gpu-slicer: node " + b.node() + " unknown to the ledger");
                }
                Status s = framework.filter(info, node.asSeenBy(uid, info.priority()));
                if (!s.isSuccess()) {
                    return CompletableFuture.completedFuture("gpu-slicer: " + b.node() + " no longer fits " + b.key() + " (" + s.message() + ")");
                }
                int rank = info.rankOn(node.pools());
                pool = rank < 0 ? null : info.pools()[rank];
            }
            // Pods that are not ours still hold devices: counted at once too, without a check.
            store.reserve(pod, b.node(), ttl);
        }
        CompletableFuture<Void> binding;
        try {
            // The pool goes onto the pod with its Binding: where it went, readable for as long as the pod lives.
            Map<String, String> annotations = pool == null ? Map.of() : Map.of(store.policy().vocabulary().poolAnnotation(), pool);
            binding = source.binder().bindAsync(new Binding(b.namespace(), b.name(), uid, b.node(), annotations));
        } catch (RuntimeException e) {
            binding = CompletableFuture.failedFuture(e);
        }
        return binding.handle((ok, error) -> {
            if (error == null) {
                decided.forget(uid);
                return null;
            }
            Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            store.forget(uid);
            LOG.info("bind of {} to {} failed, reservation forgotten: {}", b.key(), b.node(), e.getMessage());
            return e instanceof BindFailure ? e.getMessage() : "gpu-slicer: binding " + b.key() + " failed: " + e;
        });
    }

    /**
     * The informer's copy when it has this very pod (it alone knows whether the pod is bound already), else the
     * pod as filter/prioritize last saw it under the binding's UID, else the informer's copy of another pod of
     * that name (refused below for its UID), else null.
     */
    private Pod pod(Binding b) {
        Pod informed = source.pod(b.namespace(), b.name());
        boolean anyUid = b.uid() == null || b.uid().isEmpty();
        if (informed != null && (anyUid || b.uid().equals(informed.getMetadata().getUid()))) {
            return informed;
        }
        Pod seen = decided.get(b.namespace(), b.name(), b.uid());
        return seen != null ? seen : informed;
    }
}
