package io.gpuslicer.policy;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MIG profiles NVIDIA GPUs offer (A30, A100 40/80 GB, H100 80/94/96 GB, H200, B200), with how
 * many instances of each fit on one GPU. Used to reject typos in the policy and to model
 * per-GPU MIG occupancy.
 */
public final class MigProfiles {
    private static final Pattern SHAPE = Pattern.compile("(\\d)g\\.(\\d+)gb(\\+me)?");

    /** profile -> instances of it on one empty GPU of the family that offers it. */
    private static final Map<String, Integer> MAX_PER_GPU = Map.ofEntries(
            // A30 24GB
            Map.entry("1g.6gb", 4), Map.entry("1g.6gb+me", 1), Map.entry("2g.12gb", 2), Map.entry("2g.12gb+me", 1),
            Map.entry("4g.24gb", 1),
            // A100 40GB
            Map.entry("1g.5gb", 7), Map.entry("1g.5gb+me", 1), Map.entry("2g.10gb", 3), Map.entry("3g.20gb", 2),
            Map.entry("4g.20gb", 1), Map.entry("7g.40gb", 1),
            // A100 80GB, H100 80GB (1g.10gb is also A100-40GB's 4-per-GPU profile; the larger count is kept)
            Map.entry("1g.10gb", 7), Map.entry("1g.10gb+me", 1), Map.entry("1g.20gb", 4), Map.entry("2g.20gb", 3),
            Map.entry("3g.40gb", 2), Map.entry("4g.40gb", 1), Map.entry("7g.80gb", 1),
            // H100 94GB (NVL) and 96GB (GH200)
            Map.entry("1g.12gb", 7), Map.entry("1g.12gb+me", 1), Map.entry("1g.24gb", 4), Map.entry("2g.24gb", 3),
            Map.entry("3g.47gb", 2), Map.entry("4g.47gb", 1), Map.entry("7g.94gb", 1),
            Map.entry("3g.48gb", 2), Map.entry("4g.48gb", 1), Map.entry("7g.96gb", 1),
            // H200 141GB
            Map.entry("1g.18gb", 7), Map.entry("1g.18gb+me", 1), Map.entry("1g.35gb", 4), Map.entry("2g.35gb", 3),
            Map.entry("3g.71gb", 2), Map.entry("4g.71gb", 1), Map.entry("7g.141gb", 1),
            // B200 180GB
            Map.entry("1g.23gb", 7), Map.entry("1g.23gb+me", 1), Map.entry("1g.45gb", 4), Map.entry("2g.45gb", 3),
            Map.entry("3g.90gb", 2), Map.entry("4g.90gb", 1), Map.entry("7g.180gb", 1));

    private MigProfiles() {
    }

    public static boolean isKnown(String profile) {
        return profile != null && MAX_PER_GPU.containsKey(profile);
    }

    /** Instances of {@code profile} that fit on one empty GPU; 0 for an unknown profile. */
    public static int maxPerGpu(String profile) {
        return MAX_PER_GPU.getOrDefault(profile, 0);
    }

    /** Compute slices (the {@code Ng} part) of a profile, or 0 when the name is not of MIG shape. */
    public static int computeSlices(String profile) {
        Matcher m = SHAPE.matcher(profile == null ? "" : profile);
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * Known profiles close to {@code profile}, for an error message: those with the same compute slices,
     * else the A100/H100-80GB set. The full list (40-odd names) would bury the point.
     */
    public static Set<String> similarTo(String profile) {
        int slices = computeSlices(profile);
        Set<String> out = new TreeSet<>();
        for (String p : MAX_PER_GPU.keySet()) {
            if (slices > 0 && computeSlices(p) == slices && !p.endsWith("+me")) {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            out.addAll(Set.of("1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"));
        }
        return out;
    }

    public static Set<String> known() {
        return new TreeSet<>(MAX_PER_GPU.keySet());
    }
}
