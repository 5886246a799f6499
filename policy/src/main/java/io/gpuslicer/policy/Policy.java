package io.gpuslicer.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A validated, immutable sharing policy. Only {@link PolicyLoader} builds one from a file, and
 * only after {@link PolicyValidator} found no error, so every name it refers to exists.
 *
 * @param defaultWorkloadType null: GPU pods without a type are denied
 * @param schedulerName       null: {@code spec.schedulerName} is left alone
 * @param nodeSelectorConflict what the webhook does when a pod's own nodeSelector contradicts every pool of its type
 * @param version             short content hash of the policy text, written into every decision
 */
public record Policy(Vocabulary vocabulary,
                     String workloadTypeLabel,
                     String defaultWorkloadType,
                     String schedulerName,
                     SelectorConflict nodeSelectorConflict,
                     Map<String, Pool> pools,
                     Map<String, WorkloadType> workloadTypes,
                     Map<String, PriorityClassSpec> priorityClasses,
                     Contention contention,
                     ScoringWeights scoring,
                     String version) {

    public static final String API_VERSION = "gpuslicer.io/v1alpha1";
    public static final String KIND = "SharingPolicy";

    /**
     * A pod's own nodeSelector that rules out every pool of its workload type: {@code warn} keeps the
     * user's value (the pod will run outside the policy's pools, or not at all) and says so;
     * {@code deny} refuses the pod with the conflict in the message.
     */
    public enum SelectorConflict { WARN, DENY }

    public Policy {
        pools = frozen(pools);
        workloadTypes = frozen(workloadTypes);
        priorityClasses = frozen(priorityClasses);
    }

    private static <V> Map<String, V> frozen(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    public Optional<WorkloadType> workloadType(String name) {
        return Optional.ofNullable(workloadTypes.get(name));
    }

    public Optional<PriorityClassSpec> priorityClass(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(priorityClasses.get(name));
    }

    /** Known workload type names, comma separated, in policy order: for denial messages. */
    public String knownWorkloadTypes() {
        return String.join(", ", workloadTypes.keySet());
    }
}
