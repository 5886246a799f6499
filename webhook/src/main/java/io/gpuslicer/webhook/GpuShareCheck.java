package io.gpuslicer.webhook;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.policy.Classification;
import io.gpuslicer.policy.GpuShare;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.SharingMode;

import java.util.Map;
import java.util.Optional;

/**
 * A pod's declared GPU share ({@code gpuslicer.io/gpu-share}, label or annotation) must be a decimal
 * {@code 0 < s ≤ 1} or milli-GPU such as {@code 250m}, and only time-sliced (or MPS) pods declare one:
 * a MIG instance is not shared. The extender adds declared shares per physical GPU, so a bad value is
 * refused at admission rather than silently ignored later.
 */
final class GpuShareCheck {
    private GpuShareCheck() {
    }

    static Optional<String> refusal(Pod pod, Policy policy, Classification.Placement placement) {
        String key = policy.vocabulary().gpuShareKey();
        Map<String, String> labels = pod.getMetadata() == null ? null : pod.getMetadata().getLabels();
        Map<String, String> annotations = pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations();
        GpuShare share = GpuShare.of(labels, annotations, key);
        if (!share.valid()) {
            return Optional.of("invalid " + key + " \"" + share.raw() + "\": " + share.error());
        }
        if (share.declared() && placement.mode() == SharingMode.MIG) {
            return Optional.of(key + " is for time-sliced pods, but workload type " + placement.workloadType().name()
                    + " runs on MIG instances, which are not shared");
        }
        return Optional.empty();
    }
}
