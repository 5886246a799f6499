package io.gpuslicer.webhook;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.gpuslicer.policy.PriorityClassSpec;

import java.util.List;
import java.util.Optional;

/**
 * Sets {@code priorityClassName} together with {@code priority} and {@code preemptionPolicy}.
 * <p>
 * The API server's Priority plugin runs before mutating webhooks and stamps {@code priority: 0} and
 * {@code preemptionPolicy} from the global default; after the webhook it checks again and rejects a
 * pod whose class disagrees with the stamped values ("the integer value of priority (0) must not be
 * provided in pod spec"). So all three are written together from the live PriorityClass; when the
 * class is unknown to us the stamped fields are removed and the API server computes them itself.
 * A class the pod already names is left alone, with its priority, except the cluster's global
 * default class: the Priority plugin writes that name onto every pod that named none, so it says
 * nothing about the author's intent and the workload type's class replaces it (with its values).
 */
final class PriorityAssignment {
    static final String PREEMPT_LOWER_PRIORITY = PriorityClassSpec.PREEMPT_LOWER_PRIORITY;

    private PriorityAssignment() {
    }

    static void apply(PodSpec spec, String className, PriorityClasses classes, List<String> warnings) {
        if (className == null) {
            return;
        }
        String userClass = spec.getPriorityClassName();
        boolean stampedDefault = userClass != null && classes.globalDefault().filter(userClass::equals).isPresent();
        if (userClass != null && !userClass.isEmpty() && !stampedDefault) {
            if (!userClass.equals(className)) {
                warnings.add("priorityClassName " + userClass + " kept; the workload type's class is " + className);
            }
            return;
        }
        spec.setPriorityClassName(className);
        Optional<PriorityClassSpec> found = classes.find(className);
        if (found.isPresent()) {
            spec.setPriority(found.get().value());
            String preemption = found.get().preemptionPolicy();
            spec.setPreemptionPolicy(preemption == null || preemption.isEmpty() ? PREEMPT_LOWER_PRIORITY : preemption);
        } else {
            spec.setPriority(null);
            spec.setPreemptionPolicy(null);
        }
    }
}
