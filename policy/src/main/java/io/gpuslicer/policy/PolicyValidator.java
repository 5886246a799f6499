package io.gpuslicer.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a policy document and returns <em>all</em> errors, each naming the field and the bad value.
 * A policy with any error is never applied.
 */
public final class PolicyValidator {
    // Kubernetes label syntax: optional DNS-subdomain prefix + "/" + name of at most 63 characters.
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Set<String> OPERATORS = Set.of("Equal", "Exists");
    private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    private static final Set<String> PREEMPTION_POLICIES = Set.of(PriorityClassSpec.PREEMPT_LOWER_PRIORITY, PriorityClassSpec.NEVER);
    /** User-defined PriorityClasses may not exceed one billion; larger values are reserved for system classes. */
    static final int MAX_USER_PRIORITY = 1_000_000_000;

    private final List<PolicyError> errors = new ArrayList<>();

    private PolicyValidator() {
    }

    public static List<PolicyError> validate(PolicyDocument doc) {
        PolicyValidator v = new PolicyValidator();
        v.check(doc);
        return List.copyOf(v.errors);
    }

    private void error(String field, Object value, String message) {
        errors.add(new PolicyError(field, value, message));
    }

    private void check(PolicyDocument doc) {
        if (!Policy.API_VERSION.equals(doc.apiVersion())) {
            error("apiVersion", doc.apiVersion(), "unknown apiVersion, expected " + Policy.API_VERSION);
        }
        if (!Policy.KIND.equals(doc.kind())) {
            error("kind", doc.kind(), "expected kind " + Policy.KIND);
        }
        if (doc.keyPrefix() != null && !DNS_SUBDOMAIN.matcher(doc.keyPrefix()).matches()) {
            error("keyPrefix", doc.keyPrefix(), "must be a DNS subdomain such as gpuslicer.io");
        }
        checkLabelKey("workloadTypeLabel", doc.workloadTypeLabel());
        if (doc.schedulerName() != null && !isDnsSubdomain(doc.schedulerName())) {
            error("schedulerName", doc.schedulerName(), "must be a DNS subdomain (a KubeSchedulerConfiguration profile name)");
        }
        if (doc.nodeSelectorConflict() != null && !Set.of("warn", "deny").contains(doc.nodeSelectorConflict())) {
            error("nodeSelectorConflict", doc.nodeSelectorConflict(), "must be warn or deny");
        }
        checkPriorityClasses(doc);
        checkPools(doc);
        checkWorkloadTypes(doc);
        if (doc.defaultWorkloadType() != null
                && (doc.workloadTypes() == null || !doc.workloadTypes().containsKey(doc.defaultWorkloadType()))) {
            error("defaultWorkloadType", doc.defaultWorkloadType(), "unknown workload type" + known(doc.workloadTypes()));
        }
        checkContention(doc.contention());
        checkScoring(doc.scoring());
    }

    private void checkPriorityClasses(PolicyDocument doc) {
        if (doc.priorityClasses() == null) {
            return;
        }
        doc.priorityClasses().forEach((name, pc) -> {
            String field = "priorityClasses." + name;
            if (!isDnsSubdomain(name)) {
                error(field, name, "a PriorityClass name must be a DNS subdomain");
            }
            if (pc == null || pc.value() == null) {
                error(field + ".value", null, "a priority value is required");
            } else if (pc.value() > MAX_USER_PRIORITY) {
                error(field + ".value", pc.value(), "must be at most " + MAX_USER_PRIORITY + " (larger values are reserved for system classes)");
            }
            if (pc != null && pc.preemptionPolicy() != null && !PREEMPTION_POLICIES.contains(pc.preemptionPolicy())) {
                error(field + ".preemptionPolicy", pc.preemptionPolicy(), "must be one of " + PREEMPTION_POLICIES);
            }
        });
    }

