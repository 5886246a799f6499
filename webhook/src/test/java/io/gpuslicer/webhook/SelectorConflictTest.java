package io.gpuslicer.webhook;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static io.gpuslicer.webhook.Pods.typed;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code nodeSelectorConflict}: what happens when the pod's own nodeSelector rules out every pool of its type. */
class SelectorConflictTest {

    private static Policy policy(String mode) {
        return ((PolicyLoader.Loaded) PolicyLoader.parse(PolicyLoader.defaultPolicyText()
                .replace("nodeSelectorConflict: warn", "nodeSelectorConflict: " + mode))).policy();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "with warn, a selector ruling out every pool is kept and reported;          warn; workload-type; gaming;          Placed",
            "with deny, a selector ruling out every pool refuses the pod;               deny; workload-type; gaming;          Denied",
            "with deny, a selector that leaves one pool possible is only a narrowing;   deny; workload-type; batch-inference; Placed",
            "with deny, a selector on keys the pools do not use is no conflict;         deny; zone;          eu-west-1a;      Placed"})
    void decidesByThePolicySwitch(String name, String mode, String key, String value, String outcome) {
        Pod pod = typed("research").editSpec().addToNodeSelector(key, value).endSpec().build();

        Mutation m = new PodMutator().mutate(pod, Map.of(), policy(mode), PriorityClasses.of(policy(mode)));

        assertThat(m.getClass().getSimpleName()).isEqualTo(outcome);
        if (m instanceof Mutation.Denied denied) {
            assertThat(denied.message()).isEqualTo("the pod's nodeSelector workload-type=gaming rules out every pool of workload type "
                    + "research (a100-research, a100-development, a100-batch); remove it, or choose another workload type");
        }
        if (m instanceof Mutation.Placed placed) {
            assertThat(placed.pod().getSpec().getNodeSelector()).containsEntry(key, value);
            if (value.equals("gaming")) {
                assertThat(placed.warnings()).anySatisfy(w -> assertThat(w).contains("workload-type=gaming kept"));
            }
        }
    }
}
