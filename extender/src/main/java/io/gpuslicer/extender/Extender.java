package io.gpuslicer.extender;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.bind.BindVerb;
import io.gpuslicer.extender.bind.Binding;
import io.gpuslicer.extender.core.ClassRow;
import io.gpuslicer.extender.core.ExtenderMetrics;
import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.core.LedgerWorkloadMix;
import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.extender.core.Preemption;
import io.gpuslicer.extender.core.Reason;
import io.gpuslicer.extender.core.RecentPodInfos;
import io.gpuslicer.extender.core.Status;
import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.LedgerSource;
import io.gpuslicer.extender.ledger.Membership;
import io.gpuslicer.extender.ledger.NodeInventories;
import io.gpuslicer.extender.ledger.NodeIndex;
import io.gpuslicer.extender.ledger.NodeInventory;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.extender.ledger.NodeTable;
import io.gpuslicer.extender.wire.ExtenderArgs;
import io.gpuslicer.extender.wire.ExtenderBindingArgs;
import io.gpuslicer.extender.wire.ExtenderBindingResult;
import io.gpuslicer.extender.wire.ExtenderFilterResult;
import io.gpuslicer.extender.wire.ExtenderPreemptionArgs;
import io.gpuslicer.extender.wire.ExtenderPreemptionResult;
import io.gpuslicer.extender.wire.HostPriority;
import io.gpuslicer.extender.wire.MetaPod;
import io.gpuslicer.extender.wire.MetaVictims;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The extender's verbs, in process: what the HTTP server calls, and what the demo and benchmarks
 * call directly. Each call takes one ledger snapshot and derives the pod's {@link PodInfo} once.
 * Node-name requests (nodeCacheCapable: true) use the ledger's nodes; full-Node requests use the
 * request's Node objects for labels and allocatable and the ledger for the pods on them.
 */
public final class Extender {
    private static final Status UNKNOWN_NODE = Status.unresolvable(Reason.UNKNOWN_NODE, null);

    private final LedgerSource source;
    private final Framework framework;
    private final Preemption preemption;
    private final ExtenderMetrics metrics;
    private final BindVerb binder;
    /** One derivation per pod and scheduling cycle: filter, prioritize and bind get the same decoded Pod. */
    private final RecentPodInfos podInfos = new RecentPodInfos();

    /** The standard filters and scorers; fragmentation is measured against the mix of pods the ledger holds. */
    public Extender(LedgerSource source, ExtenderMetrics metrics) {
        this(source, metrics, BindVerb.DEFAULT_TTL);
    }

    /**
     * As {@link #Extender(LedgerSource, ExtenderMetrics)}, with the bind verb's reservations kept {@code reservationTtl}:
     * what the HTTP server runs, so the live extender (and the demo, which runs it) scores as the benchmarks do.
     */
    public Extender(LedgerSource source, ExtenderMetrics metrics, Duration reservationTtl) {
        this(source, learningFramework(source), metrics, reservationTtl);
    }

    /** The standard framework whose fragmentation scorer measures against the mix the ledger holds, relearned every {@link #MIX_REFRESH_MILLIS}. */
    public static Framework learningFramework(LedgerSource source) {
        return Framework.standard(new LedgerWorkloadMix(source::snapshot, java.time.Clock.systemUTC(), MIX_REFRESH_MILLIS));
    }

    /** How often the workload mix is learned again from the ledger. */
    static final long MIX_REFRESH_MILLIS = 10_000;

    public Extender(LedgerSource source, Framework framework, ExtenderMetrics metrics) {
        this(source, framework, metrics, BindVerb.DEFAULT_TTL);
    }

    /** @param reservationTtl how long a bound pod counts on its node before the informer confirms it */
    public Extender(LedgerSource source, Framework framework, ExtenderMetrics metrics, Duration reservationTtl) {
        this.source = source;
        this.framework = framework;
        this.preemption = new Preemption(framework);
        this.metrics = metrics;
        this.binder = new BindVerb(source, framework, reservationTtl, podInfos);
    }

    public LedgerSource source() {
        return source;
    }

