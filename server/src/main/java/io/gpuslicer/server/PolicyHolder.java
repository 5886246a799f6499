package io.gpuslicer.server;

import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The policy in force. A new policy text is applied atomically when it is valid; when it is not,
 * the last good policy stays and the failure is logged and reported to the listeners (metrics,
 * Kubernetes events). Readers always see one whole policy.
 */
public final class PolicyHolder {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyHolder.class);

    private final AtomicReference<Policy> current;
    private final String source;
    private final List<Consumer<Policy>> onApplied = new CopyOnWriteArrayList<>();
    private final List<Consumer<PolicyLoader.Rejected>> onRejected = new CopyOnWriteArrayList<>();

    public PolicyHolder(Policy initial, String source) {
        this.current = new AtomicReference<>(initial);
        this.source = source;
    }

    public Policy current() {
        return current.get();
    }

    public void onApplied(Consumer<Policy> listener) {
        onApplied.add(listener);
    }

    public void onRejected(Consumer<PolicyLoader.Rejected> listener) {
        onRejected.add(listener);
    }

    /**
     * Re-reads the policy file every {@code intervalMillis} and offers it when its content changed.
     *
     * @param initialText the text the current policy was loaded from (the baseline), or null to offer the first read
     */
    public FileWatcher watch(Vertx vertx, String path, String initialText, long intervalMillis) {
        return new FileWatcher(vertx, List.of(path), initialText == null ? null : List.of(Buffer.buffer(initialText, "UTF-8")),
                contents -> offer(contents.get(0).toString(StandardCharsets.UTF_8))).start(intervalMillis);
    }

    /** Applies {@code text} if it is a valid policy; otherwise keeps the running one. Returns whether it was applied. */
    public boolean offer(String text) {
        PolicyLoader.Result result = PolicyLoader.parse(text);
        if (result instanceof PolicyLoader.Loaded loaded) {
            Policy previous = current.getAndSet(loaded.policy());
            if (!previous.version().equals(loaded.policy().version())) {
                LOG.info("policy {} applied from {} (was {})", loaded.policy().version(), source, previous.version());
            }
            onApplied.forEach(l -> l.accept(loaded.policy()));
            return true;
        }
        PolicyLoader.Rejected rejected = (PolicyLoader.Rejected) result;
        LOG.error("policy from {} rejected, keeping policy {}: {}", source, current.get().version(), rejected.summary());
        onRejected.forEach(l -> l.accept(rejected));
        return false;
    }
}
