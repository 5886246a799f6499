package io.gpuslicer.extender.ledger;

/**
 * A pod the extender's bind verb accepted on a node while its Binding is in flight (kube-scheduler's
 * assumed pod): it counts there until the informer shows it bound, the binding fails, or the TTL passes.
 *
 * @param expiresAtMillis epoch millis after which the reservation is dropped if nothing confirmed it
 */
public record Reservation(String uid, String node, PodUsage usage, long expiresAtMillis) {
}
