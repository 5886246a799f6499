package io.gpuslicer.policy;

/**
 * A priority class the policy refers to. The webhook prefers the live PriorityClass object
 * from the cluster; these values are used when no cluster is reachable and to create the
 * classes at install time.
 */
public record PriorityClassSpec(String name, int value, String preemptionPolicy) {
    public static final String PREEMPT_LOWER_PRIORITY = "PreemptLowerPriority";
    public static final String NEVER = "Never";
}
