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
 * @param version             short content hash of the policy text, written into every decision
 */
public record Policy(Vocabulary vocabulary,
                     String workloadTypeLabel,
                     String defaultWorkloadType,
                     String schedulerName,
                     Map<String, Pool> pools,
                     Map<String, WorkloadType> workloadTypes,
                     Map<String, PriorityClassSpec> priorityClasses,
                     Contention contention,
                     ScoringWeights scoring,
                     String version) {

    public static final String API_VERSION = "gpuslicer.io/v1alpha1";
    public static final String KIND = "SharingPolicy";

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
