package io.gpuslicer.extender;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.NodeListBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.core.ExtenderMetrics;
import io.gpuslicer.extender.ledger.SnapshotLedgerSource;
import io.gpuslicer.extender.wire.ExtenderArgs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static io.gpuslicer.extender.Fixtures.POLICY;
import static io.gpuslicer.extender.Fixtures.boundTo;
import static io.gpuslicer.extender.Fixtures.gpuPod;
import static io.gpuslicer.extender.Fixtures.sharedNodeObject;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fallback is counted when filter leaves only fallback-pool nodes: kube-scheduler does not call
 * prioritize when one node is feasible, so prioritize cannot be where it is counted.
 */
class FallbackCountTest {

    @ParameterizedTest(name = "{0} (full Node objects: {4})")
    @CsvSource(delimiter = ';', value = {
            "a research pod with room in its own pool is not a fallback;             false; false; 0; false",
            "a research pod whose pool is full falls back and is counted once;       true;  false; 1; false",
            "a research pod with no feasible node at all is pending, not a fallback; true;  true;  0; false",
            "a research pod with room in its own pool is not a fallback;             false; false; 0; true",
            "a research pod whose pool is full falls back and is counted once;       true;  false; 1; true",
            "a research pod with no feasible node at all is pending, not a fallback; true;  true;  0; true"})
    void countsFallbacksAtFilterTime(String name, boolean researchFull, boolean developmentFull, int expected, boolean fullNodes) {
        Node research = sharedNodeObject("research-1", "a100-research", 1);
        Node development = sharedNodeObject("dev-1", "a100-development", 1);
        SnapshotLedgerSource ledger = new SnapshotLedgerSource(POLICY).addNode(research).addNode(development);
        // One replica per GPU: a node is full with one pod per GPU.
        for (int i = 0; i < Fixtures.GPUS; i++) {
            if (researchFull) {
                ledger.addPod(boundTo(gpuPod("r" + i, "research", 1), "research-1"));
            }
            if (developmentFull) {
                ledger.addPod(boundTo(gpuPod("d" + i, "development", 1), "dev-1"));
            }
        }
        List<String> fallbacks = new ArrayList<>();
        Extender extender = new Extender(ledger, new ExtenderMetrics() {
            @Override
            public void fallbackPlacement(String workloadType) {
                fallbacks.add(workloadType);
            }
        });
        Pod pod = gpuPod("new", "research", 1);

        // nodeCacheCapable: false sends the Node objects themselves, through another path of filter.
        NodeList nodes = new NodeListBuilder().addToItems(research, development).build();
        ExtenderArgs args = fullNodes ? ExtenderArgs.ofNodes(pod, nodes) : ExtenderArgs.ofNames(pod, List.of("research-1", "dev-1"));
        extender.filter(args);
        extender.prioritize(args);

        assertThat(fallbacks).hasSize(expected).allMatch("research"::equals);
    }
}
