package io.gpuslicer.extender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.gpuslicer.extender.core.ExtenderMetrics;
import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.ledger.SnapshotLedgerSource;
import io.gpuslicer.extender.wire.ExtenderArgs;
import io.gpuslicer.extender.wire.HostPriority;
import io.gpuslicer.policy.NvidiaKeys;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP server scores with the framework the in-process extender, the demo, the benchmarks and the simulator use:
 * fragmentation measured against the mix of pods the ledger holds. (It once ran {@link Framework#DEFAULT}, whose empty
 * mix gave every node the same fragmentation score, so the live extender never weighed fragmentation.)
 */
class ServerScoringTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHARE = POLICY.vocabulary().gpuShareKey();

    private Vertx vertx;
    private WebClient client;
    private SnapshotLedgerSource ledger;
    private ExtenderServer server;

    @BeforeEach
    void start() throws Exception {
        // Research nodes of 2 GPUs. "sliver" holds a pod using 0.75 of a GPU, "half" one using 0.5; the cluster's mix is
        // mostly half-GPU pods (three more on "busy"). A quarter lands beside the one pod either way (one sharer
        // each), but on "sliver" it fills the 0.25 no half-GPU pod could use, and on "half" it leaves 0.25 of the 0.5
        // one could.
        ledger = new SnapshotLedgerSource(POLICY).addNode(researchNode("half")).addNode(researchNode("sliver")).addNode(researchNode("busy"));
        ledger.addPod(boundTo(sharePod("held-0.75", "0.75"), "sliver"));
        ledger.addPod(boundTo(sharePod("held-0.5", "0.5"), "half"));
        for (int i = 0; i < 3; i++) {
            ledger.addPod(boundTo(sharePod("busy-" + i, "0.5"), "busy"));
        }
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
        server = ExtenderServer.start(vertx, ExtenderConfig.plain(0), ledger).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theServerWeighsFragmentationAgainstTheLedgersMixAsTheInProcessExtenderDoes() throws Exception {
        Pod quarter = sharePod("quarter", "0.25");
        List<String> nodes = List.of("half", "sliver");
        Map<String, Long> learned = scores(new Extender(ledger, ExtenderMetrics.NOOP).prioritize(new ExtenderArgs(quarter, null, nodes)));
        Map<String, Long> withoutMix = scores(new Extender(ledger, Framework.DEFAULT, ExtenderMetrics.NOOP)
                .prioritize(new ExtenderArgs(quarter, null, nodes)));
        assertThat(learned.get("sliver")).as("with the mix, the node whose sliver the quarter fills ranks first")
                .isGreaterThan(learned.get("half"));
        assertThat(withoutMix).as("the case tells the two apart: without the mix, contention alone puts \"half\" first").isNotEqualTo(learned);

        JsonNode body = JSON.readTree(client.post(server.actualPort(), "127.0.0.1", "/gpu-slicer/prioritize")
                .sendBuffer(Buffer.buffer(JSON.writeValueAsBytes(new ExtenderArgs(quarter, null, nodes))))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).bodyAsString());
        Map<String, Long> overHttp = new TreeMap<>();
        body.forEach(h -> overHttp.put(h.path("Host").asText(), h.path("Score").asLong()));
        assertThat(overHttp).isEqualTo(learned);
    }

    private static Map<String, Long> scores(List<HostPriority> priorities) {
        Map<String, Long> out = new TreeMap<>();
        priorities.forEach(h -> out.put(h.host(), h.score()));
        return out;
    }

    /** A decided research pod declaring {@code share} of a GPU. */
    private static Pod sharePod(String name, String share) {
        return new PodBuilder(gpuPod(name, "research", 1)).editMetadata().addToLabels(SHARE, share).endMetadata().build();
    }

    /** A research node of 2 GPUs with 10 replicas each. */
    private static Node researchNode(String name) {
        Node n = sharedNodeObject(name, "a100-research", 10);
        n.getMetadata().getLabels().put(NvidiaKeys.GPU_COUNT, "2");
        n.getStatus().getAllocatable().put(NvidiaKeys.GPU, new Quantity("20"));
        n.getStatus().getAllocatable().put("cpu", new Quantity("64"));
        n.getStatus().getAllocatable().put("memory", new Quantity("256Gi"));
        return n;
    }
}
