package io.gpuslicer.webhook;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.gpuslicer.policy.PriorityClassSpec;
import io.gpuslicer.server.InformerRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the webhook reads from the cluster: namespace labels and PriorityClasses, through fabric8
 * informers (list+watch into an in-memory store; a lookup is a concurrent map read, never an API
 * call on the admission path). Without a cluster both lookups are empty and the policy's priority
 * values are used.
 */
public final class ClusterCache implements NamespaceLabels, PriorityClasses, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterCache.class);

    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<PriorityClass> priorityClasses;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ClusterCache(SharedIndexInformer<Namespace> namespaces, SharedIndexInformer<PriorityClass> priorityClasses) {
        this.namespaces = namespaces;
        this.priorityClasses = priorityClasses;
    }

    /** No cluster: no namespace labels, no live priority classes. */
    public static ClusterCache none() {
        return new ClusterCache(null, null);
    }

    /** Starts both informers without waiting for them; {@link #notReadyReason()} tells when they have synced. */
    public static ClusterCache start(KubernetesClient client) {
        SharedIndexInformer<Namespace> ns = client.namespaces().runnableInformer(0);
        SharedIndexInformer<PriorityClass> pc = client.scheduling().v1().priorityClasses().runnableInformer(0);
        // Until a first sync /readyz says why not; afterwards the caches serve while the API server is away.
        ClusterCache cache = new ClusterCache(ns, pc);
        ns.exceptionHandler(InformerRetry.unless(cache.closed::get, "namespaces"));
        pc.exceptionHandler(InformerRetry.unless(cache.closed::get, "priorityclasses"));
        ns.start().whenComplete((v, err) -> log("namespaces", err));
        pc.start().whenComplete((v, err) -> log("priorityclasses", err));
        return cache;
    }

    private static void log(String what, Throwable err) {
        if (err != null) {
            LOG.error("informer on {} failed to start: {}", what, err.getMessage());
        } else {
            LOG.info("informer on {} synced", what);
        }
    }

    /** Null when ready; otherwise why not. Until synced, namespace defaults would be guessed wrong. */
    public String notReadyReason() {
        if (namespaces == null) {
            return null;
        }
        if (!namespaces.hasSynced()) {
            return "namespace informer not synced";
        }
        if (!priorityClasses.hasSynced()) {
            return "priorityclass informer not synced";
        }
        return null;
    }

    @Override
    public Map<String, String> of(String namespace) {
        if (namespaces == null || namespace == null || namespace.isEmpty()) {
            return Map.of();
        }
        Namespace ns = namespaces.getStore().getByKey(namespace);
        return ns == null || ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
    }

    @Override
    public Optional<PriorityClassSpec> find(String name) {
        if (priorityClasses == null || name == null) {
            return Optional.empty();
        }
        PriorityClass pc = priorityClasses.getStore().getByKey(name);
        if (pc == null || pc.getValue() == null) {
            return Optional.empty();
        }
        return Optional.of(new PriorityClassSpec(name, pc.getValue(), pc.getPreemptionPolicy()));
    }

    /** Like the API server: among several global defaults (a race), the one with the lowest value. */
    @Override
    public Optional<String> globalDefault() {
        if (priorityClasses == null) {
            return Optional.empty();
        }
        PriorityClass best = null;
        for (PriorityClass pc : priorityClasses.getStore().list()) {
            if (Boolean.TRUE.equals(pc.getGlobalDefault()) && pc.getValue() != null
                    && (best == null || pc.getValue() < best.getValue())) {
                best = pc;
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.getMetadata().getName());
    }

    @Override
    public void close() {
        closed.set(true);
        if (namespaces != null) {
            namespaces.close();
            priorityClasses.close();
        }
    }
}
