package io.gpuslicer.policy;

/** Weights of the extender's scorers; the weighted sum is normalised to 0..10. */
public record ScoringWeights(int poolRank, int contention, int migBestFit) {
    public static final ScoringWeights DEFAULT = new ScoringWeights(5, 3, 2);

    public int total() {
        return poolRank + contention + migBestFit;
    }
}
