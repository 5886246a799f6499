package io.gpuslicer.extender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.LedgerSource;
import io.gpuslicer.extender.ledger.LedgerStore;
import io.gpuslicer.policy.Policy;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The extender over HTTP, fed with the bodies kube-scheduler v1.32 really sent, in both node-cache modes. */
class ExtenderServerTest {
    private static final Policy POLICY = Samples.samplePolicy();

    private Vertx vertx;
    private WebClient client;
    private ExtenderServer server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
        server = await(ExtenderServer.start(vertx, ExtenderConfig.plain(0), Samples.sampleLedger(POLICY)).toCompletionStage());
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            await(server.close().toCompletionStage());
        }
        client.close();
        await(vertx.close().toCompletionStage());
    }

    @Test
    void aPodWithoutDecisionPassesEveryNamedNodeExactlyAsTheSampleAnswer() throws Exception {
        JsonNode body = json(post("/gpu-slicer/filter", Samples.text("extender-ncc-true-filter-request.json")));
        assertThat(body).isEqualTo(Samples.JSON.readTree(Samples.text("extender-ncc-true-filter-response.json")));
    }

    @ParameterizedTest(name = "a pod without decision gets neutral scores ({0})")
    @ValueSource(strings = {"extender-ncc-true-prioritize-request.json", "extender-ncc-false-prioritize-request.json"})
    void aPodWithoutDecisionGetsNeutralScores(String sample) throws Exception {
        JsonNode body = json(post("/gpu-slicer/prioritize", Samples.text(sample)));
        assertThat(body.findValuesAsText("Host")).containsExactlyInAnyOrder("gpu-node-1", "gpu-node-2", "gpu-node-3");
        assertThat(body.findValues("Score")).allMatch(s -> s.asInt() == 0);
    }

    @Test
    void aPodWithoutDecisionGetsEveryFullNodeBack() throws Exception {
        JsonNode body = json(post("/gpu-slicer/filter", Samples.text("extender-ncc-false-filter-request.json")));
        assertThat(body.path("Nodes").path("items").findValuesAsText("name"))
                .containsExactly("gpu-node-1", "gpu-node-2", "gpu-node-3");
        assertThat(body.path("FailedNodes").size()).isZero();
        assertThat(body.path("Error").asText()).isEmpty();
    }

    @ParameterizedTest(name = "a research pod may use every sample node ({0})")
    @ValueSource(strings = {"extender-ncc-true-filter-request.json", "extender-ncc-false-filter-request.json"})
    void aDecidedResearchPodPassesEveryNode(String sample) throws Exception {
        JsonNode body = json(post("/gpu-slicer/filter", Samples.withDecision(sample, POLICY, "research")));
        assertThat(passed(body)).containsExactlyInAnyOrder("gpu-node-1", "gpu-node-2", "gpu-node-3");
        assertThat(body.path("FailedAndUnresolvableNodes").size()).isZero();
    }

    @ParameterizedTest(name = "a fine-tuning pod may only use the H100 node ({0})")
    @ValueSource(strings = {"extender-ncc-true-filter-request.json", "extender-ncc-false-filter-request.json"})
    void aDecidedPodIsKeptOffPoolsItMayNotUse(String sample) throws Exception {
        JsonNode body = json(post("/gpu-slicer/filter", Samples.withDecision(sample, POLICY, "fine-tuning")));
        assertThat(passed(body)).containsExactly("gpu-node-3");
        assertThat(body.path("FailedAndUnresolvableNodes").path("gpu-node-1").asText())
                .isEqualTo("gpu-slicer: node is not in a pool the workload type may use (node pools a100-shared; allowed h100-shared)");
        assertThat(body.path("FailedNodes").size()).isZero();
    }

    @ParameterizedTest(name = "a research pod ranks its preferred A100 pool above the H100 fallback ({0})")
    @ValueSource(strings = {"extender-ncc-true-prioritize-request.json", "extender-ncc-false-prioritize-request.json"})
    void aDecidedPodPrefersItsPreferredPool(String sample) throws Exception {
        JsonNode body = json(post("/gpu-slicer/prioritize", Samples.withDecision(sample, POLICY, "research")));
        assertThat(score(body, "gpu-node-1")).isEqualTo(10).isEqualTo(score(body, "gpu-node-2"));
        assertThat(score(body, "gpu-node-3")).isBetween(1, 9);
    }

    @Test
    void camelCaseKeysAreAcceptedLikeGoDoes() throws Exception {
        String camel = Samples.withDecision("extender-ncc-true-filter-request.json", POLICY, "fine-tuning")
                .replace("\"Pod\":", "\"pod\":").replace("\"NodeNames\":", "\"nodeNames\":").replace("\"Nodes\":", "\"nodes\":");
        assertThat(passed(json(post("/gpu-slicer/filter", camel)))).containsExactly("gpu-node-3");
    }

    @Test
    void nodeNamesTheLedgerDoesNotKnowAreRefusedNeverPassed() throws Exception {
        ObjectNode req = (ObjectNode) Samples.JSON.readTree(Samples.withDecision("extender-ncc-true-filter-request.json", POLICY, "research"));
        req.withArray("NodeNames").add("gpu-node-99");
        JsonNode body = json(post("/gpu-slicer/filter", req.toString()));
        assertThat(passed(body)).doesNotContain("gpu-node-99");
        assertThat(body.path("FailedAndUnresolvableNodes").path("gpu-node-99").asText()).contains("unknown to the gpu-slicer ledger");
    }

    @ParameterizedTest(name = "a malformed body gets a 400 JSON error from prioritize and preempt, an Error from filter: {0}")
    @ValueSource(strings = {"not json", "[]", "{\"Pod\": 5}", "{\"NodeNames\": [\"a\"]}", "null", "",
            "{\"Pod\":{},\"Nodes\":{\"items\":[{\"metadata\":{}}]}}"})
    void malformedBodiesGetA400(String body) throws Exception {
        for (String verb : List.of("filter", "prioritize", "preempt")) {
            HttpResponse<Buffer> r = post("/gpu-slicer/" + verb, body);
            if (verb.equals("preempt") && body.startsWith("{\"NodeNames\"")) {
                continue;
            }
            if (verb.equals("preempt") && body.contains("\"Nodes\"")) {
                continue;
            }
            if (verb.equals("filter")) {
                // kube-scheduler shows a filter's Error in the pod's events, but only "code 400" for a 400.
                assertThat(r.statusCode()).as(verb).isEqualTo(200);
                assertThat(r.bodyAsJsonObject().getString("Error")).startsWith("gpu-slicer: ");
                assertThat(r.bodyAsJsonObject().getJsonArray("NodeNames")).isNull();
                continue;
            }
            assertThat(r.statusCode()).as(verb).isEqualTo(400);
            assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("message")).isNotBlank();
        }
    }

    @Test
    void preemptAnswersInTheSchedulersShape() throws Exception {
        String req = "{\"Pod\":" + Samples.JSON.readTree(Samples.withDecision("extender-ncc-true-filter-request.json", POLICY, "research"))
                .path("Pod") + ",\"NodeNameToVictims\":null,\"NodeNameToMetaVictims\":{\"gpu-node-1\":{\"Pods\":[{\"UID\":\"u1\"}],\"NumPDBViolations\":0}}}";
        JsonNode body = json(post("/gpu-slicer/preempt", req));
        assertThat(body.path("NodeNameToMetaVictims").path("gpu-node-1").path("Pods").findValuesAsText("UID")).containsExactly("u1");
        assertThat(body.path("NodeNameToMetaVictims").path("gpu-node-1").has("NumPDBViolations")).isTrue();
    }

    @Test
    void metricsCountCallsRefusalsAndFreeCapacityPerPool() throws Exception {
        post("/gpu-slicer/filter", Samples.withDecision("extender-ncc-true-filter-request.json", POLICY, "fine-tuning"));
        String metrics = get("/metrics").bodyAsString();
        assertThat(metrics).contains("gpuslicer_extender_calls_seconds_bucket{outcome=\"ok\",verb=\"filter\"")
                .contains("gpuslicer_extender_nodes_filtered_total{reason=\"pool_not_allowed\"} 2.0")
                .contains("gpuslicer_extender_pool_free{pool=\"a100-shared\",unit=\"replicas\"} 48.0")
                .contains("gpuslicer_extender_pool_free{pool=\"h100-shared\",unit=\"replicas\"} 8.0");
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void untilTheLedgerIsReadyFilterAnswersWithAnErrorAndReadyzSays503() throws Exception {
        await(server.close().toCompletionStage());
        server = await(ExtenderServer.start(vertx, ExtenderConfig.plain(0), new NotSynced()).toCompletionStage());
        HttpResponse<Buffer> filter = post("/gpu-slicer/filter", Samples.withDecision("extender-ncc-true-filter-request.json", POLICY, "research"));
        assertThat(filter.statusCode()).isEqualTo(200);
        assertThat(json(filter).path("Error").asText()).contains("not ready").contains("informers not synced");
        assertThat(post("/gpu-slicer/prioritize", Samples.withDecision("extender-ncc-true-prioritize-request.json", POLICY, "research"))
                .statusCode()).isEqualTo(503);
        assertThat(get("/readyz").statusCode()).isEqualTo(503);
    }

    @Test
    void aCustomPrefixIsHonoured() throws Exception {
        await(server.close().toCompletionStage());
        server = await(ExtenderServer.start(vertx, new ExtenderConfig("127.0.0.1", 0, "scheduler/", ExtenderConfig.DEFAULT_BODY_LIMIT, null, null),
                Samples.sampleLedger(POLICY)).toCompletionStage());
        assertThat(post("/scheduler/filter", Samples.text("extender-ncc-true-filter-request.json")).statusCode()).isEqualTo(200);
        assertThat(post("/gpu-slicer/filter", Samples.text("extender-ncc-true-filter-request.json")).statusCode()).isEqualTo(404);
    }

    private static final class NotSynced implements LedgerSource {
        private final LedgerStore store = new LedgerStore(POLICY);

        @Override
        public LedgerSnapshot snapshot() {
            return store.snapshot();
        }

        @Override
        public String notReadyReason() {
            return "informers not synced yet (nodes, pods)";
        }

        @Override
        public LedgerStore store() {
            return store;
        }
    }

    private static List<String> passed(JsonNode body) {
        if (body.hasNonNull("NodeNames")) {
            List<String> out = new ArrayList<>();
            body.path("NodeNames").forEach(n -> out.add(n.asText()));
            return out;
        }
        List<String> out = new ArrayList<>();
        body.path("Nodes").path("items").forEach(n -> out.add(n.path("metadata").path("name").asText()));
        return out;
    }

    private static int score(JsonNode priorities, String host) {
        for (JsonNode p : priorities) {
            if (p.path("Host").asText().equals(host)) {
                return p.path("Score").asInt();
            }
        }
        throw new AssertionError("no score for " + host + " in " + priorities);
    }

    private HttpResponse<Buffer> post(String path, String body) throws Exception {
        return await(client.post(server.actualPort(), "localhost", path).putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer(body)).toCompletionStage());
    }

    private HttpResponse<Buffer> get(String path) throws Exception {
        return await(client.get(server.actualPort(), "localhost", path).send().toCompletionStage());
    }

    private static JsonNode json(HttpResponse<Buffer> r) throws Exception {
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        return Samples.JSON.readTree(r.bodyAsString());
    }

    static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

}