    private void checkPools(PolicyDocument doc) {
        if (doc.pools() == null || doc.pools().isEmpty()) {
            error("pools", null, "at least one pool is required");
            return;
        }
        Map<Map<String, String>, String> bySelector = new HashMap<>();
        doc.pools().forEach((name, pool) -> {
            String field = "pools." + name;
            if (pool == null) {
                error(field, null, "pool has no definition");
                return;
            }
            var mode = pool.mode() == null ? null : SharingMode.fromWireName(pool.mode()).orElse(null);
            if (mode == null) {
                error(field + ".mode", pool.mode(), "unknown mode, expected one of " + SharingMode.knownNames());
            }
            if (mode == SharingMode.MIG) {
                if (pool.migProfile() == null) {
                    error(field + ".migProfile", null, "a MIG pool must name its MIG profile");
                } else if (!MigProfiles.isKnown(pool.migProfile())) {
                    error(field + ".migProfile", pool.migProfile(), "unknown MIG profile (known, for example: "
                            + String.join(", ", MigProfiles.similarTo(pool.migProfile())) + ")");
                }
            } else if (mode != null && pool.migProfile() != null) {
                error(field + ".migProfile", pool.migProfile(), "only MIG pools have a MIG profile");
            }
            if (pool.nodeSelector() == null || pool.nodeSelector().isEmpty()) {
                error(field + ".nodeSelector", null, "a pool needs a non-empty nodeSelector (an empty one would match every node)");
            } else {
                pool.nodeSelector().forEach((k, v) -> {
                    checkLabelKey(field + ".nodeSelector", k);
                    if (v == null || !isLabelValue(v)) {
                        error(field + ".nodeSelector." + k, v, "not a valid label value");
                    }
                });
                String other = bySelector.putIfAbsent(pool.nodeSelector(), name);
                if (other != null) {
                    error(field + ".nodeSelector", pool.nodeSelector().toString(), "duplicate pool: same nodeSelector as pool " + other);
                }
            }
            checkTolerations(field + ".tolerations", pool.tolerations());
        });
    }

    private void checkTolerations(String field, List<TolerationSpec> tolerations) {
        if (tolerations == null) {
            return;
        }
        for (int i = 0; i < tolerations.size(); i++) {
            TolerationSpec t = tolerations.get(i);
            String f = field + "[" + i + "]";
            if (t == null) {
                error(f, null, "empty toleration");
                continue;
            }
            String op = t.operator() == null ? "Equal" : t.operator();
            if (!OPERATORS.contains(op)) {
                error(f + ".operator", t.operator(), "must be Equal or Exists");
            }
            if ("Exists".equals(op) && t.value() != null && !t.value().isEmpty()) {
                error(f + ".value", t.value(), "a toleration with operator Exists must not have a value");
            }
            if (t.key() == null || t.key().isEmpty()) {
                if (!"Exists".equals(op)) {
                    error(f + ".key", t.key(), "an empty key requires operator Exists");
                }
            } else {
                checkLabelKey(f + ".key", t.key());
            }
            if (t.effect() != null && !t.effect().isEmpty() && !EFFECTS.contains(t.effect())) {
                error(f + ".effect", t.effect(), "must be one of " + EFFECTS);
            }
            if (t.tolerationSeconds() != null && !"NoExecute".equals(t.effect())) {
                error(f + ".tolerationSeconds", t.tolerationSeconds(), "only NoExecute tolerations may set tolerationSeconds");
            }
        }
    }

    private void checkWorkloadTypes(PolicyDocument doc) {
        if (doc.workloadTypes() == null || doc.workloadTypes().isEmpty()) {
            error("workloadTypes", null, "at least one workload type is required");
            return;
        }
        doc.workloadTypes().forEach((name, type) -> {
            String field = "workloadTypes." + name;
            if (!isLabelValue(name) || name.isEmpty()) {
                error(field, name, "a workload type name must be a valid label value (it is written in a label)");
            }
            if (type == null || type.pools() == null || type.pools().isEmpty()) {
                error(field + ".pools", null, "a workload type needs at least one pool");
            } else {
                checkTypePools(doc, field, type.pools());
            }
            if (type != null && type.priorityClass() != null
                    && (doc.priorityClasses() == null || !doc.priorityClasses().containsKey(type.priorityClass()))) {
                error(field + ".priorityClass", type.priorityClass(), "unknown priority class" + known(doc.priorityClasses()));
            }
        });
    }

