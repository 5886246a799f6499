package io.gpuslicer.extender.core;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.gpuslicer.extender.ledger.Resources;
import io.gpuslicer.policy.GpuRequest;
import io.gpuslicer.policy.GpuShare;
import io.gpuslicer.policy.NvidiaKeys;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a task asks of a node, as fragmentation sees it (FGD's "task shape"): CPU, memory, GPU
 * count, the share of each GPU, and the GPU models it may run on.
 *
 * @param gpus      GPUs (time-slice replicas) requested; 0 for a CPU-only task
 * @param shareMilli declared share of each GPU in milli-GPU ({@code gpuslicer.io/gpu-share}); 0 = none
 *                  declared (a replica then counts as 1 ÷ replicas per GPU of the node)
 * @param models    allowed {@code nvidia.com/gpu.product} values joined by {@code |} in order, or null for any
 */
public record PodShape(long cpuMilli, long memoryMib, int gpus, int shareMilli, String models) {
    public static final PodShape NONE = new PodShape(0, 0, 0, 0, null);

    public static PodShape of(Pod pod, String gpuShareKey) {
        if (pod == null || pod.getSpec() == null) {
            return NONE;
        }
        long[] cpuMem = Resources.podRequest(pod.getSpec());
        int gpus = (int) Math.min(Integer.MAX_VALUE, GpuRequest.of(pod.getSpec()).gpus());
        var meta = pod.getMetadata();
        int share = meta == null ? 0 : GpuShare.of(meta.getLabels(), meta.getAnnotations(), gpuShareKey).milli();
        return new PodShape(cpuMem[0], cpuMem[1], gpus, share, models(pod.getSpec()));
    }

    /** Whether a node of GPU model {@code product} is allowed. */
    public boolean allows(String product) {
        if (models == null) {
            return true;
        }
        if (product == null) {
            return false;
        }
        int from = 0;
        while (from <= models.length()) {
            int bar = models.indexOf('|', from);
            int to = bar < 0 ? models.length() : bar;
            if (models.regionMatches(from, product, 0, product.length()) && to - from == product.length()) {
                return true;
            }
            from = to + 1;
        }
        return false;
    }

    /**
     * The GPU models a pod is pinned to by a {@code nvidia.com/gpu.product} node selector or by required
     * node affinity whose every term says {@code nvidia.com/gpu.product In [...]}; null when not pinned.
     */
    static String models(PodSpec spec) {
        Map<String, String> selector = spec.getNodeSelector();
        if (selector != null && selector.get(NvidiaKeys.GPU_PRODUCT) != null) {
            return selector.get(NvidiaKeys.GPU_PRODUCT);
        }
        if (spec.getAffinity() == null || spec.getAffinity().getNodeAffinity() == null
                || spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return null;
        }
        List<NodeSelectorTerm> terms = spec.getAffinity().getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
        TreeSet<String> out = new TreeSet<>();
        for (NodeSelectorTerm t : terms == null ? List.<NodeSelectorTerm>of() : terms) {
            boolean pinned = false;
            for (NodeSelectorRequirement r : t.getMatchExpressions() == null ? List.<NodeSelectorRequirement>of() : t.getMatchExpressions()) {
                if (NvidiaKeys.GPU_PRODUCT.equals(r.getKey()) && "In".equals(r.getOperator()) && r.getValues() != null) {
                    out.addAll(r.getValues());
                    pinned = true;
                }
            }
            if (!pinned) {
                return null;
            }
        }
        return out.isEmpty() ? null : String.join("|", out);
    }
}
