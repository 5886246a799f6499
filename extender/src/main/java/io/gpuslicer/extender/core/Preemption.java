package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.extender.ledger.NodeUsage;
import io.gpuslicer.extender.ledger.PodUsage;
import io.gpuslicer.policy.Pool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the GPU victims on one candidate node, in the order of kube-scheduler's
 * {@code SelectVictimsOnNode} (pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go),
 * so that what we answer is a set kube-scheduler accepts:
 * <ol>
 *   <li>the candidates are the node's <em>bound</em> GPU pods of lower priority (kube-scheduler looks
 *       every victim up among the node's pods and aborts on one it cannot find — a pod only nominated
 *       or still binding is never a victim); never a MIG pod for a time-sliced one;</li>
 *   <li>all candidates are removed; if the pod still does not fit, the node is dropped;</li>
 *   <li>candidates are given back ("reprieved") one by one while the pod still fits: pods the
 *       preemptor's pool lends nothing to first ("borrowed" capacity — a pool that is a fallback for
 *       the victim — is reprieved last, so it is reclaimed first), then the highest priority, then the
 *       pods kube-scheduler did not propose. What is left is minimal: no victim can be given back.</li>
 * </ol>
 * The node the pod is checked against is the one the pod sees ({@link NodeState#asSeenBy}): nominated
 * pods of at least its priority count, as in kube-scheduler's {@code RunFilterPluginsWithNominatedPods}.
 * <p>
 * Proposed victims that hold no GPU (not bound GPU pods in the ledger) are kept as proposed: kube-scheduler
 * needs them for resources the extender does not model. A node is never returned without a victim
 * (pkg/scheduler/framework/preemption/preemption.go: "expected at least one victim pod on node").
 * <p>
 * PodDisruptionBudgets are not watched. kube-scheduler counts the PDB violations of its own proposal;
 * when our set is a subset of it, that count (capped at our set's size) is an upper bound; otherwise each
 * victim it did not propose is counted as a possible violation, so a node never looks better than it is.
 */
public final class Preemption {
    private final Framework framework;

    /** The victims on one node and the PDB violations counted for them. */
    public record Choice(List<String> victims, long numPDBViolations) {
        public Choice {
            victims = List.copyOf(victims);
        }
    }

    public Preemption(Framework framework) {
        this.framework = framework;
    }

    /** The victims' UIDs for this node, or empty when the node should not be a preemption candidate. */
    public Optional<List<String>> victims(PodInfo pod, NodeState node, List<String> proposedUids) {
        return choose(pod, node, proposedUids, 0).map(Choice::victims);
    }

    /**
     * @param node                  the candidate node as the preemptor sees it
     * @param proposedUids          kube-scheduler's victims on this node
     * @param proposedPdbViolations kube-scheduler's NumPDBViolations for its proposal
     */
    public Optional<Choice> choose(PodInfo pod, NodeState node, List<String> proposedUids, long proposedPdbViolations) {
        if (pod.passThrough()) {
            return proposedUids.isEmpty() ? Optional.empty() : Optional.of(new Choice(proposedUids, proposedPdbViolations));
        }
        Status withoutVictims = framework.filter(pod, node);
        if (withoutVictims.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE
                || withoutVictims.reason() == Reason.MIG_RECONFIGURING) {
            return Optional.empty();
        }
        List<String> kept = new ArrayList<>();
        for (String uid : proposedUids) {
            if (node.usage().boundPod(uid) == null) {
                kept.add(uid);
            }
        }
        List<String> gpuVictims = withoutVictims.isSuccess() ? List.of() : gpuVictims(pod, node, Set.copyOf(proposedUids));
        if (gpuVictims == null) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>(kept);
        out.addAll(gpuVictims);
        if (out.isEmpty()) {
            // The pod fits without GPU victims: kube-scheduler's own reasons (its proposal) stand, and
            // without any, the node is not a candidate at all.
            if (proposedUids.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Choice(proposedUids, proposedPdbViolations));
        }
        return Optional.of(new Choice(out, pdbViolations(out, proposedUids, proposedPdbViolations)));
    }

    /** Remove every candidate, check fit, reprieve; null when even removing all does not make the pod fit. */
    private List<String> gpuVictims(PodInfo pod, NodeState node, Set<String> proposed) {
        List<PodUsage> candidates = new ArrayList<>();
        NodeUsage without = node.usage();
        for (PodUsage p : node.usage().bound()) {
            if (eligible(pod, p)) {
                candidates.add(p);
                without = without.without(p.uid());
            }
        }
        if (candidates.isEmpty() || !fits(pod, node, without)) {
            return null;
        }
        // Reprieve order: kept-if-possible first. Borrowed capacity last, so it is what stays evicted.
        candidates.sort(Comparator.<PodUsage>comparingInt(p -> borrowed(p, node.pools()) ? 1 : 0)
                .thenComparing(Comparator.comparingInt(PodUsage::priority).reversed())
                .thenComparingInt(p -> proposed.contains(p.uid()) ? 1 : 0)
                .thenComparing(PodUsage::uid));
        NodeUsage current = without;
        List<String> victims = new ArrayList<>();
        for (PodUsage p : candidates) {
            NodeUsage back = current.with(p);
            if (fits(pod, node, back)) {
                current = back;
            } else {
                victims.add(p.uid());
            }
        }
        return victims;
    }

    private boolean fits(PodInfo pod, NodeState node, NodeUsage usage) {
        return framework.filter(pod, new NodeState(node.inventory(), usage, node.pools())).isSuccess();
    }

    static long pdbViolations(List<String> chosen, List<String> proposed, long proposedViolations) {
        Set<String> proposedSet = new HashSet<>(proposed);
        long outside = chosen.stream().filter(uid -> !proposedSet.contains(uid)).count();
        if (outside == 0) {
            return Math.min(proposedViolations, chosen.size());
        }
        return Math.min(chosen.size(), proposedViolations + outside);
    }

    static boolean eligible(PodInfo preemptor, PodUsage victim) {
        if (victim.priority() >= preemptor.priority()) {
            return false;
        }
        if (!preemptor.isMig()) {
            return !victim.isMigPod() && victim.gpuUnits() > 0;
        }
        return preemptor.mixedResource() ? victim.migUnitsOf(preemptor.migProfile()) > 0 : victim.gpuUnits() > 0;
    }

    /** The victim runs on a pool that is a fallback for it (rank &gt; 0): capacity it borrowed. */
    static boolean borrowed(PodUsage victim, Pool[] nodePools) {
        for (Pool p : nodePools) {
            if (victim.rankOn(p.name()) > 0) {
                return true;
            }
        }
        return false;
    }
}
