package io.gpuslicer.extender.wire;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.Arrays;

/**
 * The last few Pods read from request bodies, with the exact bytes they were read from.
 * kube-scheduler sends one pod to filter, then to prioritize (and preempt), each time the same
 * {@code json.Marshal} output: when a body carries those very bytes again, the Pod read the first time
 * is the answer, found with a byte comparison instead of a parse. The Pod (and what is derived from it
 * by identity, see {@code core.RecentPodInfos}) is shared, so nothing may modify a decoded Pod.
 */
final class RecentPods {
    static final int SIZE = 8;
    /** Bodies larger than this are not remembered (full Node lists carry no reusable pod bytes anyway). */
    static final int MAX_POD_BYTES = 256 * 1024;

    private record Entry(byte[] bytes, Pod pod) {
    }

    private final Entry[] entries = new Entry[SIZE];
    private int next;

    /**
     * The pod read from {@code body[from, from + n)} for some earlier n, if those bytes are there again and followed
     * by a ',' or '}' before {@code end}; else null.
     */
    synchronized Hit find(byte[] body, int from, int end) {
        for (int i = 0; i < SIZE; i++) {
            Entry e = entries[(next - 1 - i + SIZE) % SIZE];
            if (e == null) {
                return null;
            }
            int to = from + e.bytes.length;
            if (to < end && Arrays.equals(body, from, to, e.bytes, 0, e.bytes.length)
                    && (body[to] == ',' || body[to] == '}')) {
                return new Hit(e.pod, e.bytes.length);
            }
        }
        return null;
    }

    /** Remembers the pod read from {@code body[from, to)} (the pod's object, braces included). */
    synchronized void remember(byte[] body, int from, int to, Pod pod) {
        if (to - from > MAX_POD_BYTES || to <= from) {
            return;
        }
        entries[next] = new Entry(Arrays.copyOfRange(body, from, to), pod);
        next = (next + 1) % SIZE;
    }

    record Hit(Pod pod, int length) {
    }
}
