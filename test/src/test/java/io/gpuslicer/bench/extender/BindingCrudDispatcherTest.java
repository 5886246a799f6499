package io.gpuslicer.bench.extender;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's mock API server finds objects by name through its index ({@link NameIndexedStore}) and must answer
 * every request as fabric8's own CRUD mock, which scans: the same script runs against both and their answers and
 * stores are compared step by step; and the pods/binding subresource it adds answers as the real API server does.
 */
class BindingCrudDispatcherTest {
    private final List<KubernetesMockServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(KubernetesMockServer::destroy);
    }

    @Test
    void theIndexedMockAnswersEveryStepOfAScriptAsFabric8sScanningMockDoes() {
        KubernetesClient scanning = start(new KubernetesCrudDispatcher());
        KubernetesClient indexed = start(new BindingCrudDispatcher());
        List<Function<KubernetesClient, String>> script = List.of(
                c -> create(c, "a", "web"),
                c -> create(c, "b", "web"), // the same name in another namespace
                c -> create(c, "a", "web"), // already exists: 409
                c -> get(c, "a", "web"),
                c -> get(c, "b", "web"),
                c -> get(c, "a", "absent"),
                c -> c.nodes().resource(new NodeBuilder().withNewMetadata().withName("web").endMetadata().build()).create()
                        .getMetadata().getName(), // a node of the same name as the pods
                c -> c.pods().inNamespace("a").withName("web").edit(p -> new PodBuilder(p).editMetadata()
                        .addToLabels("patched", "yes").endMetadata().build()).getMetadata().getLabels().toString(),
                c -> get(c, "a", "web"),
                c -> String.valueOf(c.pods().inNamespace("a").withName("web").delete().size()),
                c -> get(c, "a", "web"),
                c -> create(c, "a", "web"), // created again after its deletion
                c -> get(c, "a", "web"),
                c -> String.valueOf(c.pods().inNamespace("b").delete().size()), // a collection
                c -> get(c, "b", "web"),
                c -> names(c));
        for (int step = 0; step < script.size(); step++) {
            assertThat(answer(script.get(step), indexed)).as("step %d", step).isEqualTo(answer(script.get(step), scanning));
            assertThat(names(indexed)).as("store after step %d", step).isEqualTo(names(scanning));
        }
    }

    @Test
    void aBindingSetsThePodsNodeAndASecondIsAConflictAsInTheRealApiServer() throws Exception {
        BindingCrudDispatcher dispatcher = new BindingCrudDispatcher();
        KubernetesClient client = start(dispatcher);
        create(client, "a", "web");

        assertThat(bind(client, "web", "node-1")).isEqualTo(201);
        assertThat(client.pods().inNamespace("a").withName("web").get().getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(dispatcher.bindings.get()).isEqualTo(1);

        assertThat(bind(client, "web", "node-2")).as("already bound").isEqualTo(409);
        assertThat(bind(client, "absent", "node-2")).as("no such pod").isEqualTo(404);
        assertThat(client.pods().inNamespace("a").withName("web").get().getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(dispatcher.bindings.get()).isEqualTo(1);
    }

    @Test
    void aBindingsAnnotationsGoOntoThePodBesideTheOnesItHadAsInTheRealApiServer() throws Exception {
        KubernetesClient client = start(new BindingCrudDispatcher());
        Pod pod = new PodBuilder().withNewMetadata().withName("train").withNamespace("a").addToAnnotations("kept", "yes").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build();
        client.pods().inNamespace("a").resource(pod).create();

        assertThat(bind(client, "train", "node-1", Map.of("gpuslicer.io/pool", "a100-research"))).isEqualTo(201);

        Pod bound = client.pods().inNamespace("a").withName("train").get();
        assertThat(bound.getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(bound.getMetadata().getAnnotations()).containsEntry("gpuslicer.io/pool", "a100-research").containsEntry("kept", "yes");
    }

    @Test
    void aBoundPodGetsItsKubeletsStatusUpdatesAsWatchEventsOnlyWhenAsked() throws Exception {
        BindingCrudDispatcher dispatcher = new BindingCrudDispatcher();
        dispatcher.kubeletUpdates = 2;
        KubernetesClient client = start(dispatcher);
        create(client, "a", "web");
        create(client, "a", "idle");
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var watch = client.pods().inNamespace("a").withName("web").watch(new io.fabric8.kubernetes.client.Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                seen.add(action + " " + (pod.getStatus() == null ? null : pod.getStatus().getPhase()));
            }

            @Override
            public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
            }
        })) {
            assertThat(bind(client, "web", "node-1")).isEqualTo(201);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (dispatcher.kubeletPatches() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(200);
        }

        Pod running = client.pods().inNamespace("a").withName("web").get();
        assertThat(dispatcher.kubeletPatches()).isEqualTo(2);
        assertThat(running.getStatus().getPhase()).isEqualTo("Running");
        assertThat(running.getStatus().getContainerStatuses()).as("replaced, not piled up").singleElement()
                .satisfies(c -> assertThat(c.getState().getRunning()).isNotNull());
        assertThat(running.getStatus().getConditions()).hasSize(5).allSatisfy(c -> assertThat(c.getStatus()).isEqualTo("True"));
        assertThat(running.getMetadata().getManagedFields()).extracting(m -> m.getManager()).containsExactly("kubelet");
        assertThat(seen).as("the pod as it was, the binding, then the kubelet's two updates")
                .containsExactly("ADDED null", "MODIFIED null", "MODIFIED Pending", "MODIFIED Running");
        assertThat(client.pods().inNamespace("a").withName("idle").get().getStatus()).as("a pod never bound").isNull();
        dispatcher.close();
    }

    private KubernetesClient start(KubernetesCrudDispatcher dispatcher) {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        servers.add(server);
        return server.createClient();
    }

    private static String answer(Function<KubernetesClient, String> step, KubernetesClient client) {
        try {
            return step.apply(client);
        } catch (KubernetesClientException e) {
            return "HTTP " + e.getCode();
        }
    }

    private static String create(KubernetesClient client, String namespace, String name) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build();
        return client.pods().inNamespace(namespace).resource(pod).create().getMetadata().getName();
    }

    private static String get(KubernetesClient client, String namespace, String name) {
        Pod pod = client.pods().inNamespace(namespace).withName(name).get();
        return pod == null ? "none" : pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName() + " "
                + pod.getMetadata().getLabels();
    }

    private static String names(KubernetesClient client) {
        return client.pods().inAnyNamespace().list().getItems().stream()
                .map(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName() + " " + p.getMetadata().getLabels())
                .sorted().toList() + " nodes " + client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).toList();
    }

    /** POSTs a Binding to {@code pods/NAME/binding} in namespace a, as kube-scheduler's binder does; its HTTP status. */
    private static int bind(KubernetesClient client, String pod, String node) throws Exception {
        return bind(client, pod, node, null);
    }

    private static int bind(KubernetesClient client, String pod, String node, Map<String, String> annotations) throws Exception {
        Binding binding = new BindingBuilder().withNewMetadata().withName(pod).withAnnotations(annotations).endMetadata()
                .withNewTarget().withKind("Node").withName(node).endTarget().build();
        HttpClient http = client.getHttpClient();
        HttpRequest request = http.newHttpRequestBuilder()
                .uri(client.getMasterUrl() + "api/v1/namespaces/a/pods/" + pod + "/binding")
                .post("application/json", Serialization.asJson(binding)).build();
        return http.sendAsync(request, String.class).get(30, TimeUnit.SECONDS).code();
    }
}
