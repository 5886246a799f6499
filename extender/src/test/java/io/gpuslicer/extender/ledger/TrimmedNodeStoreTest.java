package io.gpuslicer.extender.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.gpuslicer.extender.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The node informer's cache keeps of each Node what the ledger and the pending-pod nudger read, and drops the rest
 * (images, managed fields, conditions, annotations), whatever shape the Node has.
 */
class TrimmedNodeStoreTest {

    static Stream<Arguments> nodes() throws IOException {
        List<Arguments> rows = new ArrayList<>();
        for (JsonNode item : Samples.tree("extender-ncc-false-filter-request.json").path("Nodes").path("items")) {
            Node node = Samples.JSON.treeToValue(item, Node.class);
            rows.add(arguments("the captured node " + node.getMetadata().getName() + " (managed fields, conditions, annotations)", node));
        }
        rows.add(arguments("a MIG node reconfiguring", withLabel(migNodeObject("mig-1", "3g.40gb"), "nvidia.com/mig.config.state", "pending")));
        rows.add(arguments("a time-sliced node with a taint and cordoned", new NodeBuilder(sharedNodeObject("ts-1", "a100-research", 4))
                .editOrNewSpec().withUnschedulable(true).withTaints(new Taint("NoSchedule", "nvidia.com/gpu", null, "present")).endSpec()
                .build()));
        rows.add(arguments("a node without spec or status", new NodeBuilder().withNewMetadata().withName("bare").endMetadata().build()));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}: the ledger reads the same inventory from the cached copy")
    @MethodSource("nodes")
    void theLedgerReadsTheSameInventoryFromTheCachedCopy(String name, Node node) {
        Node cached = TrimmedNodeStore.trim(node);

        assertThat(NodeInventories.of(cached)).isEqualTo(NodeInventories.of(node));
        assertThat(cached.getMetadata().getLabels()).as("the nudger reads the MIG state label of the old node")
                .isEqualTo(node.getMetadata().getLabels());
        assertThat(cached.getMetadata().getUid()).isEqualTo(node.getMetadata().getUid());
        assertThat(cached.getMetadata().getResourceVersion()).as("fabric8 compares the old and new resourceVersion")
                .isEqualTo(node.getMetadata().getResourceVersion());
    }

    @Test
    void theCacheDropsWhatNoReaderNeeds() {
        Node node = new NodeBuilder(sharedNodeObject("big", "a100-research", 4))
                .editMetadata().addToAnnotations("nfd.node.kubernetes.io/feature-labels", "cpu-cpuid.AVX512F,cpu-cpuid.AMXTILE")
                .addNewManagedField().withManager("kubelet").withOperation("Update").endManagedField().endMetadata()
                .editOrNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
                .withImages(new ContainerImage(List.of("nvcr.io/nvidia/k8s-device-plugin:v0.17.0"), 120_000_000L))
                .withNewNodeInfo().withKubeletVersion("v1.32.0").endNodeInfo().endStatus()
                .build();
        TrimmedNodeStore store = new TrimmedNodeStore();
        store.put("big", node);

        Node cached = store.get("big");
        assertThat(cached.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(cached.getStatus().getConditions()).isNullOrEmpty();
        assertThat(cached.getStatus().getImages()).isNullOrEmpty();
        assertThat(cached.getStatus().getNodeInfo()).isNull();
        assertThat(cached.getStatus().getAllocatable()).isEqualTo(node.getStatus().getAllocatable());
        assertThat(store.getKey(cached)).as("found under the key the informer keeps it by").isEqualTo("big");
    }
}
