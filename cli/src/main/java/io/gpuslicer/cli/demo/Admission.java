package io.gpuslicer.cli.demo;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.List;

/** What the webhook answered for one pod. */
public sealed interface Admission {
    /**
     * Allowed; {@code pod} is the object the API server would store (the patch applied).
     *
     * @param patched false when the webhook allowed the pod without a patch (not a GPU pod, or already placed)
     */
    record Allowed(Pod pod, boolean patched, List<String> warnings) implements Admission {
        public Allowed {
            warnings = List.copyOf(warnings);
        }
    }

    /** Refused with the status message the API server would show to the user. */
    record Denied(int code, String message) implements Admission {
    }
}
