package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;

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
            cpu += milliCpu(request(c, "cpu"));
            mem += mebibytes(request(c, "memory"));
        }
        for (Container c : nullSafe(spec.getInitContainers())) {
            cpu = Math.max(cpu, milliCpu(request(c, "cpu")));
            mem = Math.max(mem, mebibytes(request(c, "memory")));
        }
        return new long[]{cpu, mem};
    }

    public static long milliCpu(Quantity q) {
        BigDecimal v = amount(q);
        return v == null ? 0 : v.multiply(THOUSAND).setScale(0, RoundingMode.CEILING).longValue();
    }

    public static long mebibytes(Quantity q) {
        BigDecimal v = amount(q);
        return v == null ? 0 : v.divide(MIB, 0, RoundingMode.CEILING).longValue();
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
