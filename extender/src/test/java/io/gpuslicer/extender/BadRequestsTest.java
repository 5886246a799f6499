package io.gpuslicer.extender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuslicer.policy.Policy;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.gpuslicer.extender.ExtenderServerTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request body kube-scheduler would never send has a defined answer: filter answers 200 with
 * {@code Error} naming the problem, prioritize and preempt answer 400 with the same message; never a 500.
 */
class BadRequestsTest {
    private static final Policy POLICY = Samples.samplePolicy();
    private static final long BODY_LIMIT = 256 * 1024;

    private static Vertx vertx;
    private static WebClient client;
    private static ExtenderServer server;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
        ExtenderConfig config = new ExtenderConfig("127.0.0.1", 0, ExtenderConfig.DEFAULT_PREFIX, BODY_LIMIT, null, null);
        server = await(ExtenderServer.start(vertx, config, Samples.sampleLedger(POLICY)).toCompletionStage());
    }

    @AfterAll
    static void stop() throws Exception {
        await(server.close().toCompletionStage());
        client.close();
        await(vertx.close().toCompletionStage());
    }

    private static ObjectNode decided(String sample) throws Exception {
        return (ObjectNode) Samples.JSON.readTree(Samples.withDecision(sample, POLICY, "research"));
    }

    static Stream<Arguments> scheduleArgs() {
        String names = "extender-ncc-true-filter-request.json";
        String nodes = "extender-ncc-false-filter-request.json";
        return Stream.of(
                Arguments.of("a null node name", names, (UnaryOperator<ObjectNode>) a -> {
                    a.withArray("NodeNames").insertNull(1);
                    return a;
                }, "NodeNames[1] is null"),
                Arguments.of("a node name twice", names, (UnaryOperator<ObjectNode>) a -> {
                    a.withArray("NodeNames").add("gpu-node-1");
                    return a;
                }, "NodeNames names node \"gpu-node-1\" more than once"),
                Arguments.of("more node names than the cap", names, (UnaryOperator<ObjectNode>) a -> {
                    ArrayNode list = a.putArray("NodeNames");
                    for (int i = 0; i <= RequestCheck.MAX_NODES; i++) {
                        list.add("n" + i);
                    }
                    return a;
                }, "NodeNames holds " + (RequestCheck.MAX_NODES + 1) + " nodes, over the limit of " + RequestCheck.MAX_NODES),
                Arguments.of("a null Node", nodes, (UnaryOperator<ObjectNode>) a -> {
                    a.with("Nodes").withArray("items").insertNull(0);
                    return a;
                }, "Nodes.items[0] has no metadata.name"),
                Arguments.of("a Node twice", nodes, (UnaryOperator<ObjectNode>) a -> {
                    ArrayNode items = a.with("Nodes").withArray("items");
                    items.add(items.get(0).deepCopy());
                    return a;
                }, "Nodes.items names node \"gpu-node-1\" more than once"),
                Arguments.of("no Pod", names, (UnaryOperator<ObjectNode>) a -> {
                    a.remove("Pod");
                    return a;
                }, "ExtenderArgs without a Pod"),
                Arguments.of("a Pod of the wrong type", names, (UnaryOperator<ObjectNode>) a -> {
                    a.put("Pod", "x");
                    return a;
                }, "malformed ExtenderArgs: Pod: Cannot construct instance of `Pod`"),
                Arguments.of("a container of the wrong type", names, (UnaryOperator<ObjectNode>) a -> {
                    ((ArrayNode) a.path("Pod").path("spec").path("containers")).set(0, Samples.JSON.getNodeFactory().numberNode(7));
                    return a;
                }, "malformed ExtenderArgs: Pod.spec.containers[0]: Cannot construct instance of `Container`"),
                Arguments.of("labels that are not a map", names, (UnaryOperator<ObjectNode>) a -> {
                    ((ObjectNode) a.path("Pod").path("metadata")).putArray("labels").add(1);
                    return a;
                }, "malformed ExtenderArgs: Pod.metadata.labels: Cannot deserialize value of type `LinkedHashMap<String,String>`"));
    }

    @ParameterizedTest(name = "filter answers {0} with an Error naming it, prioritize with a 400")
    @MethodSource("scheduleArgs")
    void scheduleArgsTheSchedulerNeverSendsHaveADefinedAnswer(String what, String sample, UnaryOperator<ObjectNode> breakIt,
                                                               String message) throws Exception {
        String body = breakIt.apply(decided(sample)).toString();
        HttpResponse<Buffer> filter = post("filter", body);
        assertThat(filter.statusCode()).isEqualTo(200);
        assertThat(filter.bodyAsJsonObject().getString("Error")).startsWith("gpu-slicer: " + message);
        HttpResponse<Buffer> prioritize = post("prioritize", body);
        assertThat(prioritize.statusCode()).isEqualTo(400);
        assertThat(prioritize.bodyAsJsonObject().getJsonObject("error").getString("message")).startsWith(message);
    }

    static Stream<Arguments> preemptArgs() {
        return Stream.of(
                Arguments.of("null victims on a node", "{\"NodeNameToMetaVictims\":{\"gpu-node-1\":null}}",
                        "NodeNameToMetaVictims.gpu-node-1 is null"),
                Arguments.of("null full victims on a node", "{\"NodeNameToVictims\":{\"gpu-node-1\":null}}",
                        "NodeNameToVictims.gpu-node-1 is null"),
                Arguments.of("a null victim pod", "{\"NodeNameToVictims\":{\"gpu-node-1\":{\"Pods\":[null]}}}",
                        "NodeNameToVictims.gpu-node-1.Pods has a null item"),
                Arguments.of("a null victim UID entry", "{\"NodeNameToMetaVictims\":{\"gpu-node-1\":{\"Pods\":[null]}}}",
                        "malformed ExtenderPreemptionArgs: NodeNameToMetaVictims.gpu-node-1"),
                Arguments.of("a victim without a UID", "{\"NodeNameToMetaVictims\":{\"gpu-node-1\":{\"Pods\":[{}]}}}",
                        "NodeNameToMetaVictims.gpu-node-1.Pods has an item without UID"),
                Arguments.of("a full victim pod without a UID", "{\"NodeNameToVictims\":{\"gpu-node-1\":{\"Pods\":[{\"metadata\":{\"name\":\"v\"}}]}}}",
                        "NodeNameToVictims.gpu-node-1.Pods has a pod without metadata.uid"));
    }

    @ParameterizedTest(name = "preempt answers {0} with a 400 naming it")
    @MethodSource("preemptArgs")
    void preemptionArgsTheSchedulerNeverSendsAreAnswered400(String what, String victims, String message) throws Exception {
        ObjectNode args = (ObjectNode) Samples.JSON.readTree(victims);
        args.set("Pod", decided("extender-ncc-true-filter-request.json").path("Pod"));
        HttpResponse<Buffer> r = post("preempt", args.toString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("message")).startsWith(message);
    }

    @Test
    void argsWithoutAnyNodeListAreAnsweredWithNoNodes() throws Exception {
        ObjectNode args = decided("extender-ncc-true-filter-request.json");
        args.putNull("NodeNames");
        args.putNull("Nodes");
        HttpResponse<Buffer> filter = post("filter", args.toString());
        assertThat(filter.statusCode()).isEqualTo(200);
        assertThat(filter.bodyAsJsonObject().getString("Error")).isEmpty();
        assertThat(filter.bodyAsJsonObject().getJsonArray("NodeNames")).isEmpty();
        HttpResponse<Buffer> prioritize = post("prioritize", args.toString());
        assertThat(prioritize.statusCode()).isEqualTo(200);
        assertThat(prioritize.bodyAsJsonArray()).isEmpty();
    }

    @Test
    void aBodyOverTheLimitIsAnswered413() throws Exception {
        ObjectNode args = decided("extender-ncc-true-filter-request.json");
        ((ObjectNode) args.path("Pod").path("metadata")).put("name", "x".repeat((int) BODY_LIMIT));
        HttpResponse<Buffer> r = post("filter", args.toString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("message")).contains(String.valueOf(BODY_LIMIT));
    }

    @Test
    void aBodyJustUnderTheLimitIsServed() throws Exception {
        ObjectNode args = decided("extender-ncc-true-filter-request.json");
        int room = (int) BODY_LIMIT - args.toString().length() - 100;
        ((ObjectNode) args.path("Pod").path("metadata")).putObject("labels").put("pad", "x".repeat(room));
        HttpResponse<Buffer> r = post("filter", args.toString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = Samples.JSON.readTree(r.bodyAsString());
        assertThat(body.path("Error").asText()).isEmpty();
    }

    private static HttpResponse<Buffer> post(String verb, String body) throws Exception {
        return await(client.post(server.actualPort(), "127.0.0.1", "/gpu-slicer/" + verb).putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer(body)).toCompletionStage());
    }
}
