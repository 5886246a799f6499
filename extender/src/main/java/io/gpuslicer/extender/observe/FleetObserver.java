package io.gpuslicer.extender.observe;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.gpuslicer.extender.ledger.LedgerStore;
import io.gpuslicer.extender.ledger.NodeState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A second handler on the extender's pod informer (no API traffic of its own): follows each GPU pod
 * from pending to bound and feeds {@link FleetMetrics} and the {@link PlacementListener}.
 * <ul>
 *   <li>pending → bound is seen as an update whose pod now has {@code spec.nodeName}: the wait is
 *       creation → now, the pool is the best of the node's pools for the pod;</li>
 *   <li>pods already bound when first seen (the informer's initial list) are not placements we saw:
 *       they count in no histogram, so a restart does not count them twice;</li>
 *   <li>a preemption is a pending pod that gets {@code status.nominatedNodeName}; a victim is a pod that
 *       gets the {@code DisruptionTarget/PreemptionByScheduler} condition — each counted once per pod;</li>
 *   <li>a placement is told to the listener by the replica that bound the pod when a bind verb did (the pod then
 *       carries the {@code <prefix>/pool} annotation), else by every replica that sees it.</li>
 * </ul>
 * It takes a ledger snapshot only for a placement its listener wants to explain ({@link PlacementListener#wants}).
 * Informer handlers of one informer run one event at a time; the maps are concurrent for readers.
 */
public final class FleetObserver implements ResourceEventHandler<Pod> {
    private static final Logger LOG = LoggerFactory.getLogger(FleetObserver.class);

    private final LedgerStore ledger;
    private final FleetMetrics metrics;
    private final PlacementListener placements;
    private final Clock clock;
    /** uid → the pending pod as last seen (its labels on the gauge). */
    private final Map<String, GpuPodView> pending = new ConcurrentHashMap<>();
    private final Set<String> nominated = ConcurrentHashMap.newKeySet();
    private final Set<String> victims = ConcurrentHashMap.newKeySet();

    public FleetObserver(LedgerStore ledger, FleetMetrics metrics, PlacementListener placements, Clock clock) {
        this.ledger = ledger;
        this.metrics = metrics;
        this.placements = placements;
        this.clock = clock;
    }

    @Override
    public void onAdd(Pod pod) {
        observe(pod);
    }

    @Override
    public void onUpdate(Pod oldPod, Pod pod) {
        // oldPod is the informer cache's trimmed copy: what we need of the past is in our own maps.
        observe(pod);
    }

    @Override
    public void onDelete(Pod pod, boolean finalStateUnknown) {
        String uid = pod.getMetadata() == null ? null : pod.getMetadata().getUid();
        if (uid != null) {
            forget(uid);
        }
    }

    /** GPU pods pending now (for tests). */
    public int pendingCount() {
        return pending.size();
    }

    private void observe(Pod pod) {
        String uid = pod.getMetadata() == null ? null : pod.getMetadata().getUid();
        if (uid == null) {
            return;
        }
        // The policy only: a snapshot is taken when a pod is bound (the placement's explanation reads it), not per event.
        GpuPodView view = GpuPodView.of(pod, ledger.policy()).orElse(null);
        if (view == null) {
            forget(uid);
            return;
        }
        if (view.preemptedByScheduler() && victims.add(uid)) {
            metrics.victim(view.workloadType());
        }
        if (view.pending()) {
            pending.put(uid, view);
            metrics.pendingAdded(view);
            if (view.nominatedNode() != null && nominated.add(uid)) {
                metrics.preemption(view.workloadType());
            }
            return;
        }
        GpuPodView waited = pending.remove(uid);
        nominated.remove(uid);
        if (waited == null) {
            return;
        }
        metrics.pendingRemoved(waited);
        if (view.node() != null) {
            bound(pod, view);
        }
    }

    private void bound(Pod pod, GpuPodView view) {
        // The node's state without a snapshot: a snapshot copies the ledger's changed shards, and on a replica that no
        // request reads from (the Deployment's second) nothing else would use it.
        NodeState node = ledger.current(view.node());
        int rank = node == null ? -1 : view.info().rankOn(node.pools());
        String pool = rank < 0 ? null : view.info().pools()[rank];
        Duration wait = view.created() == null ? null : Duration.between(view.created(), clock.instant());
        metrics.bound(view.workloadType(), pool, rank > 0, wait);
        // Every replica's informer sees every binding. A pod a bind verb placed carries its pool (the Binding's
        // annotation), and only the replica that bound it explains it: one Event per placement, not one per replica.
        boolean reservedHere = ledger.takeReservedHere(view.uid());
        if (!reservedHere && boundByABindVerb(pod) || !placements.wants(view.info(), rank)) {
            return;
        }
        try {
            placements.placed(pod, view.info(), view.node(), ledger.snapshot());
        } catch (RuntimeException e) {
            LOG.warn("placement listener failed for pod {}: {}", view.key(), e.toString());
        }
    }

    private boolean boundByABindVerb(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey(ledger.policy().vocabulary().poolAnnotation());
    }

    private void forget(String uid) {
        GpuPodView was = pending.remove(uid);
        if (was != null) {
            metrics.pendingRemoved(was);
        }
        nominated.remove(uid);
        victims.remove(uid);
    }
}
