package io.gpuslicer.cli.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.core.Detail;
import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.core.NodeGroups;
import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.extender.core.Reason;
import io.gpuslicer.extender.core.Status;
import io.gpuslicer.extender.observe.GpuPodView;
import io.gpuslicer.extender.observe.PlacementNote;
import io.gpuslicer.policy.Decision;

import java.util.List;
import java.util.Optional;

/**
 * {@code gpu-slicer explain NAMESPACE/POD} as text: the webhook's decision, and for a pending pod every
 * node group's verdict from the extender's own filters ({@link NodeGroups} over {@link Framework#DEFAULT}),
 * so the answer is the extender's answer, not a second opinion.
 */
public final class ExplainReport {
    private static final int NAMES_SHOWN = 4;

    private ExplainReport() {
    }

    /** Null pod: not found. */
    public static String render(ClusterState state, String namespace, String name) {
        Pod pod = state.pod(namespace, name);
        String key = namespace + "/" + name;
        if (pod == null) {
            return key + ": no such pod in " + state.source() + "\n";
        }
        Optional<GpuPodView> seen = GpuPodView.of(pod, state.policy());
        if (seen.isEmpty()) {
            PodInfo info = PodInfo.of(pod, state.policy());
            return key + ": not a pod gpu-slicer places (" + info.passReason() + "); gpu-slicer's filters pass every node for it."
                    + " A GPU pod without the decision annotation was not mutated: is its namespace labelled "
                    + state.policy().vocabulary().injectLabel() + "=enabled?\n";
        }
        GpuPodView view = seen.get();
        PodInfo info = view.info();
        StringBuilder out = new StringBuilder();
        out.append(key).append(": ").append(phase(view, state)).append("\n\n");
        Decision decision = decision(pod, state);
        TextTable facts = new TextTable("", "");
        facts.row("workload type", info.workloadType() + " (" + info.mode().wireName() + ", priority " + info.priority() + ")");
        facts.row("pools", pools(info));
        facts.row("decided by", "the webhook (annotation " + state.policy().vocabulary().decisionAnnotation() + ", policy "
                + (decision == null ? "?" : decision.policyVersion()) + ")");
        facts.row("asks for", info.units() + " " + (info.isMig() ? "MIG " + info.migProfile() + " instance" : "time-slice replica")
                + (info.units() == 1 ? "" : "s"));
        facts.appendTo(out);
        if (view.node() != null) {
            out.append("\n  ").append(PlacementNote.of(Framework.DEFAULT, info, view.node(), state.ledger())).append('\n');
            return out.toString();
        }
        if (view.terminated()) {
            return out.toString();
        }
        List<NodeGroups.Group> groups = NodeGroups.of(Framework.DEFAULT, info, state.ledger());
        out.append("\nEvery node, grouped by pool and gpu-slicer's verdict:\n\n");
        TextTable table = new TextTable("POOL", "FOR THIS POD", "NODES", "VERDICT");
        for (NodeGroups.Group g : groups) {
            table.row(g.pool() == null ? "(no pool)" : g.pool(), rank(g.rank()), String.valueOf(g.nodes().size()),
                    verdict(g.status()) + ": " + names(g.nodes()));
        }
        table.appendTo(out);
        out.append('\n').append(summary(info, groups)).append('\n');
        return out.toString();
    }

    private static String phase(GpuPodView view, ClusterState state) {
        if (view.node() != null) {
            return "bound to " + view.node();
        }
        if (view.terminated()) {
            return "finished";
        }
        String waited = Durations.age(FleetStatus.waitOf(view, state));
        return "Pending for " + waited + (view.nominatedNode() == null ? "" : ", nominated to " + view.nominatedNode() + " by preemption");
    }

    private static Decision decision(Pod pod, ClusterState state) {
        var a = pod.getMetadata().getAnnotations();
        return a == null ? null : Decision.parse(a.get(state.policy().vocabulary().decisionAnnotation())).orElse(null);
    }

    private static String pools(PodInfo info) {
        if (info.isMig()) {
            return info.pools()[0] + ", pinned: a MIG pod never falls back";
        }
        String[] p = info.pools();
        return p.length == 1 ? p[0] + ", no fallback"
                : p[0] + " preferred, then " + String.join(", ", java.util.Arrays.copyOfRange(p, 1, p.length)) + " as fallback"
                + (p.length > 2 ? "s" : "");
    }

    private static String rank(int rank) {
        return rank < 0 ? "not allowed" : rank == 0 ? "preferred" : "fallback " + rank;
    }

    private static String verdict(Status s) {
        if (s.isSuccess()) {
            return "fits now";
        }
        if (s.reason() == Reason.POOL_NOT_ALLOWED) {
            // The detail repeats the pod's pools on every line; the pool column already says which pool the nodes are in.
            return s.reason().text();
        }
        return s.message().replaceFirst("^gpu-slicer: ", "");
    }

    private static String names(List<String> nodes) {
        if (nodes.size() <= NAMES_SHOWN) {
            return String.join(", ", nodes);
        }
        return String.join(", ", nodes.subList(0, NAMES_SHOWN)) + " and " + (nodes.size() - NAMES_SHOWN) + " more";
    }

    /** One sentence: what would make the pod fit. */
    static String summary(PodInfo pod, List<NodeGroups.Group> groups) {
        List<NodeGroups.Group> allowed = groups.stream().filter(g -> g.rank() >= 0).toList();
        if (allowed.isEmpty()) {
            return "No node is in any of its pools: label nodes into " + String.join(" or ", pod.poolList())
                    + " (see the policy's nodeSelector for each pool).";
        }
        if (allowed.stream().anyMatch(NodeGroups.Group::fits)) {
            return "gpu-slicer would pass the nodes marked \"fits now\": if the pod stays Pending, kube-scheduler's own filters "
                    + "(taints, node affinity, CPU/memory) hold it, or the scheduler has not retried yet; see kubectl describe pod.";
        }
        boolean tooBig = allowed.stream().allMatch(g -> g.status().detail() instanceof Detail.InsufficientResource r
                && r.requested() > r.capacity());
        if (tooBig) {
            return "It asks for more than any node of its pools has in total: it can never fit as written. Ask for fewer "
                    + "units, or add larger nodes to " + String.join(" or ", pod.poolList()) + ".";
        }
        if (allowed.stream().allMatch(g -> g.status().code() == Status.Code.UNSCHEDULABLE)) {
            return "Its pools are busy or settling: it fits once pods there finish, a MIG layout change completes, "
                    + "or preemption frees room for it (only lower-priority victims"
                    + (pod.isMig() ? "" : ", never MIG pods") + ").";
        }
        return "None of its pools' nodes can take it as they are configured (see the verdicts above).";
    }
}
