package io.gpuslicer.webhook;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static io.gpuslicer.webhook.Pods.typed;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code gpuslicer.io/gpu-share} at admission: valid declarations pass untouched, bad ones are denied with the reason. */
class GpuShareAdmissionTest {
    private static final Policy POLICY = PolicyLoader.defaultPolicy();
    private final PodMutator mutator = new PodMutator();

    private Mutation admit(String workloadType, String where, String value) {
        var b = typed(workloadType);
        if ("label".equals(where)) {
            b.editMetadata().addToLabels("gpuslicer.io/gpu-share", value).endMetadata();
        } else if ("annotation".equals(where)) {
            b.editMetadata().addToAnnotations("gpuslicer.io/gpu-share", value).endMetadata();
        }
        Pod pod = b.build();
        return mutator.mutate(pod, Map.of(), POLICY, PriorityClasses.of(POLICY));
    }

    @ParameterizedTest(name = "a {0} pod declaring {2} as {1} is placed")
    @CsvSource({
            "research, label, 0.25",
            "research, annotation, 250m",
            "training, label, 1",
            "development, label, 0.05",
            "research, none, ''"})
    void aValidShareOnATimeSlicedPodIsAdmitted(String type, String where, String value) {
        assertThat(admit(type, where, value)).isInstanceOf(Mutation.Placed.class);
    }

    @ParameterizedTest(name = "a {0} pod declaring \"{2}\" as {1} is denied: {3}")
    @CsvSource(delimiter = ';', value = {
            "research; label; 1.5; invalid gpuslicer.io/gpu-share \"1.5\": must be at most 1 (one whole GPU)",
            "research; annotation; 0; invalid gpuslicer.io/gpu-share \"0\": must be more than 0",
            "research; label; half; invalid gpuslicer.io/gpu-share \"half\": not a GPU share: write a decimal 0 < s ≤ 1 such as 0.25, or milli-GPU such as 250m",
            "production-inference; label; 0.5; gpuslicer.io/gpu-share is for time-sliced pods, but workload type production-inference runs on MIG instances, which are not shared"})
    void anInvalidShareIsDeniedWithTheReason(String type, String where, String value, String message) {
        assertThat(admit(type, where, value)).isEqualTo(new Mutation.Denied(message));
    }
}
