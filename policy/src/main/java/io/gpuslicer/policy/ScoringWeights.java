package io.gpuslicer.policy;

/**
 * Weights of the extender's scorers; the weighted sum is normalised to 0..10.
 *
 * @param fragmentation weight of the fragmentation-aware scorer (GPU capacity the workload mix could no
 *                      longer use); 0 turns it off
 */
public record ScoringWeights(int poolRank, int contention, int migBestFit, int fragmentation) {
    public static final ScoringWeights DEFAULT = new ScoringWeights(5, 3, 2, 0);

    /** Weights without the fragmentation scorer (policies written before it existed). */
    public ScoringWeights(int poolRank, int contention, int migBestFit) {
        this(poolRank, contention, migBestFit, 0);
    }

    public int total() {
        return poolRank + contention + migBestFit + fragmentation;
    }
}
