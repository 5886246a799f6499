package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Watch events and pod lists read by the ledger's client: pods streamed with what the ledger keeps, everything else as fabric8 reads it. */
class StreamedPodEventsTest {
    private static KubernetesClient base;
    private static KubernetesClient client;

    @BeforeAll
    static void clients() {
        base = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:1").build()).build();
        client = StreamedPodEvents.client(base);
    }

    @AfterAll
    static void close() {
        client.close();
        base.close();
    }

    private static Object read(String event) {
        return client.getKubernetesSerialization().unmarshal(event, WatchEvent.class).getObject();
    }

    private static String event(String type, Object object) {
        KubernetesSerialization plain = base.getKubernetesSerialization();
        return "{\"type\":\"" + type + "\",\"object\":" + plain.asJson(object) + "}";
    }

    @Test
    void aPodEventCarriesWhatTheLedgerReads() {
        Pod sent = boundTo(withPriority(gpuPod("p", "research", 2), 100), "node-1");
        sent.getMetadata().setResourceVersion("42");
        sent.getSpec().setHostname("not-read-by-the-ledger");
        Pod got = (Pod) read(event("MODIFIED", sent));

        assertThat(got.getMetadata().getName()).isEqualTo("p");
        assertThat(got.getMetadata().getNamespace()).isEqualTo(sent.getMetadata().getNamespace());
        assertThat(got.getMetadata().getUid()).isEqualTo(sent.getMetadata().getUid());
        assertThat(got.getMetadata().getResourceVersion()).isEqualTo("42");
        assertThat(got.getMetadata().getAnnotations()).isEqualTo(sent.getMetadata().getAnnotations());
        assertThat(got.getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(got.getSpec().getPriority()).isEqualTo(100);
        assertThat(got.getSpec().getContainers().get(0).getResources()).isEqualTo(sent.getSpec().getContainers().get(0).getResources());
        assertThat(got.getSpec().getHostname()).as("streamed: fields the ledger does not read are skipped").isNull();
        assertThat(new PodUsages(POLICY.vocabulary().decisionAnnotation()).of(got))
                .isEqualTo(new PodUsages(POLICY.vocabulary().decisionAnnotation()).of(sent));
    }

    @Test
    void aPodWhoseKindComesLastIsStillAPod() {
        Pod sent = gpuPod("late-kind", "research", 1);
        String json = event("ADDED", sent).replace("\"apiVersion\":\"v1\",\"kind\":\"Pod\",", "");
        json = json.substring(0, json.length() - 2) + ",\"kind\":\"Pod\",\"apiVersion\":\"v1\"}}";
        Pod got = (Pod) read(json);
        assertThat(got.getMetadata().getName()).isEqualTo("late-kind");
        assertThat(got.getSpec().getContainers()).hasSize(1);
    }

    @Test
    void otherObjectsAreReadAsFabric8ReadsThem() {
        Node node = sharedNodeObject("n", "a100-research", 3);
        assertThat(read(event("ADDED", node))).isEqualTo(node);
        Object status = read("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":410,\"reason\":\"Expired\"}}");
        assertThat(status).isInstanceOf(Status.class);
        assertThat(((Status) status).getCode()).isEqualTo(410);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "a watch event {0} fails as fabric8 fails it")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\"", "{\"type\":[1]}", "{]"})
    void aMalformedWatchEventFailsAsFabric8FailsIt(String event) {
        Throwable ours = org.assertj.core.api.Assertions.catchThrowable(() -> client.getKubernetesSerialization().unmarshal(event, WatchEvent.class));
        Throwable theirs = org.assertj.core.api.Assertions.catchThrowable(() -> base.getKubernetesSerialization().unmarshal(event, WatchEvent.class));
        assertThat(theirs).isNotNull();
        assertThat(ours).isNotNull().hasSameClassAs(theirs);
    }

    /** A list as kube-apiserver writes it: the list's kind and metadata, then items without their own kind and apiVersion. */
    private static String list(Pod... pods) {
        KubernetesSerialization plain = base.getKubernetesSerialization();
        StringBuilder json = new StringBuilder("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"77\",\"continue\":\"next-page\"},\"items\":[");
        for (int i = 0; i < pods.length; i++) {
            json.append(i == 0 ? "" : ",").append(plain.asJson(pods[i]).replace("\"apiVersion\":\"v1\",\"kind\":\"Pod\",", ""));
        }
        return json.append("]}").toString();
    }

    @Test
    void aListOfPodsCarriesWhatTheLedgerReadsAndKeepsWhereTheNextPageStarts() throws Exception {
        Pod bound = boundTo(withPriority(gpuPod("bound", "research", 2), 100), "node-1");
        bound.getSpec().setHostname("not-read-by-the-ledger");
        Pod pending = gpuPod("pending", "development", 1);
        String json = list(bound, pending);
        assertThat(json).as("items as the API server sends them").doesNotContain("\"kind\":\"Pod\"");

        for (PodList got : java.util.List.of(client.getKubernetesSerialization().unmarshal(json, PodList.class),
                client.getKubernetesSerialization().unmarshal(new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), PodList.class))) {
            assertThat(got.getMetadata().getResourceVersion()).isEqualTo("77");
            assertThat(got.getMetadata().getContinue()).isEqualTo("next-page");
            assertThat(got.getItems()).extracting(p -> p.getMetadata().getName()).containsExactly("bound", "pending");
            Pod first = got.getItems().get(0);
            assertThat(first.getSpec().getHostname()).as("streamed: fields the ledger does not read are skipped").isNull();
            assertThat(first.getSpec().getNodeName()).isEqualTo("node-1");
            assertThat(first.getSpec().getPriority()).isEqualTo(100);
            PodUsages usages = new PodUsages(POLICY.vocabulary().decisionAnnotation());
            assertThat(usages.of(first)).isEqualTo(usages.of(bound));
            assertThat(usages.of(got.getItems().get(1))).isEqualTo(usages.of(pending));
            // What a watch event of the same pod gives: one reader for both ways a pod reaches the informer.
            assertThat(first).isEqualTo(read(event("MODIFIED", bound)));
        }
    }

    @Test
    void thePodsOfAListTheClientMakesAreStreamed() {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient plain = server.createClient(); KubernetesClient streaming = StreamedPodEvents.client(plain)) {
            Pod pod = gpuPod("listed", "research", 1);
            pod.getSpec().setHostname("not-read-by-the-ledger");
            plain.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();

            Pod got = streaming.pods().inAnyNamespace().list().getItems().get(0);
            assertThat(got.getMetadata().getName()).isEqualTo("listed");
            assertThat(got.getSpec().getContainers()).hasSize(1);
            assertThat(got.getSpec().getHostname()).as("read by the streaming reader, as the informers list").isNull();
            assertThat(plain.pods().inAnyNamespace().list().getItems().get(0).getSpec().getHostname())
                    .as("a plain client reads the whole pod").isEqualTo("not-read-by-the-ledger");
        } finally {
            server.destroy();
        }
    }

    @Test
    void aClientBuiltToStreamIsRecognisedAndAPlainOneIsNot() {
        assertThat(StreamedPodEvents.streams(client)).isTrue();
        assertThat(StreamedPodEvents.streams(base)).isFalse();
    }
}