    private void checkTypePools(PolicyDocument doc, String field, List<String> poolNames) {
        Set<String> seen = new HashSet<>();
        Map<String, String> profileToPool = new HashMap<>();
        Boolean firstIsMig = null;
        for (int i = 0; i < poolNames.size(); i++) {
            String poolName = poolNames.get(i);
            String f = field + ".pools[" + i + "]";
            if (!seen.add(poolName)) {
                error(f, poolName, "pool listed twice");
                continue;
            }
            PolicyDocument.PoolDoc pool = doc.pools() == null ? null : doc.pools().get(poolName);
            if (pool == null) {
                error(f, poolName, "unknown pool" + known(doc.pools()));
                continue;
            }
            SharingMode mode = pool.mode() == null ? null : SharingMode.fromWireName(pool.mode()).orElse(null);
            if (mode == null) {
                continue; // reported on the pool itself
            }
            boolean isMig = mode == SharingMode.MIG;
            if (firstIsMig == null) {
                firstIsMig = isMig;
            } else if (firstIsMig && !isMig) {
                error(f, poolName, "a MIG workload type may only list MIG pools (MIG never falls back to shared GPUs), but this pool is " + mode);
            } else if (!firstIsMig && isMig) {
                error(f, poolName, "a time-sliced workload type may not list a MIG pool (MIG is never a fallback)");
            }
            if (isMig && pool.migProfile() != null) {
                String other = profileToPool.putIfAbsent(pool.migProfile(), poolName);
                if (other != null) {
                    error(f, poolName, "two pools of MIG profile " + pool.migProfile() + " (" + other + " and " + poolName
                            + "): a pod's profile must select exactly one pool");
                }
            }
        }
    }

    private void checkContention(PolicyDocument.ContentionDoc c) {
        if (c == null) {
            return;
        }
        if (c.maxSharersPerGpu() != null && c.maxSharersPerGpu() < 1) {
            error("contention.maxSharersPerGpu", c.maxSharersPerGpu(), "must be at least 1");
        }
        if (c.strategy() != null) {
            try {
                Contention.Strategy.valueOf(c.strategy().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                error("contention.strategy", c.strategy(), "must be spread or binpack");
            }
        }
    }

    private void checkScoring(PolicyDocument.ScoringDoc s) {
        if (s == null) {
            return;
        }
        checkWeight("scoring.poolRank", s.poolRank());
        checkWeight("scoring.contention", s.contention());
        checkWeight("scoring.migBestFit", s.migBestFit());
        checkWeight("scoring.fragmentation", s.fragmentation());
        int total = value(s.poolRank(), ScoringWeights.DEFAULT.poolRank()) + value(s.contention(), ScoringWeights.DEFAULT.contention())
                + value(s.migBestFit(), ScoringWeights.DEFAULT.migBestFit())
                + value(s.fragmentation(), ScoringWeights.DEFAULT.fragmentation());
        if (total <= 0) {
            error("scoring", total, "the weights must not all be zero");
        }
    }

    private static int value(Integer v, int dflt) {
        return v == null ? dflt : Math.max(0, v);
    }

    private void checkWeight(String field, Integer weight) {
        if (weight != null && (weight < 0 || weight > 100)) {
            error(field, weight, "must be between 0 and 100");
        }
    }

    private void checkLabelKey(String field, String key) {
        if (key == null) {
            return;
        }
        String prefix = null;
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
        }
        boolean ok = !name.isEmpty() && name.length() <= 63 && LABEL_NAME.matcher(name).matches()
                && (prefix == null || isDnsSubdomain(prefix));
        if (!ok) {
            error(field, key, "not a valid label key");
        }
    }

    private static boolean isLabelValue(String v) {
        return v.length() <= 63 && LABEL_NAME.matcher(v).matches();
    }

    private static boolean isDnsSubdomain(String s) {
        return s.length() <= 253 && DNS_SUBDOMAIN.matcher(s).matches();
    }

    private static String known(Map<String, ?> names) {
        return names == null || names.isEmpty() ? " (none defined)" : " (known: " + String.join(", ", names.keySet()) + ")";
    }
}
