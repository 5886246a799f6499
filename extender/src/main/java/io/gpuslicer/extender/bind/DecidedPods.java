package io.gpuslicer.extender.bind;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pod as kube-scheduler last sent it to {@code filter} or {@code prioritize}, by UID: what the bind verb
 * commits when the pod informer has not delivered the pod yet. kube-scheduler calls bind right after it
 * decided, often before the pod's ADDED event reached the extender's informer; refusing then would send the
 * pod into backoff (≥ 1 s, pkg/scheduler/internal/queue) for no reason. Bounded (a few thousand pods in
 * flight is far more than one scheduler has between prioritize and bind), oldest first out. A plain map under a
 * lock: one put and one remove per scheduled pod, uncontended (a cache library's bookkeeping cost more).
 */
public final class DecidedPods {
    static final int MAX_PODS = 4096;

    private final Map<String, Pod> byUid = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pod> eldest) {
            return size() > MAX_PODS;
        }
    };

    /** Remembers the pod just decided on; pods without a UID are not (bind matches on it). */
    public void decided(Pod pod) {
        var meta = pod == null ? null : pod.getMetadata();
        if (meta != null && meta.getUid() != null && !meta.getUid().isEmpty()) {
            synchronized (byUid) {
                byUid.put(meta.getUid(), pod);
            }
        }
    }

    /** The pod decided under this UID, if its namespace and name match too; else null. */
    public Pod get(String namespace, String name, String uid) {
        if (uid == null || uid.isEmpty()) {
            return null;
        }
        Pod pod;
        synchronized (byUid) {
            pod = byUid.get(uid);
        }
        if (pod == null || !namespace.equals(pod.getMetadata().getNamespace()) || !name.equals(pod.getMetadata().getName())) {
            return null;
        }
        return pod;
    }

    /** Bound (or gone): the informer's copy is the truth from now on. */
    public void forget(String uid) {
        if (uid != null) {
            synchronized (byUid) {
                byUid.remove(uid);
            }
        }
    }
}
