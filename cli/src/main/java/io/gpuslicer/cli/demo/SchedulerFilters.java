package io.gpuslicer.cli.demo;

import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.gpuslicer.extender.ledger.NodeInventory;
import io.gpuslicer.extender.ledger.NodeTaint;

import java.util.List;
import java.util.Map;

/**
 * The two in-tree kube-scheduler filters that run before any extender and matter for GPU pods:
 * TaintToleration, then NodeAffinity (nodeSelector + required node affinity), in the scheduler's
 * order and with its reason texts. The demo applies them so the extender sees the nodes a real
 * scheduler would send it, and a pending pod's message reads like kube-scheduler's.
 * NodeResourcesFit is left out on purpose: the extender tracks the same allocatable − requested
 * for GPU resources, and the demo is there to show its reasons.
 */
final class SchedulerFilters {
    static final String AFFINITY_MISMATCH = "node(s) didn't match Pod's node affinity/selector";

    private SchedulerFilters() {
    }

    /** Null when the node passes both filters; otherwise the first refusal's reason. */
    static String refusal(PodSpec pod, NodeInventory node) {
        NodeTaint untolerated = firstUntolerated(pod.getTolerations(), node.taints());
        if (untolerated != null) {
            return "node(s) had untolerated taint {" + untolerated.key() + ": " + nullToEmpty(untolerated.value()) + "}";
        }
        return matchesAffinity(pod, node) ? null : AFFINITY_MISMATCH;
    }

    private static NodeTaint firstUntolerated(List<Toleration> tolerations, List<NodeTaint> taints) {
        for (NodeTaint taint : taints) {
            // PreferNoSchedule is a scoring hint, not a filter.
            if (!"NoSchedule".equals(taint.effect()) && !"NoExecute".equals(taint.effect())) {
                continue;
            }
            if (tolerations == null || tolerations.stream().noneMatch(t -> tolerates(t, taint))) {
                return taint;
            }
        }
        return null;
    }

    static boolean tolerates(Toleration t, NodeTaint taint) {
        if (t.getEffect() != null && !t.getEffect().isEmpty() && !t.getEffect().equals(taint.effect())) {
            return false;
        }
        boolean anyKey = t.getKey() == null || t.getKey().isEmpty();
        if (!anyKey && !t.getKey().equals(taint.key())) {
            return false;
        }
        if ("Exists".equals(t.getOperator())) {
            return true;
        }
        // Equal is the default operator; an empty key is only valid with Exists.
        return !anyKey && nullToEmpty(t.getValue()).equals(nullToEmpty(taint.value()));
    }

    static boolean matchesAffinity(PodSpec pod, NodeInventory node) {
        Map<String, String> selector = pod.getNodeSelector();
        if (selector != null) {
            for (Map.Entry<String, String> e : selector.entrySet()) {
                if (!e.getValue().equals(node.labels().get(e.getKey()))) {
                    return false;
                }
            }
        }
        NodeSelector required = pod.getAffinity() == null || pod.getAffinity().getNodeAffinity() == null ? null
                : pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        // Terms are ORed; an empty list of terms matches no node.
        return required == null || required.getNodeSelectorTerms().stream().anyMatch(term -> matches(term, node));
    }

    private static boolean matches(NodeSelectorTerm term, NodeInventory node) {
        List<NodeSelectorRequirement> expressions = term.getMatchExpressions();
        List<NodeSelectorRequirement> fields = term.getMatchFields();
        if (expressions.isEmpty() && fields.isEmpty()) {
            return false;
        }
        return expressions.stream().allMatch(r -> matches(r, node.labels().get(r.getKey()), node.labels().containsKey(r.getKey())))
                && fields.stream().allMatch(r -> "metadata.name".equals(r.getKey()) && matches(r, node.name(), true));
    }

    private static boolean matches(NodeSelectorRequirement r, String value, boolean present) {
        List<String> values = r.getValues();
        return switch (r.getOperator()) {
            case "In" -> present && values.contains(value);
            case "NotIn" -> !present || !values.contains(value);
            case "Exists" -> present;
            case "DoesNotExist" -> !present;
            case "Gt", "Lt" -> present && values.size() == 1 && compares(r.getOperator(), value, values.get(0));
            default -> false;
        };
    }

    private static boolean compares(String operator, String value, String bound) {
        try {
            long v = Long.parseLong(value);
            long b = Long.parseLong(bound);
            return "Gt".equals(operator) ? v > b : v < b;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