    public ExtenderFilterResult filter(ExtenderArgs args) {
        LedgerSnapshot snap = source.snapshot();
        PodInfo pod = podInfos.of(args.pod(), snap.policy());
        binder.decided(args.pod());
        if (pod.passThrough()) {
            return new ExtenderFilterResult(args.hasFullNodes() ? args.nodes() : null,
                    args.hasFullNodes() ? null : names(args), Map.of(), Map.of(), "");
        }
        String notReady = source.notReadyReason();
        if (notReady != null) {
            return ExtenderFilterResult.error(new ExtenderNotReadyException(notReady).getMessage());
        }
        Refusals refusals = new Refusals(args.hasFullNodes() ? args.nodes().getItems().size() : names(args).size());
        if (args.hasFullNodes()) {
            List<Node> passed = new ArrayList<>();
            boolean primaryPassed = false;
            for (Node node : args.nodes().getItems()) {
                NodeState state = stateOf(node, snap).asSeenBy(pod.uid(), pod.priority());
                Status s = framework.filter(pod, state);
                if (s.isSuccess()) {
                    passed.add(node);
                    primaryPassed |= pod.rankOn(state.pools()) == 0;
                } else {
                    refusals.add(node.getMetadata().getName(), s);
                }
            }
            refusals.report(metrics);
            countFallback(pod, !passed.isEmpty(), primaryPassed);
            // Not NodeListBuilder: fabric8 builders deep-copy every Node, which costs more than the decision.
            NodeList list = new NodeList();
            list.setMetadata(new ListMeta());
            list.setItems(passed);
            return new ExtenderFilterResult(list, null, refusals.failed, refusals.unresolvable, "");
        }
        List<String> names = names(args);
        List<String> passed = new ArrayList<>(names.size());
        boolean primaryPassed = false;
        // By node number: the request reads the few arrays of the table and of this class's row, not each node's
        // state and what it remembers (ClassRow).
        NodeTable table = snap.table();
        NodeIndex index = table.index();
        ClassRow row = ClassRow.of(framework, pod, index);
        for (String name : names) {
            int number = index.of(name);
            Status s = number < 0 ? UNKNOWN_NODE : row.filter(pod, table, number);
            if (s.isSuccess()) {
                passed.add(name);
                primaryPassed = primaryPassed || row.primary(pod, table, number);
            } else {
                refusals.add(name, s);
            }
        }
        refusals.report(metrics);
        countFallback(pod, !passed.isEmpty(), primaryPassed);
        return new ExtenderFilterResult(null, passed, refusals.failed, refusals.unresolvable, "");
    }

    /**
     * A pod whose preferred pool has no feasible node will land on a fallback pool, whichever node the
     * scheduler picks. Counted here, not in prioritize: kube-scheduler skips prioritize when only one
     * node is feasible, which is exactly the "preferred pool full, one fallback node left" case.
     */
    private void countFallback(PodInfo pod, boolean anyPassed, boolean primaryPassed) {
        if (anyPassed && !primaryPassed) {
            metrics.fallbackPlacement(pod.workloadType());
        }
    }

