package io.gpuslicer.bench.extender;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD mock API server plus the {@code pods/{name}/binding} subresource, which it does not
 * serve: a Binding sets the pod's {@code spec.nodeName} (a merge patch on the stored pod), as the real
 * API server's BindingREST does; a pod already bound answers 409 like the real one. Its store is indexed by name
 * ({@link NameIndexedStore}), so that a create, patch or Binding costs the same with 5,000 objects stored as with 5.
 */
public final class BindingCrudDispatcher extends KubernetesCrudDispatcher implements AutoCloseable {
    private static final Pattern BINDING = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/binding");
    private static final Pattern EVENTS = Pattern.compile("/api/v1/namespaces/[^/]+/events(/[^/]+)?");
    private static final Pattern POD = Pattern.compile("/api/v1/namespaces/[^/]+/pods/[^/]+");
    /** When a kubelet's status updates follow a binding, ms after it: containers being created, then running. */
    private static final long[] KUBELET_AFTER_MILLIS = {20, 250, 1_000};
    /** Bindings the mock accepted (tests count the API calls a bind made). */
    public final AtomicInteger bindings = new AtomicInteger();
    /** How long the mock takes to answer a Binding (a slow API server); 0 by default. */
    public volatile long bindingDelayMillis;
    /** Events the mock answered without storing them. */
    public final AtomicInteger events = new AtomicInteger();
    private final boolean storeEvents;
    private final NameIndexedStore store = NameIndexedStore.install(this);
    /**
     * Status updates a kubelet writes for each pod bound ({@link KubeletStatus}; at most 3, the third a running pod's
     * again): each a watch event more for the extender's informers, as in a cluster. 0 by default, as issue 9 defines
     * the load (the pod created, then bound).
     */
    public volatile int kubeletUpdates;
    private final AtomicInteger kubeletPatches = new AtomicInteger();
    private ScheduledExecutorService kubelet;
    private final String[] kubeletPatch = new String[KUBELET_AFTER_MILLIS.length];

    /** Stores Events like any object (tests read them back). */
    public BindingCrudDispatcher() {
        this(true);
    }

    /**
     * @param storeEvents false: Events are accepted (201, 200 for a patch) and forgotten. fabric8's CRUD mock scans
     *                    every stored object per request, so thousands of placement Events would slow every later
     *                    request of a benchmark; nothing in one reads Events back.
     */
    public BindingCrudDispatcher(boolean storeEvents) {
        this.storeEvents = storeEvents;
    }

    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
        return NameIndexedStore.named(attributes) ? store.find(attributes) : super.findResource(attributes);
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        String path = request.getPath().split("\\?")[0];
        if (!storeEvents && EVENTS.matcher(path).matches()) {
            events.incrementAndGet();
            return new MockResponse().setResponseCode(200).setBody(request.getUtf8Body());
        }
        MockResponse patched = super.handlePatch(request);
        // kube-scheduler's own binder in the benchmark (bind=spec) sets spec.nodeName with a patch.
        if (patched.code() / 100 == 2 && POD.matcher(path).matches() && request.getUtf8Body().contains("\"nodeName\"")) {
            bound(path);
        }
        return patched;
    }

    /** Stops the kubelets' thread (updates not yet written are dropped). */
    public synchronized void close() {
        if (kubelet != null) {
            kubelet.shutdownNow();
        }
    }

    /** Status patches the kubelets wrote ({@link #kubeletUpdates}); a pod deleted first gets none. */
    public int kubeletPatches() {
        return kubeletPatches.get();
    }

    /** The pod at {@code podPath} was bound: its kubelet's status updates follow, on a thread of their own. */
    private synchronized void bound(String podPath) {
        int updates = Math.min(kubeletUpdates, KUBELET_AFTER_MILLIS.length);
        if (updates == 0) {
            return;
        }
        if (kubelet == null) {
            kubelet = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bench-kubelet");
                t.setDaemon(true);
                return t;
            });
        }
        for (int step = 1; step <= updates; step++) {
            int s = step;
            kubelet.schedule(() -> status(podPath, s), KUBELET_AFTER_MILLIS[step - 1], TimeUnit.MILLISECONDS);
        }
    }

    private void status(String podPath, int step) {
        Map.Entry<AttributeSet, String> current = findResource(getKey(podPath));
        if (current == null) {
            return;
        }
        // Every pod of a benchmark has the same containers and managed fields (one template): each step's patch is
        // made once, so that the benchmark's core spends its time on the mock's patch and watch events, not on making it.
        String patch = kubeletPatch[step - 1];
        if (patch == null) {
            patch = kubeletPatch[step - 1] = KubeletStatus.patch(current.getValue(), step);
        }
        if (patchInPlace(podPath, "application/json-patch+json", patch).code() / 100 == 2) {
            kubeletPatches.incrementAndGet();
        }
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        String path = request.getPath().split("\\?")[0];
        if (!storeEvents && EVENTS.matcher(path).matches()) {
            events.incrementAndGet();
            return new MockResponse().setResponseCode(201).setBody(request.getUtf8Body());
        }
        Matcher m = BINDING.matcher(path);
        if (!m.matches()) {
            return super.handleCreate(request);
        }
        if (bindingDelayMillis > 0) {
            try {
                Thread.sleep(bindingDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Binding binding = Serialization.unmarshal(request.getUtf8Body(), Binding.class);
        String podPath = "/api/v1/namespaces/" + m.group(1) + "/pods/" + m.group(2);
        Map.Entry<AttributeSet, String> current = findResource(getKey(podPath));
        if (current == null) {
            return new MockResponse().setResponseCode(404).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                    + "\"message\":\"pods \\\"" + m.group(2) + "\\\" not found\",\"reason\":\"NotFound\",\"code\":404}");
        }
        if (current.getValue().contains("\"nodeName\"")) {
            return new MockResponse().setResponseCode(409).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                    + "\"message\":\"pod " + m.group(2) + " is already assigned to a node\",\"reason\":\"Conflict\",\"code\":409}");
        }
        // The Binding's annotations go onto the pod with its node, as BindingREST's setPodHostAndAnnotations does.
        Map<String, Object> patchTree = new LinkedHashMap<>();
        Map<String, String> annotations = binding.getMetadata() == null ? null : binding.getMetadata().getAnnotations();
        if (annotations != null && !annotations.isEmpty()) {
            patchTree.put("metadata", Map.of("annotations", annotations));
        }
        patchTree.put("spec", Map.of("nodeName", binding.getTarget().getName()));
        String patch = Serialization.asJson(patchTree);
        MockResponse patched = patchInPlace(podPath, "application/merge-patch+json", patch);
        if (patched.code() / 100 == 2) {
            bindings.incrementAndGet();
            bound(podPath);
            return new MockResponse().setResponseCode(201).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Success\",\"code\":201}");
        }
        return patched;
    }

    /** A patch of the stored object at {@code path}, applied here as the mock applies a client's (no HTTP, no Event check). */
    private MockResponse patchInPlace(String path, String contentType, String patch) {
        return super.handlePatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, path,
                Headers.builder().add("Content-Type", contentType).build(), new Buffer(patch.getBytes(StandardCharsets.UTF_8))));
    }
}
