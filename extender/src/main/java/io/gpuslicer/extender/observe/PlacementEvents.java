package io.gpuslicer.extender.observe;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.core.PodInfo;
import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.server.CoarseTimeouts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Normal Event on each GPU pod that got a node, saying where it went and why ({@link PlacementNote}),
 * written the way client-go's recorder writes Events: correlated ({@link EventCorrelator}: repeats bump
 * {@code count}, floods are aggregated and rate-limited), one write at a time in the order placements were seen,
 * and best effort (a failed write is logged and counted, never thrown). One entry point, {@link #placed}, for the
 * informer path and a bind verb alike.
 * <p>
 * No thread of its own: a write is chained behind the one before and sent with the client's asynchronous HTTP
 * client, so it is prepared on the thread that saw the placement (or that received the previous answer) and
 * nothing waits for the API server. A writer thread of its own cost about 0.1 ms of CPU per placed pod in wake-ups
 * (SchedulerLoad, 500 nodes), as much as writing the Event.
 * <p>
 * {@link Scope#FALLBACKS} writes Events only for pods that did not get their preferred pool: with the bind verb each
 * pod carries its pool as an annotation (the Binding's), so the Event of an ordinary placement repeats it and costs an
 * API write per pod (about a seventh of the extender's CPU per pod, docs/performance-log.md).
 */
public final class PlacementEvents implements PlacementListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PlacementEvents.class);
    public static final String REASON = "PlacedOnGpuPool";
    static final String TYPE = "Normal";
    /** The API server refuses longer Event messages. */
    static final int MAX_MESSAGE = 1024;
    /** Like client-go's broadcaster (a queue of 1000, events dropped when it is full): a slow API server costs Events, never memory. */
    static final int QUEUE = 1000;
    /** Longer than any API server answer should take; a write that gets none is counted failed and the next goes. */
    private static final long TIMEOUT_SECONDS = 30;

    /** Which placements get an Event. */
    public enum Scope {
        /** every GPU pod placed */
        ALL,
        /** pods placed outside their preferred pool, on a node the ledger does not know, or outside their pools */
        FALLBACKS
    }

    private final KubernetesClient client;
    private final Framework framework;
    private final Scope scope;
    private final EventCorrelator correlator;
    private final FleetMetrics metrics;
    private final String component;
    private final Clock clock;
    /** {@code <master>/api/v1/namespaces/}: Events are written with the client's HTTP client, not its model. */
    private final String apiRoot;
    /** Writes queued or in flight; above {@link #QUEUE} a placement gets no Event. */
    private final AtomicInteger queued = new AtomicInteger();
    /** The last write queued: the next starts when it is done, so a repeat sees the Event its first write named. */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    public PlacementEvents(KubernetesClient client, Framework framework, FleetMetrics metrics, String component, Clock clock) {
        this(client, framework, Scope.ALL, metrics, component, clock);
    }

    public PlacementEvents(KubernetesClient client, Framework framework, Scope scope, FleetMetrics metrics, String component,
                           Clock clock) {
        this.client = client;
        this.framework = framework;
        this.scope = scope;
        this.correlator = new EventCorrelator(clock);
        this.metrics = metrics;
        this.component = component;
        this.clock = clock;
        String master = client.getMasterUrl().toString();
        this.apiRoot = (master.endsWith("/") ? master.substring(0, master.length() - 1) : master) + "/api/v1/namespaces/";
    }

    @Override
    public void placed(Pod pod, String node, LedgerSnapshot snapshotBefore) {
        placed(pod, PodInfo.of(pod, snapshotBefore.policy()), node, snapshotBefore);
    }

    @Override
    public void placed(Pod pod, PodInfo info, String node, LedgerSnapshot snapshotBefore) {
        if (info.passThrough() || scope == Scope.FALLBACKS && onPreferredPool(info, node, snapshotBefore)) {
            return;
        }
        record(pod, PlacementNote.of(framework, info, node, snapshotBefore));
    }

    @Override
    public boolean wants(PodInfo info, int rank) {
        return !info.passThrough() && (scope == Scope.ALL || rank != 0);
    }

    private static boolean onPreferredPool(PodInfo info, String node, LedgerSnapshot snapshot) {
        NodeState state = snapshot.node(node);
        return state != null && info.rankOn(state.pools()) == 0;
    }

    /**
     * Queues the Normal placement Event on {@code pod} with {@code message} (truncated to what the API server takes):
     * what {@link #placed} does once it has the explanation. Also the benchmarks' floor's way of writing the same Event.
     */
    public void record(Pod pod, String explanation) {
        String message = truncate(explanation);
        var meta = pod.getMetadata();
        EventCorrelator.Key key = new EventCorrelator.Key(meta.getNamespace(), "Pod", meta.getName(), meta.getUid(), TYPE, REASON);
        if (queued.incrementAndGet() > QUEUE) {
            queued.decrementAndGet();
            metrics.event("skipped");
            return;
        }
        synchronized (this) {
            // Correlated when its turn comes, as client-go does in its broadcaster goroutine: a repeat queued behind
            // the first write sees that write's name and becomes a patch of it.
            tail = tail.thenCompose(done -> write(key, message)).handle((done, error) -> {
                queued.decrementAndGet();
                if (error != null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    metrics.event("failed");
                    LOG.warn("cannot record the placement of pod {}/{} as an Event: {}", key.namespace(), key.name(),
                            cause.getMessage() == null ? cause.toString() : cause.getMessage());
                }
                return null;
            });
        }
    }

    private CompletableFuture<Void> write(EventCorrelator.Key key, String message) {
        EventCorrelator.Action action = correlator.observe(key, message);
        if (action instanceof EventCorrelator.Skip) {
            metrics.event("skipped");
            return CompletableFuture.completedFuture(null);
        }
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        if (!(action instanceof EventCorrelator.Update u)) {
            return create(key, ((EventCorrelator.Create) action).message(), now);
        }
        // A merge patch of the Event the correlator remembers writing: no GET, no model, as client-go patches.
        StringBuilder patch = new StringBuilder(96 + u.message().length()).append("{\"count\":").append(u.count())
                .append(",\"lastTimestamp\":");
        quoted(patch, now).append(",\"message\":");
        quoted(patch, u.message()).append('}');
        return send(http().newHttpRequestBuilder().uri(eventsOf(key.namespace()) + "/" + u.eventName())
                .method("PATCH", "application/merge-patch+json", patch.toString())).thenCompose(answer -> {
            if (answer.isSuccessful()) {
                correlator.recorded(key, u.message(), u.eventName(), u.count());
                metrics.event("updated");
                return CompletableFuture.completedFuture(null);
            }
            if (answer.code() != 404) {
                throw new KubernetesClientException("patching Event " + u.eventName() + ": HTTP " + answer.code() + " " + answer.body());
            }
            // The Event expired (the API server keeps them about an hour): start a new one.
            correlator.forget(key, u.message());
            return create(key, u.message(), now);
        });
    }

    private CompletableFuture<Void> create(EventCorrelator.Key key, String message, String now) {
        // client-go names Events <object>.<hex nanoseconds>, unique per object without a server round trip.
        String name = key.name() + "." + Long.toHexString(clock.instant().toEpochMilli() * 1_000_000L + System.nanoTime() % 1_000_000L);
        // The Event as fabric8's model would write it, by hand: the model, builder and mapper cost more than the write.
        StringBuilder json = new StringBuilder(512 + message.length()).append("{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":");
        quoted(json, name).append(",\"namespace\":");
        quoted(json, key.namespace()).append("},\"involvedObject\":{\"apiVersion\":\"v1\",\"kind\":");
        quoted(json, key.kind()).append(",\"name\":");
        quoted(json, key.name()).append(",\"namespace\":");
        quoted(json, key.namespace());
        if (key.uid() != null) {
            quoted(json.append(",\"uid\":"), key.uid());
        }
        json.append("},\"type\":");
        quoted(json, key.type()).append(",\"reason\":");
        quoted(json, key.reason()).append(",\"message\":");
        quoted(json, message).append(",\"source\":{\"component\":");
        quoted(json, component).append("},\"reportingComponent\":");
        quoted(json, component).append(",\"firstTimestamp\":");
        quoted(json, now).append(",\"lastTimestamp\":");
        quoted(json, now).append(",\"count\":1}");
        return send(http().newHttpRequestBuilder().uri(eventsOf(key.namespace())).post("application/json", json.toString()))
                .thenApply(answer -> {
                    if (!answer.isSuccessful()) {
                        throw new KubernetesClientException("creating Event " + name + ": HTTP " + answer.code() + " " + answer.body());
                    }
                    correlator.recorded(key, message, name, 1);
                    metrics.event("created");
                    return null;
                });
    }

    private HttpClient http() {
        return client.getHttpClient();
    }

    private String eventsOf(String namespace) {
        return apiRoot + namespace + "/events";
    }

    private CompletableFuture<HttpResponse<String>> send(HttpRequest.Builder request) {
        return CoarseTimeouts.shared().within(http().sendAsync(request.build(), String.class), TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static StringBuilder quoted(StringBuilder json, String s) {
        json.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, json);
        return json.append('"');
    }

    private static String truncate(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...";
    }

    /** Waits briefly for queued Events. */
    @Override
    public void close() {
        CompletableFuture<Void> last;
        synchronized (this) {
            last = tail;
        }
        try {
            last.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.info("placement Events still queued at shutdown are dropped: {}", e.toString());
        }
    }
}
