package io.gpuslicer.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DecisionTest {
    @Test
    void aDecisionSurvivesTheAnnotationRoundTrip() {
        Policy policy = PolicyLoader.defaultPolicy();
        var placement = (Classification.Placement) WorkloadClassifier.classify(policy,
                Map.of("gpuslicer.io/workload-type", "production-inference"), Map.of(), new GpuRequest(Map.of("nvidia.com/gpu", 1L)));

        Decision d = Decision.of(placement, policy.version());
        String json = d.toJson();

        assertThat(json).isEqualTo("{\"type\":\"production-inference\",\"mode\":\"mig\",\"pools\":[\"mig-3g40gb\"],"
                + "\"migProfile\":\"3g.40gb\",\"policy\":\"" + policy.version() + "\"}");
        assertThat(Decision.parse(json)).contains(d);
    }

    @Test
    void sharedDecisionsOmitTheProfile() {
        Decision d = new Decision("research", "time-slicing", List.of("a100-research", "a100-batch"), null, "abc");

        assertThat(d.toJson()).doesNotContain("migProfile");
        assertThat(Decision.parse(d.toJson()).orElseThrow().sharingMode()).contains(SharingMode.TIME_SLICING);
    }

    @ParameterizedTest(name = "\"{0}\" is not a decision")
    @ValueSource(strings = {"", "  ", "not json", "{}", "{\"type\":\"research\"}", "{\"type\":\"x\",\"mode\":\"mig\",\"pools\":[]}", "[1,2]"})
    void malformedAnnotationsAreNotDecisions(String value) {
        assertThat(Decision.parse(value)).isEmpty();
    }
}
