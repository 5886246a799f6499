package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The pod informer's cache, holding of each Pod what the extender reads of a cached one ({@link KeptPod}): identity,
 * the fields that say where it runs and what resources it holds. A cluster of 150,000 pods with managed fields, env
 * and volumes would otherwise keep gigabytes the extender never reads, and even trimmed fabric8 Pods kept 570 MiB
 * ({@code ./bench extender.LedgerHeap} prints the figure). Event handlers still receive the full new object; the
 * cached copy, which they see as the old object of an update or the object of a delete whose final state was missed,
 * and which {@link InformerLedgerSource#pod} returns, is a trimmed Pod built when it is read.
 */
public final class TrimmedPodStore implements ItemStore<Pod> {
    private final ConcurrentHashMap<String, KeptPod> items = new ConcurrentHashMap<>();

    @Override
    public String getKey(Pod pod) {
        return Cache.metaNamespaceKeyFunc(pod);
    }

    @Override
    public Pod put(String key, Pod pod) {
        return read(items.put(key, KeptPod.of(pod)));
    }

    @Override
    public Pod remove(String key) {
        return read(items.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<Pod> values() {
        return items.values().stream().map(KeptPod::pod);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public Pod get(String key) {
        return read(items.get(key));
    }

    private static Pod read(KeptPod kept) {
        return kept == null ? null : kept.pod();
    }
}
