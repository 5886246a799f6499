package io.gpuslicer.policy;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** How a pool's GPUs are shared. MPS places like time-slicing; MIG is physical partitioning. */
public enum SharingMode {
    TIME_SLICING("time-slicing"),
    MPS("mps"),
    MIG("mig");

    private final String wireName;

    SharingMode(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the policy file, the decision annotation and GFD's sharing-strategy label. */
    public String wireName() {
        return wireName;
    }

    /** Time-slicing and MPS: replicas of one GPU, where fallback between pools is allowed. */
    public boolean isShared() {
        return this != MIG;
    }

    public static Optional<SharingMode> fromWireName(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
    }

    public static String knownNames() {
        return Arrays.stream(values()).map(SharingMode::wireName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
