package io.gpuslicer.policy;

/**
 * Time-slice contention limits.
 *
 * @param maxSharersPerGpu hard cap on pods sharing one physical GPU, applied below the device plugin's replicas
 */
public record Contention(int maxSharersPerGpu, Strategy strategy) {
    public static final Contention DEFAULT = new Contention(4, Strategy.SPREAD);

    public enum Strategy {
        /** Least contention first: the new pod gets the largest share. */
        SPREAD,
        /** Fill shared GPUs first, keeping other GPUs whole for pods that need them. */
        BINPACK
    }
}
