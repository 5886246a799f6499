package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.gpuslicer.extender.bind.ApiBinder;
import io.gpuslicer.extender.bind.Binder;
import io.gpuslicer.extender.requeue.PendingPodNudger;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.server.InformerRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The ledger fed by fabric8 informers on Nodes and Pods (all namespaces). Informers start without
 * blocking; until both have listed once the source says it is not ready, and the extender answers
 * with an error the scheduler retries, rather than deciding on a partial ledger.
 */
public final class InformerLedgerSource implements LedgerSource {
    private static final Logger LOG = LoggerFactory.getLogger(InformerLedgerSource.class);
    /**
     * The informers list in pages of this many objects, as client-go's reflector does (tools/pager, defaultPageSize
     * 500): fabric8 stores each page before asking for the next, so a first list (at start, or after a watch has
     * expired) of 150,000 pods holds a page of whole Pods at a time, not all of them.
     */
    static final long LIST_PAGE = 500;

    private final LedgerStore store;
    /** The informers' client (streamed pod events); closed with the source when it made it. */
    private final KubernetesClient client;
    private final boolean ownsClient;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<Pod> pods;
    /** Set once each informer has listed and its watch is open (events after the list are not missed). */
    private final AtomicBoolean nodesLive = new AtomicBoolean();
    private final AtomicBoolean podsLive = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private final Binder binder;

    private final PendingPodNudger nudger;

    private InformerLedgerSource(LedgerStore store, KubernetesClient client, boolean ownsClient, SharedIndexInformer<Node> nodes,
                                 SharedIndexInformer<Pod> pods, Binder binder, PendingPodNudger nudger) {
        this.store = store;
        this.client = client;
        this.ownsClient = ownsClient;
        this.binder = binder;
        this.nudger = nudger;
        this.nodes = nodes;
        this.pods = pods;
    }

    public static InformerLedgerSource start(KubernetesClient client, Policy policy) {
        return start(client, policy, Clock.systemUTC(), true, store -> null);
    }

    /**
     * @param clock        times reservations out (see {@link LedgerStore})
     * @param nudgePending patch pending pods when GPU capacity frees, so kube-scheduler retries them ({@link PendingPodNudger})
     */
    public static InformerLedgerSource start(KubernetesClient client, Policy policy, Clock clock, boolean nudgePending) {
        return start(client, policy, clock, nudgePending, store -> null);
    }

    /**
     * @param podObserver given the store, a second handler for the pod informer (fleet metrics, placement
     *                    events), registered before the informers start so it sees the initial list; null for none.
     *                    Like every handler of the pod informer it gets pods carrying what
     *                    {@link io.gpuslicer.extender.wire.PodReader} reads, not every field.
     */
    public static InformerLedgerSource start(KubernetesClient client, Policy policy,
                                             Function<LedgerStore, ResourceEventHandler<Pod>> podObserver) {
        return start(client, policy, Clock.systemUTC(), true, podObserver);
    }

    public static InformerLedgerSource start(KubernetesClient cluster, Policy policy, Clock clock, boolean nudgePending,
                                             Function<LedgerStore, ResourceEventHandler<Pod>> podObserver) {
        return start(cluster, cluster, policy, clock, nudgePending, podObserver);
    }

    /**
     * @param cluster   the client for Bindings and pod patches
     * @param informers the client whose informers feed the ledger: used as it is when it streams pod events
     *                  ({@link StreamedPodEvents}), else a streaming client to the same cluster is made (and closed) here
     */
    public static InformerLedgerSource start(KubernetesClient cluster, KubernetesClient informers, Policy policy, Clock clock,
                                             boolean nudgePending, Function<LedgerStore, ResourceEventHandler<Pod>> podObserver) {
        LedgerStore store = new LedgerStore(policy, clock);
        boolean ownsClient = !StreamedPodEvents.streams(informers);
        KubernetesClient client = ownsClient ? StreamedPodEvents.client(informers) : informers;
        SharedIndexInformer<Node> nodes = client.nodes().withLimit(LIST_PAGE).runnableInformer(0);
        // Whole Nodes (images, managed fields, conditions) would stay in the informer's cache for the extender's life.
        nodes.itemStore(new TrimmedNodeStore());
        nodes.addEventHandler(handler(store::upsertNode, node -> store.removeNode(node.getMetadata().getName())));
        SharedIndexInformer<Pod> pods = client.pods().inAnyNamespace().withLimit(LIST_PAGE).runnableInformer(0);
        // The informer's own cache holds whole Pod objects; keep only what the ledger reads.
        pods.itemStore(new TrimmedPodStore());
        pods.addEventHandler(handler(store::upsertPod, pod -> store.removePod(pod.getMetadata().getUid())));
        ResourceEventHandler<Pod> observer = podObserver.apply(store);
        if (observer != null) {
            pods.addEventHandler(observer);
        }
        PendingPodNudger nudger = null;
        if (nudgePending) {
            nudger = PendingPodNudger.standard(cluster, store);
            pods.addEventHandler(nudger.podHandler());
            nodes.addEventHandler(nudger.nodeHandler());
        }
        InformerLedgerSource source = new InformerLedgerSource(store, client, ownsClient, nodes, pods, new ApiBinder(cluster), nudger);
        // Decisions continue on the last known state while the API server is away (after a sync), or are
        // refused with an error the scheduler retries (before one).
        nodes.exceptionHandler(InformerRetry.unless(source.closed::get, "nodes"));
        pods.exceptionHandler(InformerRetry.unless(source.closed::get, "pods"));
        nodes.start().whenComplete((v, err) -> source.started("nodes", source.nodesLive, err));
        pods.start().whenComplete((v, err) -> source.started("pods", source.podsLive, err));
        return source;
    }

    private void started(String what, AtomicBoolean live, Throwable err) {
        if (err != null) {
            LOG.error("informer on {} failed to start: {}", what, err.getMessage());
        } else {
            LOG.info("informer on {} synced and watching", what);
            live.set(true);
        }
    }

    @Override
    public LedgerSnapshot snapshot() {
        return store.snapshot();
    }

    @Override
    public String notReadyReason() {
        boolean n = nodesLive.get() && nodes.hasSynced();
        boolean p = podsLive.get() && pods.hasSynced();
        if (n && p) {
            return null;
        }
        return "informers not synced yet (" + (n ? "" : "nodes") + (!n && !p ? ", " : "") + (p ? "" : "pods") + ")";
    }

    @Override
    public LedgerStore store() {
        return store;
    }

    /** From the pod informer's (trimmed) cache: resources, priority, decision, UID — what the bind verb needs. */
    @Override
    public Pod pod(String namespace, String name) {
        return pods.getStore().getByKey(namespace + "/" + name);
    }

    @Override
    public Binder binder() {
        return binder;
    }

    @Override
    public void close() {
        closed.set(true);
        if (nudger != null) {
            nudger.close();
        }
        nodes.close();
        pods.close();
        if (ownsClient) {
            client.close();
        }
    }

    /** Adds and updates both upsert (the ledger keeps only the latest state); deletes remove. */
    private static <T> ResourceEventHandler<T> handler(Consumer<T> upsert, Consumer<T> remove) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                upsert.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T obj) {
                upsert.accept(obj);
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                remove.accept(obj);
            }
        };
    }
}
