package io.gpuslicer.simulator;

import java.util.Random;

/**
 * How kube-scheduler's selectHost chooses among nodes with the highest score.
 * <ul>
 *   <li>{@link #ORDERED}: the first node in one fixed order drawn from the seed — what the FGD authors'
 *       simulator does (its kube-scheduler fork takes the lexicographically smallest name, and node names
 *       start with a seeded random permutation), which makes every strategy pack ties the same way;</li>
 *   <li>{@link #RANDOM}: uniformly at random, as upstream kube-scheduler does (reservoir sampling,
 *       pkg/scheduler/schedule_one.go selectHost).</li>
 * </ul>
 */
public enum TieBreak {
    ORDERED, RANDOM;

    /** A seeded random rank per node: the order ties are broken in under {@link #ORDERED}. */
    public static int[] ranks(int nodes, long seed) {
        Random rnd = new Random(seed ^ 0x5DEECE66DL);
        int[] perm = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            perm[i] = i;
        }
        for (int i = nodes - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    /** The winning candidate: highest score; ties by {@code rank} (lower first) or at random. */
    public int pick(long[] scores, int n, int[] rankOfCandidate, Random rnd) {
        int best = -1;
        int ties = 0;
        for (int i = 0; i < n; i++) {
            if (best < 0 || scores[i] > scores[best]) {
                best = i;
                ties = 1;
            } else if (scores[i] == scores[best]) {
                if (this == ORDERED) {
                    if (rankOfCandidate[i] < rankOfCandidate[best]) {
                        best = i;
                    }
                } else {
                    ties++;
                    if (rnd.nextInt(ties) == 0) {
                        best = i;
                    }
                }
            }
        }
        return best;
    }
}
