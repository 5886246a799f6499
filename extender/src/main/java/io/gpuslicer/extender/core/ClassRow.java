package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.NodeIndex;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.extender.ledger.NodeTable;

/**
 * What one framework found for one pod class on each node of a {@link NodeIndex}, by node number: the filters'
 * verdict, whether the node is in the class's first pool, and the scorers' raw scores, each with the node state it
 * was found on (compared by identity: a state is replaced, never changed). The same facts the node states remember
 * ({@link Framework#filter}), kept in a few arrays per class instead of on each state: a request reads them for its
 * 230 names of 500 without reading the states themselves, whose objects a loaded extender no longer has in the
 * core's caches by the next request. Only plain states are kept (those every pod sees as they are).
 * <p>
 * Per thread ({@link #of}): an event loop reads and writes its own rows without a lock, and kube-scheduler's one
 * connection is one event loop.
 */
public final class ClassRow {
    /** Rows per thread: a few classes of pod are pending at a time (as {@link NodeState#MEMO_SLOTS}). */
    static final int SLOTS = 4;
    private static final ThreadLocal<ClassRow[]> ROWS = ThreadLocal.withInitial(() -> new ClassRow[SLOTS]);

    private final Framework framework;
    private final FilterClass filterClass;
    private final NodeIndex index;
    private final NodeState[] filteredOn;
    private final Status[] verdicts;
    private final boolean[] primary;
    /** Raw scores as {@link Framework} packs them, computed on {@code scoredOn[i]} under {@code scoreKey}. */
    final NodeState[] scoredOn;
    final long[] packed;
    final int[] masks;
    Object scoreKey;

    private ClassRow(Framework framework, FilterClass filterClass, NodeIndex index) {
        this.framework = framework;
        this.filterClass = filterClass;
        this.index = index;
        int n = index.size();
        this.filteredOn = new NodeState[n];
        this.verdicts = new Status[n];
        this.primary = new boolean[n];
        this.scoredOn = new NodeState[n];
        this.packed = new long[n];
        this.masks = new int[n];
    }

    /** This thread's row of {@code framework} for {@code pod}'s class over {@code index}; the oldest of {@link #SLOTS} goes. */
    public static ClassRow of(Framework framework, PodInfo pod, NodeIndex index) {
        ClassRow[] rows = ROWS.get();
        FilterClass c = pod.filterClass();
        for (int k = 0; k < rows.length; k++) {
            ClassRow r = rows[k];
            if (r != null && r.filterClass == c && r.index == index && r.framework == framework) {
                if (k > 0) {
                    System.arraycopy(rows, 0, rows, 1, k);
                    rows[0] = r;
                }
                return r;
            }
        }
        ClassRow r = new ClassRow(framework, c, index);
        System.arraycopy(rows, 0, rows, 1, rows.length - 1);
        rows[0] = r;
        return r;
    }

    /** The filters' verdict on node {@code i} of {@code table} (whose index is this row's) as {@code pod} sees it. */
    public Status filter(PodInfo pod, NodeTable table, int i) {
        NodeState state = table.state(i);
        if (filteredOn[i] == state) {
            return verdicts[i];
        }
        if (!state.plain()) {
            // Nominated or reserved pods count for some pods and not others: what this pod sees is its own.
            NodeState seen = state.asSeenBy(pod.uid(), pod.priority());
            return framework.filter(pod, seen);
        }
        Status s = framework.filter(pod, state);
        verdicts[i] = s;
        primary[i] = s.isSuccess() && pod.rankOn(state.pools()) == 0;
        filteredOn[i] = state;
        return s;
    }

    /** Whether node {@code i} is in one of the pod's first-ranked pools (asked of nodes that passed {@link #filter}). */
    public boolean primary(PodInfo pod, NodeTable table, int i) {
        NodeState state = table.state(i);
        return filteredOn[i] == state ? primary[i] : pod.rankOn(state.pools()) == 0;
    }

    /** Whether this row kept a verdict or scores found on {@code state} as node {@code i} (so it is plain); reads no state. */
    public boolean knows(int i, NodeState state) {
        return filteredOn[i] == state || scoredOn[i] == state;
    }
}
