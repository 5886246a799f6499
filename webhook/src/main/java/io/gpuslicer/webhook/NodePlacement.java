package io.gpuslicer.webhook;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTermBuilder;
import io.gpuslicer.policy.Pool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Writes where a pod may run. One pool: its labels go into {@code nodeSelector}. Several pools
 * (a time-sliced type with fallbacks): a required node affinity with one term per pool, ORed, and
 * a preferred affinity weighted by rank so the preferred pool wins even without the extender.
 * <p>
 * What the user wrote wins: a pool whose labels contradict the user's {@code nodeSelector} is
 * dropped (the scheduler could never place the pod there anyway); if every pool is contradicted,
 * the first pool's other labels are still added and the conflict is reported. Existing required
 * affinity terms are ANDed with ours (each user term x each pool term).
 */
final class NodePlacement {
    private NodePlacement() {
    }

    /** Applies the placement to {@code spec}; returns the pools actually written (their tolerations are needed). */
    static List<Pool> apply(PodSpec spec, List<Pool> pools, PlacementPlan plan, List<String> warnings) {
        Map<String, String> userSelector = spec.getNodeSelector() == null ? Map.of() : spec.getNodeSelector();
        List<Pool> compatible = pools.stream().filter(p -> conflicts(p, userSelector).isEmpty()).toList();
        if (compatible.isEmpty()) {
            Pool first = pools.get(0);
            conflicts(first, userSelector).forEach(key -> warnings.add("nodeSelector " + key + "=" + userSelector.get(key)
                    + " kept; pool " + first.name() + " wants " + key + "=" + first.nodeSelector().get(key)));
            addToNodeSelector(spec, first);
            return List.of(first);
        }
        if (compatible.size() < pools.size()) {
            warnings.add("nodeSelector excludes pool(s) " + pools.stream().filter(p -> !compatible.contains(p))
                    .map(Pool::name).collect(Collectors.joining(", ")));
        }
        if (compatible.size() == 1) {
            addToNodeSelector(spec, compatible.get(0));
        } else {
            requireOneOf(spec, compatible, plan);
            prefer(spec, compatible, plan);
        }
        return compatible;
    }

    /**
     * When the pod's own nodeSelector rules out every pool, its conflicting {@code key=value} pairs
     * (against the first pool), for a denial message; empty when at least one pool stays possible.
     */
    static Optional<String> rulesOutEveryPool(PodSpec spec, List<Pool> pools) {
        Map<String, String> userSelector = spec.getNodeSelector() == null ? Map.of() : spec.getNodeSelector();
        for (Pool pool : pools) {
            if (conflicts(pool, userSelector).isEmpty()) {
                return Optional.empty();
            }
        }
        return Optional.of(conflicts(pools.get(0), userSelector).stream()
                .map(key -> key + "=" + userSelector.get(key)).collect(Collectors.joining(", ")));
    }

    /** Keys on which the user's selector asks for another value than the pool. */
    private static List<String> conflicts(Pool pool, Map<String, String> userSelector) {
        List<String> keys = new ArrayList<>();
        pool.nodeSelector().forEach((key, value) -> {
            String user = userSelector.get(key);
            if (user != null && !user.equals(value)) {
                keys.add(key);
            }
        });
        keys.sort(null);
        return keys;
    }

    private static void addToNodeSelector(PodSpec spec, Pool pool) {
        Map<String, String> selector = spec.getNodeSelector() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(spec.getNodeSelector());
        pool.nodeSelector().forEach(selector::putIfAbsent);
        spec.setNodeSelector(selector);
    }

    private static void requireOneOf(PodSpec spec, List<Pool> pools, PlacementPlan plan) {
        NodeAffinity nodeAffinity = nodeAffinity(spec);
        NodeSelector required = nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution();
        List<NodeSelectorTerm> userTerms = required == null || required.getNodeSelectorTerms() == null
                ? List.of() : required.getNodeSelectorTerms();
        List<NodeSelectorTerm> terms = new ArrayList<>();
        if (userTerms.isEmpty()) {
            pools.forEach(p -> terms.add(plan.term(p)));
        } else if (userTerms.stream().allMatch(t -> confinesToOneOf(t, pools, plan))) {
            return; // already placed (our own earlier output, or the user's equivalent): idempotent
        } else {
            for (NodeSelectorTerm user : userTerms) {
                for (Pool pool : pools) {
                    terms.add(and(user, plan.term(pool)));
                }
            }
        }
        if (required == null) {
            required = new NodeSelector();
            nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(required);
        }
        required.setNodeSelectorTerms(terms);
    }

    /** True when the term already carries every requirement of one of the pools. */
    private static boolean confinesToOneOf(NodeSelectorTerm term, List<Pool> pools, PlacementPlan plan) {
        List<NodeSelectorRequirement> have = term.getMatchExpressions() == null ? List.of() : term.getMatchExpressions();
        return pools.stream().anyMatch(p -> have.containsAll(plan.requirements(p)));
    }

    private static NodeSelectorTerm and(NodeSelectorTerm user, NodeSelectorTerm pool) {
        NodeSelectorTermBuilder merged = new NodeSelectorTermBuilder(user);
        for (NodeSelectorRequirement r : pool.getMatchExpressions()) {
            if (user.getMatchExpressions() == null || !user.getMatchExpressions().contains(r)) {
                merged.addToMatchExpressions(r);
            }
        }
        return merged.build();
    }

    private static void prefer(PodSpec spec, List<Pool> pools, PlacementPlan plan) {
        NodeAffinity nodeAffinity = nodeAffinity(spec);
        List<PreferredSchedulingTerm> preferred = nodeAffinity.getPreferredDuringSchedulingIgnoredDuringExecution() == null
                ? new ArrayList<>() : new ArrayList<>(nodeAffinity.getPreferredDuringSchedulingIgnoredDuringExecution());
        for (int rank = 0; rank < pools.size(); rank++) {
            NodeSelectorTerm term = plan.term(pools.get(rank));
            if (preferred.stream().noneMatch(p -> term.equals(p.getPreference()))) {
                preferred.add(new PreferredSchedulingTermBuilder()
                        .withWeight(PlacementPlan.weight(rank, pools.size())).withPreference(term).build());
            }
        }
        nodeAffinity.setPreferredDuringSchedulingIgnoredDuringExecution(preferred);
    }

    private static NodeAffinity nodeAffinity(PodSpec spec) {
        if (spec.getAffinity() == null) {
            spec.setAffinity(new Affinity());
        }
        if (spec.getAffinity().getNodeAffinity() == null) {
            spec.getAffinity().setNodeAffinity(new NodeAffinity());
        }
        return spec.getAffinity().getNodeAffinity();
    }
}
