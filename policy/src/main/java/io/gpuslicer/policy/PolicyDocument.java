package io.gpuslicer.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy file exactly as written: every field nullable, names as strings, so that
 * {@link PolicyValidator} can report every mistake at once instead of the first one
 * deserialisation trips over. {@link #toPolicy(String)} is only called on a document without errors.
 */
public record PolicyDocument(String apiVersion,
                             String kind,
                             String keyPrefix,
                             String workloadTypeLabel,
                             String defaultWorkloadType,
                             String schedulerName,
                             String nodeSelectorConflict,
                             LinkedHashMap<String, PoolDoc> pools,
                             LinkedHashMap<String, WorkloadTypeDoc> workloadTypes,
                             LinkedHashMap<String, PriorityClassDoc> priorityClasses,
                             ContentionDoc contention,
                             ScoringDoc scoring) {

    public record PoolDoc(String mode, String migProfile, Map<String, String> nodeSelector,
                          List<TolerationSpec> tolerations) {
    }

    public record WorkloadTypeDoc(List<String> pools, String priorityClass) {
    }

    /** Written either as a bare integer ({@code research: 100}) or as {@code {value, preemptionPolicy}}. */
    public record PriorityClassDoc(Integer value, String preemptionPolicy, String description) {
        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public PriorityClassDoc(@JsonProperty("value") Integer value,
                                @JsonProperty("preemptionPolicy") String preemptionPolicy,
                                @JsonProperty("description") String description) {
            this.value = value;
            this.preemptionPolicy = preemptionPolicy;
            this.description = description;
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static PriorityClassDoc ofValue(int value) {
            return new PriorityClassDoc(value, null, null);
        }
    }

    public record ContentionDoc(Integer maxSharersPerGpu, String strategy) {
    }

    public record ScoringDoc(Integer poolRank, Integer contention, Integer migBestFit, Integer fragmentation) {
    }

    Vocabulary vocabulary() {
        return keyPrefix == null ? Vocabulary.DEFAULT : new Vocabulary(keyPrefix);
    }

    String effectiveWorkloadTypeLabel() {
        return workloadTypeLabel != null ? workloadTypeLabel : vocabulary().workloadTypeLabel();
    }

    /** Builds the immutable policy. Precondition: {@link PolicyValidator#validate} returned no error. */
    Policy toPolicy(String version) {
        Map<String, Pool> poolModel = new LinkedHashMap<>();
        pools.forEach((name, doc) -> poolModel.put(name, new Pool(name,
                SharingMode.fromWireName(doc.mode()).orElseThrow(),
                doc.migProfile(),
                doc.nodeSelector(),
                doc.tolerations() == null ? List.of() : doc.tolerations())));
        Map<String, WorkloadType> types = new LinkedHashMap<>();
        workloadTypes.forEach((name, doc) -> {
            List<Pool> ordered = new ArrayList<>();
            doc.pools().forEach(p -> ordered.add(poolModel.get(p)));
            types.put(name, new WorkloadType(name, ordered, doc.priorityClass()));
        });
        Map<String, PriorityClassSpec> classes = new LinkedHashMap<>();
        if (priorityClasses != null) {
            priorityClasses.forEach((name, doc) -> classes.put(name, new PriorityClassSpec(name, doc.value(),
                    doc.preemptionPolicy() == null ? PriorityClassSpec.PREEMPT_LOWER_PRIORITY : doc.preemptionPolicy())));
        }
        Contention contentionModel = Contention.DEFAULT;
        if (contention != null) {
            contentionModel = new Contention(
                    contention.maxSharersPerGpu() == null ? Contention.DEFAULT.maxSharersPerGpu() : contention.maxSharersPerGpu(),
                    contention.strategy() == null ? Contention.DEFAULT.strategy()
                            : Contention.Strategy.valueOf(contention.strategy().toUpperCase(java.util.Locale.ROOT)));
        }
        ScoringWeights weights = ScoringWeights.DEFAULT;
        if (scoring != null) {
            weights = new ScoringWeights(
                    scoring.poolRank() == null ? ScoringWeights.DEFAULT.poolRank() : scoring.poolRank(),
                    scoring.contention() == null ? ScoringWeights.DEFAULT.contention() : scoring.contention(),
                    scoring.migBestFit() == null ? ScoringWeights.DEFAULT.migBestFit() : scoring.migBestFit(),
                    scoring.fragmentation() == null ? ScoringWeights.DEFAULT.fragmentation() : scoring.fragmentation());
        }
        Policy.SelectorConflict conflict = nodeSelectorConflict == null ? Policy.SelectorConflict.WARN
                : Policy.SelectorConflict.valueOf(nodeSelectorConflict.toUpperCase(java.util.Locale.ROOT));
        return new Policy(vocabulary(), effectiveWorkloadTypeLabel(), defaultWorkloadType, schedulerName, conflict,
                poolModel, types, classes, contentionModel, weights, version);
    }
}
