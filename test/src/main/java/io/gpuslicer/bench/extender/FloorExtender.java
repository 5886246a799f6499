package io.gpuslicer.bench.extender;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.ledger.ExtenderClients;
import io.gpuslicer.extender.observe.FleetMetrics;
import io.gpuslicer.extender.observe.PlacementEvents;
import io.gpuslicer.policy.PolicyLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.gpuslicer.server.EventLoops;
import io.gpuslicer.server.Metrics;
import io.gpuslicer.server.RuntimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The floor under {@link SchedulerLoad}'s "extender CPU per scheduled pod" on this stack: an extender that decides
 * nothing, on the same JVM, Vert.x (and transport: {@link EventLoops}) and JSON library as gpu-slicer's, started in
 * its place by {@code ./bench extender.SchedulerLoad extender=floor}. Filter passes every node sent, prioritize scores
 * them all 0, bind POSTs the Binding (plain HTTP to the API server of the kubeconfig, on the request's event loop)
 * and answers when the API server has. No informer, no ledger, no Events, no TLS; its metrics are the JVM's. What it costs per pod
 * is what the three calls kube-scheduler makes and the one a bind verb must make cost here, whatever an extender
 * decides; the Go do-nothing extender (no bind verb) is the same idea on Go's stack.
 * <p>
 * With {@code --informers} ({@code extender=floor+informers}) it also carries what any extender that keeps a ledger
 * and explains its placements must: the extender's two API clients ({@link ExtenderClients}: the same streaming
 * watch-event reader and threads), informers on Nodes and Pods whose handlers do nothing, and the placement Events
 * gpu-slicer would write with the same options: with {@code --placement-events-for=all} one per pod seen going from
 * pending to bound, written by {@link PlacementEvents#record} with a fixed explanation; with the manifests'
 * {@code --placement-events-for=fallbacks} none, since the floor places no pod outside its preferred pool. It still
 * decides nothing and keeps no ledger: the difference to gpu-slicer is what deciding costs.
 * <p>
 * Arguments as {@link ExtenderProcess} passes them to {@code gpu-slicer extender} ({@code --port}, {@code --host},
 * {@code --kubeconfig}; the rest ignored).
 */
public final class FloorExtender {
    private static final JsonFactory JSON = new JsonFactory();
    /** Only the process and JVM series (for SchedulerLoad's allocation per pod), read outside its CPU window. */
    private static final PrometheusMeterRegistry METRICS = Metrics.newRegistry();

    private FloorExtender() {
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        String host = "127.0.0.1";
        Path kubeconfig = null;
        boolean informers = false;
        // As gpu-slicer's: an Event per placement (all), or only for fallbacks (none here: the floor places none).
        boolean eventPerPod = true;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--informers")) {
                informers = true;
                continue;
            }
            if (args[i].equals("--no-placement-events") || args[i].startsWith("--placement-events-for")) {
                String scope = args[i].startsWith("--placement-events-for=") ? args[i].substring(args[i].indexOf('=') + 1)
                        : args[i].equals("--placement-events-for") && i + 1 < args.length ? args[++i] : "none";
                eventPerPod = scope.equalsIgnoreCase("all");
                continue;
            }
            if (i + 1 >= args.length) {
                break;
            }
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--host" -> host = args[++i];
                case "--kubeconfig" -> kubeconfig = Path.of(args[++i]);
                default -> {
                }
            }
        }
        if (kubeconfig == null) {
            throw new IllegalArgumentException("--kubeconfig is required");
        }
        URI api = URI.create(Config.fromKubeconfig(null, Files.readString(kubeconfig), null).getMasterUrl());
        RuntimeMetrics.bind(METRICS);
        Vertx vertx = EventLoops.vertx(1); // as the extender runs it
        HttpClient client = vertx.createHttpClient();
        if (informers) {
            watch(ExtenderClients.connect(Config.fromKubeconfig(kubeconfig.toFile()), vertx), eventPerPod);
        }
        vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(request -> handle(request, client, api))
                .listen().toCompletionStage().toCompletableFuture().join();
        System.out.println("floor extender listening on " + host + ":" + port + ", API server " + api + ", " + EventLoops.transport(vertx)
                + (informers ? ", with informers" + (eventPerPod ? " and a placement Event per pod" : "") : ""));
    }

    /**
     * Informers that do nothing but see each binding, and, when {@code eventPerPod}, a placement Event per pod bound
     * (the extender's clients and writer).
     */
    private static void watch(ExtenderClients clients, boolean eventPerPod) {
        PlacementEvents events = new PlacementEvents(clients.informers(), Framework.DEFAULT,
                new FleetMetrics(new SimpleMeterRegistry(), PolicyLoader.defaultPolicy(), Clock.systemUTC()), "gpu-slicer-floor",
                Clock.systemUTC());
        clients.informers().nodes().runnableInformer(0).addEventHandler(new Ignore<Node>()).start().toCompletableFuture().join();
        var pods = clients.informers().pods().inAnyNamespace().runnableInformer(0);
        pods.addEventHandler(new Ignore<Pod>() {
            @Override
            public void onUpdate(Pod oldPod, Pod pod) {
                if (eventPerPod && oldPod.getSpec().getNodeName() == null && pod.getSpec().getNodeName() != null) {
                    events.record(pod, "placed on " + pod.getSpec().getNodeName() + " by an extender that decides nothing");
                }
            }
        });
        pods.start().toCompletableFuture().join();
    }

    private static class Ignore<T> implements ResourceEventHandler<T> {
        @Override
        public void onAdd(T obj) {
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        }
    }

    private static void handle(HttpServerRequest request, HttpClient client, URI api) {
        String path = request.path();
        if (path.endsWith("/readyz") || path.endsWith("/healthz")) {
            request.response().end("ok");
            return;
        }
        if (path.equals("/metrics")) {
            request.response().end(METRICS.scrape());
            return;
        }
        request.body().onSuccess(body -> {
            try {
                if (path.endsWith("/filter")) {
                    List<String> names = nodeNames(body.getBytes());
                    answer(request, json(g -> {
                        g.writeStartObject();
                        g.writeArrayFieldStart("NodeNames");
                        for (String n : names) {
                            g.writeString(n);
                        }
                        g.writeEndArray();
                        g.writeObjectFieldStart("FailedNodes");
                        g.writeEndObject();
                        g.writeStringField("Error", "");
                        g.writeEndObject();
                    }));
                } else if (path.endsWith("/prioritize")) {
                    List<String> names = nodeNames(body.getBytes());
                    answer(request, json(g -> {
                        g.writeStartArray();
                        for (String n : names) {
                            g.writeStartObject();
                            g.writeStringField("Host", n);
                            g.writeNumberField("Score", 0);
                            g.writeEndObject();
                        }
                        g.writeEndArray();
                    }));
                } else if (path.endsWith("/bind")) {
                    bind(request, client, api, body.getBytes());
                } else {
                    request.response().setStatusCode(404).end();
                }
            } catch (IOException | RuntimeException e) {
                request.response().setStatusCode(400).end(String.valueOf(e.getMessage()));
            }
        });
    }

    private static void bind(HttpServerRequest request, HttpClient client, URI api, byte[] args) throws IOException {
        String name = null;
        String namespace = null;
        String uid = null;
        String node = null;
        try (JsonParser p = JSON.createParser(args)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "PodName" -> name = p.getText();
                    case "PodNamespace" -> namespace = p.getText();
                    case "PodUID" -> uid = p.getText();
                    case "Node" -> node = p.getText();
                    default -> p.skipChildren();
                }
            }
        }
        String podName = name;
        String podUid = uid;
        String nodeName = node;
        Buffer binding = json(g -> {
            g.writeStartObject();
            g.writeStringField("apiVersion", "v1");
            g.writeStringField("kind", "Binding");
            g.writeObjectFieldStart("metadata");
            g.writeStringField("name", podName);
            g.writeStringField("uid", podUid);
            g.writeEndObject();
            g.writeObjectFieldStart("target");
            g.writeStringField("apiVersion", "v1");
            g.writeStringField("kind", "Node");
            g.writeStringField("name", nodeName);
            g.writeEndObject();
            g.writeEndObject();
        });
        client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(api.getHost()).setPort(api.getPort())
                        .setURI("/api/v1/namespaces/" + namespace + "/pods/" + name + "/binding")
                        .putHeader("Content-Type", "application/json"))
                .compose(r -> r.send(binding))
                .compose(HttpClientResponse::body)
                .onComplete(done -> {
                    String error = done.succeeded() ? "" : String.valueOf(done.cause().getMessage());
                    try {
                        answer(request, json(g -> {
                            g.writeStartObject();
                            g.writeStringField("Error", error);
                            g.writeEndObject();
                        }));
                    } catch (IOException e) {
                        request.response().setStatusCode(500).end();
                    }
                });
    }

    /** The request's NodeNames; the Pod and everything else skipped. */
    private static List<String> nodeNames(byte[] args) throws IOException {
        List<String> names = new ArrayList<>();
        try (JsonParser p = JSON.createParser(args)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (p.nextToken() == JsonToken.START_ARRAY && field.equals("NodeNames")) {
                    while (p.nextToken() == JsonToken.VALUE_STRING) {
                        names.add(p.getText());
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return names;
    }

    private static void answer(HttpServerRequest request, Buffer body) {
        request.response().putHeader("Content-Type", "application/json").end(body);
    }

    private interface Writing {
        void write(JsonGenerator g) throws IOException;
    }

    private static Buffer json(Writing writing) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writing.write(g);
        }
        return Buffer.buffer(out.toByteArray());
    }
}
