package io.gpuslicer.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The GPU resources a pod needs, computed the way the scheduler computes a pod's effective request:
 * the larger of (sum over app containers and restartable sidecars) and (each init container plus
 * the sidecars started before it). Only GPU resources are kept. Extended resources are usually
 * written as limits only; a limit counts as the request then, as the API server defaults it.
 *
 * @param resources resource name -> whole units, only GPU resources, never zero
 */
public record GpuRequest(Map<String, Long> resources) {
    public static final GpuRequest NONE = new GpuRequest(Map.of());

    public GpuRequest {
        resources = Collections.unmodifiableMap(new TreeMap<>(resources));
    }

    public boolean isGpuPod() {
        return !resources.isEmpty();
    }

    /** Units of {@code nvidia.com/gpu} plus {@code nvidia.com/gpu.shared}: whole GPUs or time-slice replicas. */
    public long gpus() {
        return resources.getOrDefault(NvidiaKeys.GPU, 0L) + resources.getOrDefault(NvidiaKeys.GPU_SHARED, 0L);
    }

    /** MIG profile -> devices requested through {@code nvidia.com/mig-<profile>} resources. */
    public Map<String, Long> migDevices() {
        Map<String, Long> out = new TreeMap<>();
        resources.forEach((name, qty) -> {
            String profile = NvidiaKeys.migProfileOf(name);
            if (profile != null) {
                out.put(profile, qty);
            }
        });
        return out;
    }

    public static GpuRequest of(PodSpec spec) {
        if (spec == null) {
            return NONE;
        }
        Map<String, Long> app = new TreeMap<>();
        for (Container c : nullSafe(spec.getContainers())) {
            if (c == null) {
                continue; // never from the API server; a null item asks for nothing
            }
            addInto(app, gpuResources(c));
        }
        Map<String, Long> sidecarsSoFar = new TreeMap<>();
        Map<String, Long> initPeak = new TreeMap<>();
        for (Container c : nullSafe(spec.getInitContainers())) {
            if (c == null) {
                continue;
            }
            Map<String, Long> own = gpuResources(c);
            if ("Always".equals(c.getRestartPolicy())) {
                // A restartable init container (sidecar) runs alongside the app containers.
                addInto(sidecarsSoFar, own);
                addInto(app, own);
            } else {
                Map<String, Long> during = new TreeMap<>(sidecarsSoFar);
                addInto(during, own);
                during.forEach((k, v) -> initPeak.merge(k, v, Math::max));
            }
        }
        initPeak.forEach((k, v) -> app.merge(k, v, Math::max));
        app.values().removeIf(v -> v <= 0);
        return app.isEmpty() ? NONE : new GpuRequest(app);
    }

    private static Map<String, Long> gpuResources(Container c) {
        Map<String, Long> out = new TreeMap<>();
        ResourceRequirements r = c.getResources();
        if (r == null) {
            return out;
        }
        collect(r.getRequests(), out);
        // A limit without a request is the request (API server defaulting); when both exist they are equal for extended resources.
        if (r.getLimits() != null) {
            r.getLimits().forEach((name, q) -> {
                if (NvidiaKeys.isGpuResource(name)) {
                    out.merge(name, units(q), Math::max);
                }
            });
        }
        return out;
    }

    private static void collect(Map<String, Quantity> quantities, Map<String, Long> out) {
        if (quantities == null) {
            return;
        }
        quantities.forEach((name, q) -> {
            if (NvidiaKeys.isGpuResource(name)) {
                out.merge(name, units(q), Math::max);
            }
        });
    }

    /** Unusable quantities (unparseable, beyond a long) count as nothing, as before; see {@link Quantities}. */
    private static long units(Quantity q) {
        return Quantities.wholeUnits(q, java.math.RoundingMode.CEILING).orElse(0);
    }

    private static void addInto(Map<String, Long> into, Map<String, Long> add) {
        add.forEach((k, v) -> into.merge(k, v, Long::sum));
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
