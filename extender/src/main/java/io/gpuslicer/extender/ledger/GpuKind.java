package io.gpuslicer.extender.ledger;

/** What a node's GPUs offer to pods, as read from its labels and allocatable resources. */
public enum GpuKind {
    /** No GPU resource allocatable. */
    NONE,
    /** Whole GPUs, one pod each (no sharing configured). */
    WHOLE,
    /** Time-slice or MPS replicas of each GPU ({@code nvidia.com/gpu} or {@code nvidia.com/gpu.shared}). */
    SHARED,
    /** MIG {@code single} strategy: every {@code nvidia.com/gpu} device is a MIG instance of one profile. */
    MIG_SINGLE,
    /** MIG {@code mixed} strategy: MIG instances are {@code nvidia.com/mig-<profile>} resources. */
    MIG_MIXED;

    public boolean isMig() {
        return this == MIG_SINGLE || this == MIG_MIXED;
    }

    /** Kinds a time-sliced (or MPS) pod can run on: replicas, or whole GPUs as one replica each. */
    public boolean servesShared() {
        return this == SHARED || this == WHOLE;
    }
}
