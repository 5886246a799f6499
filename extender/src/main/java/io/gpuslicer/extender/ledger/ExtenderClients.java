package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.gpuslicer.server.EventLoops;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The extender's two API clients, each on the threads that suit its traffic (what kept each scheduled pod to 8–9
 * context switches in SchedulerLoad instead of 26–33):
 * <ul>
 *   <li>{@link #api()}: Bindings, pod patches and policy Events, on the server's own Vert.x. The bind
 *       verb sends its Binding from the request's event loop and gets the answer there, instead of handing it to
 *       fabric8's event loops and back. Nothing may block on this client from an event loop of that Vert.x (nothing
 *       does: the bind verb is asynchronous, the rest runs on threads of its own).</li>
 *   <li>{@link #informers()}: the ledger's informers, with the streaming watch-event reader ({@link StreamedPodEvents})
 *       on a Vert.x of their own ({@link EventLoops#clientVertx()}), and their events handled on the thread that read
 *       them (a direct task executor: no pool thread woken per watch event). A list of all pods after a restart or an
 *       expired watch is therefore read on that Vert.x, never on an event loop serving kube-scheduler; the handlers
 *       (ledger, fleet metrics, placement Events, requeue nudges) never block. Placement Events are written with this
 *       client, from the handler that saw the placement.</li>
 * </ul>
 */
public final class ExtenderClients implements AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final KubernetesClient api;
    private final KubernetesClient informers;
    private final Vertx informersVertx;

    private ExtenderClients(KubernetesClient api, KubernetesClient informers, Vertx informersVertx) {
        this.api = api;
        this.informers = informers;
        this.informersVertx = informersVertx;
    }

    /** Both clients for {@code config}; {@code serverVertx} (the extender server's) carries the API client. */
    public static ExtenderClients connect(Config config, Vertx serverVertx) {
        KubernetesClient api = new KubernetesClientBuilder().withConfig(config)
                .withHttpClientFactory(new VertxHttpClientFactory(serverVertx)).build();
        Vertx informersVertx = EventLoops.clientVertx();
        KubernetesClient informers = StreamedPodEvents.builder().withConfig(config).withTaskExecutor(Runnable::run)
                .withHttpClientFactory(new VertxHttpClientFactory(informersVertx)).build();
        return new ExtenderClients(api, informers, informersVertx);
    }

    /** Bindings, patches and policy Events, on the server's Vert.x. */
    public KubernetesClient api() {
        return api;
    }

    /** The ledger's informers, and the placement Events. */
    public KubernetesClient informers() {
        return informers;
    }

    /** Closes both clients and the informers' Vert.x; the server's Vert.x is its owner's to stop, after this. */
    @Override
    public void close() {
        informers.close();
        api.close();
        try {
            informersVertx.close().toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Its threads are daemons: an event loop that does not stop in time does not keep the JVM up.
        }
    }
}
