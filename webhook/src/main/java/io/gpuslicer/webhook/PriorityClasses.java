package io.gpuslicer.webhook;

import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PriorityClassSpec;

import java.util.Optional;

/**
 * Where the value and preemption policy of a priority class come from. The API server stamps
 * {@code priority} and {@code preemptionPolicy} before mutating webhooks run and rejects a pod whose
 * {@code priorityClassName} disagrees with them, so the webhook must know the live values.
 */
@FunctionalInterface
public interface PriorityClasses {

    /** The class as the cluster (or, failing that, the policy) defines it; empty when nobody knows it. */
    Optional<PriorityClassSpec> find(String name);

    /** The policy's own values: used when no cluster is reachable. */
    static PriorityClasses of(Policy policy) {
        return policy::priorityClass;
    }

    /** This lookup first, then {@code fallback}. */
    default PriorityClasses orElse(PriorityClasses fallback) {
        return name -> find(name).or(() -> fallback.find(name));
    }
}
