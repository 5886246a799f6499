package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.gpuslicer.policy.Quantities;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * CPU and memory as kube-scheduler's NodeResourcesFit counts them (pkg/scheduler/framework/plugins/noderesources/fit.go,
 * computePodResourceRequest): the larger of the app containers' sum and each init container's request.
 * Only requests count; a missing request is 0.
 */
public final class Resources {
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024L);

    private Resources() {
    }

    /** {@code {milliCpu, memoryMib}} the pod requests. */
    public static long[] podRequest(PodSpec spec) {
        if (spec == null) {
            return new long[2];
        }
        long cpu = 0;
        long mem = 0;
        for (Container c : nullSafe(spec.getContainers())) {
            if (c == null) {
                continue; // never from the API server; a null item asks for nothing (as in GpuRequest)
            }
            cpu += milliCpu(request(c, "cpu"));
            mem += mebibytes(request(c, "memory"));
        }
        for (Container c : nullSafe(spec.getInitContainers())) {
            if (c == null) {
                continue;
            }
            cpu = Math.max(cpu, milliCpu(request(c, "cpu")));
            mem = Math.max(mem, mebibytes(request(c, "memory")));
        }
        return new long[]{cpu, mem};
    }

    public static long milliCpu(Quantity q) {
        BigDecimal v = amount(q);
        return v == null ? 0 : saturated(v.multiply(THOUSAND).setScale(0, RoundingMode.CEILING));
    }

    public static long mebibytes(Quantity q) {
        BigDecimal v = amount(q);
        return v == null ? 0 : saturated(v.divide(MIB, 0, RoundingMode.CEILING));
    }

    private static long saturated(BigDecimal whole) {
        return whole.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE
                : Math.max(0, whole.longValue());
    }

    private static Quantity request(Container c, String resource) {
        if (c.getResources() == null) {
            return null;
        }
        Map<String, Quantity> requests = c.getResources().getRequests();
        return requests == null ? null : requests.get(resource);
    }

    private static BigDecimal amount(Quantity q) {
        if (q == null || q.getAmount() == null) {
            return null;
        }
        // Absurd spellings (a million digits, 1e999999) are decided from their digits, never materialised.
        if (Quantities.wholeUnits(q, RoundingMode.CEILING).isEmpty()) {
            return null;
        }
        try {
            return q.getNumericalAmount();
        } catch (IllegalArgumentException | ArithmeticException e) {
            return null;
        }
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
