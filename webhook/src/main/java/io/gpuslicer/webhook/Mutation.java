package io.gpuslicer.webhook;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.policy.Decision;

import java.util.List;

/** What {@link PodMutator} made of a pod: left alone, refused, or placed. */
public sealed interface Mutation permits Mutation.Skipped, Mutation.Denied, Mutation.Placed {

    /** Not a GPU pod: allowed unchanged. */
    record Skipped() implements Mutation {
    }

    /** A GPU pod that may not be admitted (unknown workload type, MIG profile not offered...). */
    record Denied(String message) implements Mutation {
    }

    /**
     * @param pod      a copy of the input pod carrying the placement; the input is never modified
     * @param warnings short notes for the admission response (user-written fields that won over the policy)
     */
    record Placed(Pod pod, Decision decision, List<String> warnings) implements Mutation {
        public Placed {
            warnings = List.copyOf(warnings);
        }
    }
}
