package io.gpuslicer.policy;

import java.util.List;

/** What the classifier concluded for a GPU pod: where it may go, or why it may not be admitted. */
public sealed interface Classification permits Classification.Placement, Classification.Denial {

    /** Where the workload type came from. */
    enum Source { POD_LABEL, NAMESPACE_LABEL, POLICY_DEFAULT }

    /**
     * @param pools      the pools the pod may use, preferred first; exactly one for MIG
     * @param migProfile the pinned MIG profile; null for shared modes
     * @param warnings   short notes for the admission response (e.g. a label contradicting the request)
     */
    record Placement(WorkloadType workloadType, Source source, List<Pool> pools, String migProfile,
                     List<String> warnings) implements Classification {
        public Placement {
            pools = List.copyOf(pools);
            warnings = List.copyOf(warnings);
        }

        public SharingMode mode() {
            return pools.get(0).mode();
        }
    }

    record Denial(String message) implements Classification {
    }
}
