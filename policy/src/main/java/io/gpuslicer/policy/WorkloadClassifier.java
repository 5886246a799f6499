package io.gpuslicer.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps a GPU pod to its workload type and pools: pod label, then namespace label, then the policy
 * default. For a MIG type the profile comes from a {@code nvidia.com/mig-<profile>} request, else
 * the {@code mig-profile} pod label, else the type's first pool; the pod is pinned to that pool.
 */
public final class WorkloadClassifier {
    private WorkloadClassifier() {
    }

    public static Classification classify(Policy policy, Map<String, String> podLabels,
                                          Map<String, String> namespaceLabels, GpuRequest request) {
        String label = policy.workloadTypeLabel();
        String typeName = get(podLabels, label);
        Classification.Source source = Classification.Source.POD_LABEL;
        if (typeName == null) {
            typeName = get(namespaceLabels, label);
            source = Classification.Source.NAMESPACE_LABEL;
        }
        if (typeName == null) {
            typeName = policy.defaultWorkloadType();
            source = Classification.Source.POLICY_DEFAULT;
        }
        if (typeName == null) {
            return new Classification.Denial("GPU pod has no workload type: set the label " + label
                    + " on the pod or its namespace to one of: " + policy.knownWorkloadTypes());
        }
        WorkloadType type = policy.workloadTypes().get(typeName);
        if (type == null) {
            return new Classification.Denial("unknown workload type \"" + typeName + "\" (" + label + " on the "
                    + (source == Classification.Source.POD_LABEL ? "pod" : "namespace") + "); known types: " + policy.knownWorkloadTypes());
        }
        Map<String, Long> migDevices = request.migDevices();
        if (!type.isMig()) {
            if (!migDevices.isEmpty()) {
                return new Classification.Denial("workload type " + typeName + " uses " + type.mode() + " GPUs but the pod requests "
                        + NvidiaKeys.migResource(migDevices.keySet().iterator().next())
                        + "; request " + NvidiaKeys.GPU + " or choose a MIG workload type");
            }
            return new Classification.Placement(type, source, type.pools(), null, List.of());
        }
        return classifyMig(policy, type, source, podLabels, migDevices);
    }

    private static Classification classifyMig(Policy policy, WorkloadType type, Classification.Source source,
                                              Map<String, String> podLabels, Map<String, Long> migDevices) {
        List<String> warnings = new ArrayList<>();
        if (migDevices.size() > 1) {
            return new Classification.Denial("the pod requests several MIG profiles " + migDevices.keySet()
                    + "; a pod of workload type " + type.name() + " must use exactly one");
        }
        String labelKey = policy.vocabulary().migProfileLabel();
        String labelled = get(podLabels, labelKey);
        String profile;
        if (!migDevices.isEmpty()) {
            profile = migDevices.keySet().iterator().next();
            if (labelled != null && !labelled.equals(profile)) {
                warnings.add("label " + labelKey + "=" + labelled + " ignored: the pod requests "
                        + NvidiaKeys.migResource(profile));
            }
        } else if (labelled != null) {
            profile = labelled;
        } else {
            profile = type.pools().get(0).migProfile();
        }
        Pool pool = type.poolForProfile(profile);
        if (pool == null) {
            List<String> offered = type.pools().stream().map(Pool::migProfile).toList();
            return new Classification.Denial("MIG profile " + profile + " is not offered to workload type " + type.name()
                    + " (offered: " + String.join(", ", offered) + ")");
        }
        return new Classification.Placement(type, source, List.of(pool), profile, warnings);
    }

    private static String get(Map<String, String> labels, String key) {
        if (labels == null) {
            return null;
        }
        String v = labels.get(key);
        return v == null || v.isEmpty() ? null : v;
    }
}
