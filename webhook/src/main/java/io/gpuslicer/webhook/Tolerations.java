package io.gpuslicer.webhook;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.gpuslicer.policy.Pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Adds the tolerations of the chosen pools, keeping the pod's own and never adding one twice. */
final class Tolerations {
    private Tolerations() {
    }

    static void add(PodSpec spec, List<Pool> pools, PlacementPlan plan) {
        List<Toleration> tolerations = spec.getTolerations() == null ? new ArrayList<>() : new ArrayList<>(spec.getTolerations());
        for (Pool pool : pools) {
            for (Toleration wanted : plan.tolerations(pool)) {
                if (tolerations.stream().noneMatch(t -> same(t, wanted))) {
                    tolerations.add(wanted);
                }
            }
        }
        spec.setTolerations(tolerations);
    }

    /** Equal as the API server sees them: an absent operator means {@code Equal}. */
    private static boolean same(Toleration a, Toleration b) {
        return Objects.equals(a.getKey(), b.getKey())
                && Objects.equals(operator(a), operator(b))
                && Objects.equals(a.getValue(), b.getValue())
                && Objects.equals(a.getEffect(), b.getEffect())
                && Objects.equals(a.getTolerationSeconds(), b.getTolerationSeconds());
    }

    private static String operator(Toleration t) {
        return t.getOperator() == null || t.getOperator().isEmpty() ? "Equal" : t.getOperator();
    }
}
