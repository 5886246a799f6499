package io.gpuslicer.webhook;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.Pool;
import io.gpuslicer.policy.TolerationSpec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kubernetes objects a policy's pools turn into, built once per policy version instead of once
 * per admission. The objects held here are shared by every request and never handed out: callers
 * get copies, because fabric8 model objects are mutable.
 */
final class PlacementPlan {
    private final String policyVersion;
    private final Map<String, NodeSelectorTerm> terms = new HashMap<>();
    private final Map<String, List<Toleration>> tolerations = new HashMap<>();

    PlacementPlan(Policy policy) {
        this.policyVersion = policy.version();
        for (Pool pool : policy.pools().values()) {
            terms.put(pool.name(), termOf(pool));
            tolerations.put(pool.name(), pool.tolerations().stream().map(PlacementPlan::tolerationOf).toList());
        }
    }

    String policyVersion() {
        return policyVersion;
    }

    /** A fresh copy of the node selector term that selects {@code pool}'s nodes. */
    NodeSelectorTerm term(Pool pool) {
        return new NodeSelectorTermBuilder(terms.get(pool.name())).build();
    }

    /** The pool's requirements as a set, for containment checks (read only). */
    List<NodeSelectorRequirement> requirements(Pool pool) {
        return terms.get(pool.name()).getMatchExpressions();
    }

    /** Fresh copies of the tolerations of {@code pool}. */
    List<Toleration> tolerations(Pool pool) {
        return tolerations.get(pool.name()).stream().map(t -> new TolerationBuilder(t).build()).toList();
    }

    /**
     * Preferred-affinity weight of the pool at {@code rank} among {@code count}: 100, 50, 25, ...
     * halving while that stays strictly decreasing within 1..100, an even step down from 100 otherwise.
     */
    static int weight(int rank, int count) {
        if (count <= 7) {
            return 100 >> rank;
        }
        int step = 99 / (count - 1);
        return 100 - rank * step;
    }

    /** One {@code In} requirement per selector entry, sorted by key so the term is deterministic. */
    private static NodeSelectorTerm termOf(Pool pool) {
        NodeSelectorTermBuilder term = new NodeSelectorTermBuilder();
        new TreeMap<>(pool.nodeSelector()).forEach((key, value) -> term.addToMatchExpressions(
                new NodeSelectorRequirementBuilder().withKey(key).withOperator("In").withValues(value).build()));
        return term.build();
    }

    private static Toleration tolerationOf(TolerationSpec spec) {
        return new TolerationBuilder()
                .withKey(spec.key())
                .withOperator(spec.operator())
                .withValue(spec.value())
                .withEffect(spec.effect())
                .withTolerationSeconds(spec.tolerationSeconds())
                .build();
    }
}