    /** Scores 0..10 for every node sent; neutral (0) for pods that are not ours. */
    public List<HostPriority> prioritize(ExtenderArgs args) {
        LedgerSnapshot snap = source.snapshot();
        PodInfo pod = podInfos.of(args.pod(), snap.policy());
        binder.decided(args.pod());
        List<String> names = names(args);
        List<HostPriority> out = new ArrayList<>(names.size());
        if (pod.passThrough() && !framework.scores(pod)) {
            for (String name : names) {
                out.add(new HostPriority(name, 0));
            }
            return out;
        }
        String notReady = source.notReadyReason();
        if (notReady != null) {
            throw new ExtenderNotReadyException(notReady);
        }
        // All candidates are scored together: relative scorers (fragmentation) normalise over them.
        NodeState[] states = new NodeState[names.size()];
        // names[i] is states[at[i]], or unknown to the ledger (-1: scores 0).
        int[] at = new int[names.size()];
        int known = 0;
        if (args.hasFullNodes()) {
            for (Node node : args.nodes().getItems()) {
                at[known] = known;
                states[known++] = stateOf(node, snap).asSeenBy(pod.uid(), pod.priority());
            }
            int[] scores = framework.scoreAll(pod, states);
            for (int i = 0; i < names.size(); i++) {
                out.add(new HostPriority(names.get(i), scores[i]));
            }
            return out;
        }
        // By node number, as filter: raw scores of plain states are read from and kept in this class's row.
        NodeTable table = snap.table();
        NodeIndex index = table.index();
        ClassRow row = ClassRow.of(framework, pod, index);
        int[] numbers = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            int number = index.of(names.get(i));
            at[i] = number < 0 ? -1 : known;
            if (number >= 0) {
                NodeState state = table.state(number);
                // Only a plain state's scores are kept: nominated and reserved pods count for some pods, not others.
                boolean plain = row.knows(number, state) || state.plain();
                numbers[known] = plain ? number : -1;
                states[known++] = plain ? state : state.asSeenBy(pod.uid(), pod.priority());
            }
        }
        int[] scores = known == states.length ? framework.scoreAll(pod, states, row, numbers)
                : framework.scoreAll(pod, java.util.Arrays.copyOf(states, known), row, numbers);
        for (int i = 0; i < names.size(); i++) {
            out.add(new HostPriority(names.get(i), at[i] < 0 ? 0 : scores[at[i]]));
        }
        return out;
    }

    public ExtenderPreemptionResult preempt(ExtenderPreemptionArgs args) {
        LedgerSnapshot snap = source.snapshot();
        PodInfo pod = podInfos.of(args.pod(), snap.policy());
        Map<String, MetaVictims> proposed = proposedVictims(args);
        if (pod.passThrough()) {
            // Not ours: the scheduler's proposal stands, minus any node it proposed without a victim.
            proposed.values().removeIf(v -> v.pods().isEmpty());
            return new ExtenderPreemptionResult(proposed);
        }
        String notReady = source.notReadyReason();
        if (notReady != null) {
            throw new ExtenderNotReadyException(notReady);
        }
        Map<String, MetaVictims> out = new LinkedHashMap<>();
        proposed.forEach((nodeName, victims) -> {
            NodeState node = snap.node(nodeName);
            if (node == null) {
                return;
            }
            List<String> uids = new ArrayList<>();
            for (MetaPod p : victims.pods()) {
                uids.add(p.uid());
            }
            // A node is returned only with at least one victim (Preemption never answers an empty set).
            preemption.choose(pod, node.asSeenBy(pod.uid(), pod.priority()), uids, victims.numPDBViolations())
                    .ifPresent(choice -> out.put(nodeName, new MetaVictims(
                            choice.victims().stream().map(MetaPod::new).toList(), choice.numPDBViolations())));
        });
        return new ExtenderPreemptionResult(out);
    }

    /**
     * kube-scheduler's bindVerb: re-check under the node's lock against the ledger and every
     * reservation, reserve, create the Binding; an error makes the scheduler retry the pod ({@link BindVerb}).
     */
    public ExtenderBindingResult bind(ExtenderBindingArgs args) {
        return bindAsync(args).join();
    }

    /** {@link #bind} without waiting for the API server: what the HTTP server calls on its event loop. */
    public CompletableFuture<ExtenderBindingResult> bindAsync(ExtenderBindingArgs args) {
        return binder.bindAsync(new Binding(args.podNamespace(), args.podName(), args.podUID(), args.node()))
                .thenApply(error -> error == null ? ExtenderBindingResult.OK : new ExtenderBindingResult(error));
    }

    private static Map<String, MetaVictims> proposedVictims(ExtenderPreemptionArgs args) {
        Map<String, MetaVictims> out = new LinkedHashMap<>();
        if (args.nodeNameToMetaVictims() != null) {
            out.putAll(args.nodeNameToMetaVictims());
        }
        if (args.nodeNameToVictims() != null) {
            args.nodeNameToVictims().forEach((node, v) -> {
                List<MetaPod> pods = new ArrayList<>();
                for (Pod p : v.pods()) {
                    pods.add(new MetaPod(p.getMetadata() == null ? null : p.getMetadata().getUid()));
                }
                out.putIfAbsent(node, new MetaVictims(pods, v.numPDBViolations()));
            });
        }
        return out;
    }


    private NodeState stateOf(Node node, LedgerSnapshot snap) {
        String rv = node.getMetadata().getResourceVersion();
        NodeState known = snap.node(node.getMetadata().getName());
        if (known != null && rv != null && rv.equals(known.inventory().resourceVersion())) {
            // The informer has this very version of the Node: reuse what the ledger read from it.
            return known;
        }
        NodeInventory inv = NodeInventories.of(node);
        return new NodeState(inv, snap.usageOf(inv.name()), Membership.poolsOf(snap.policy(), inv.labels()));
    }

    /**
     * The refused nodes of one filter call. Most refusals of a call repeat a few statuses (thousands
     * of nodes in pools the pod may not use), so each distinct status is rendered to text once.
     */
    private static final class Refusals {
        final Map<String, String> failed;
        final Map<String, String> unresolvable;
        /** Rendered text by status identity: memoised and constant statuses are shared between nodes. */
        private final Map<Status, String> messages = new IdentityHashMap<>();
        private final int[] counts = new int[Reason.values().length];

        Refusals(int nodes) {
            failed = new NodeMessages(16);
            unresolvable = new NodeMessages(nodes);
        }

        /** The last status rendered: nodes sent in a row mostly share one (a pool's nodes, one refusal). */
        private Status lastStatus;
        private String lastMessage;

        void add(String node, Status s) {
            counts[s.reason().ordinal()]++;
            String message = s == lastStatus ? lastMessage : messages.get(s);
            if (message == null) {
                message = s.message();
                messages.put(s, message);
            }
            lastStatus = s;
            lastMessage = message;
            ((NodeMessages) (s.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE ? unresolvable : failed)).add(node, message);
        }

        void report(ExtenderMetrics metrics) {
            for (Reason r : Reason.values()) {
                if (counts[r.ordinal()] > 0) {
                    metrics.filteredOut(r, counts[r.ordinal()]);
                }
            }
        }
    }

    private static List<String> names(ExtenderArgs args) {
        if (args.nodeNames() != null) {
            return args.nodeNames();
        }
        if (args.nodes() == null || args.nodes().getItems() == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(args.nodes().getItems().size());
        for (Node n : args.nodes().getItems()) {
            out.add(n.getMetadata().getName());
        }
        return out;
    }

}
