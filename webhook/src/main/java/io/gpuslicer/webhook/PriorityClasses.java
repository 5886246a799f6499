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

    /**
     * The cluster's {@code globalDefault: true} class, if any. The API server's Priority plugin writes its
     * name into {@code priorityClassName} of every pod created without one, before webhooks run, so a pod
     * carrying it has, as far as anyone can tell, not chosen a class.
     */
    default Optional<String> globalDefault() {
        return Optional.empty();
    }

    /** The policy's own values: used when no cluster is reachable. */
    static PriorityClasses of(Policy policy) {
        return policy::priorityClass;
    }

    /** This lookup first, then {@code fallback}; the global default is this one's (only a cluster has one). */
    default PriorityClasses orElse(PriorityClasses fallback) {
        PriorityClasses primary = this;
        return new PriorityClasses() {
            @Override
            public Optional<PriorityClassSpec> find(String name) {
                return primary.find(name).or(() -> fallback.find(name));
            }

            @Override
            public Optional<String> globalDefault() {
                return primary.globalDefault().or(fallback::globalDefault);
            }
        };
    }
}
