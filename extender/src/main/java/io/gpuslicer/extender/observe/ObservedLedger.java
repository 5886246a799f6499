package io.gpuslicer.extender.observe;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.ledger.InformerLedgerSource;
import io.gpuslicer.policy.Policy;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;

/**
 * The extender's informer ledger with the fleet metrics and placement Events riding on its pod informer:
 * what {@code gpu-slicer extender --kubeconfig} runs, in one place for the command and the tests.
 *
 * @param events null when placement Events are off
 */
public record ObservedLedger(InformerLedgerSource source, FleetMetrics metrics, PlacementEvents events) implements AutoCloseable {

    public static ObservedLedger start(KubernetesClient client, Policy policy, MeterRegistry registry, boolean placementEvents,
                                       String component, Clock clock) {
        return start(client, policy, registry, placementEvents, component, clock, true);
    }

    /** @param nudgePending patch pending pods when GPU capacity frees (see the ledger's PendingPodNudger) */
    public static ObservedLedger start(KubernetesClient client, Policy policy, MeterRegistry registry, boolean placementEvents,
                                       String component, Clock clock, boolean nudgePending) {
        return start(client, client, policy, registry, placementEvents, component, clock, nudgePending);
    }

    /**
     * @param client    Bindings and pod patches
     * @param informers the ledger's informers (see {@link InformerLedgerSource#start(KubernetesClient, KubernetesClient,
     *                  Policy, Clock, boolean, java.util.function.Function)}), and the placement Events: an Event is
     *                  written from the informer's handler, so on this client it goes out from the thread that saw the
     *                  placement, without waking another
     */
    public static ObservedLedger start(KubernetesClient client, KubernetesClient informers, Policy policy, MeterRegistry registry,
                                       boolean placementEvents, String component, Clock clock, boolean nudgePending) {
        return start(client, informers, policy, registry, placementEvents ? PlacementEvents.Scope.ALL : null, component, clock,
                nudgePending);
    }

    /** @param placementEvents which placements get an Event; null for none */
    public static ObservedLedger start(KubernetesClient client, KubernetesClient informers, Policy policy, MeterRegistry registry,
                                       PlacementEvents.Scope placementEvents, String component, Clock clock, boolean nudgePending) {
        FleetMetrics metrics = new FleetMetrics(registry, policy, clock);
        PlacementEvents events = placementEvents == null ? null
                : new PlacementEvents(informers, Framework.DEFAULT, placementEvents, metrics, component, clock);
        InformerLedgerSource source = InformerLedgerSource.start(client, informers, policy, clock, nudgePending,
                store -> new FleetObserver(store, metrics, events == null ? PlacementListener.NOOP : events, clock));
        return new ObservedLedger(source, metrics, events);
    }

    /** Label values follow a reloaded policy (the ledger's own store is updated by its holder). */
    public void usePolicy(Policy policy) {
        metrics.usePolicy(policy);
    }

    @Override
    public void close() {
        source.close();
        if (events != null) {
            events.close();
        }
    }
}
