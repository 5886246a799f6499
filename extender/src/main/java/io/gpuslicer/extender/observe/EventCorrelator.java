package io.gpuslicer.extender.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What client-go's event recorder does before it writes an Event (k8s.io/client-go/tools/record/events_cache.go,
 * {@code EventCorrelator.EventCorrelate}), in the same three steps and with the same defaults:
 * <ol>
 *   <li><b>aggregate</b>: more than {@value #AGGREGATE_MAX_EVENTS} distinct messages for one
 *       (object, type, reason) within {@value #AGGREGATE_INTERVAL_SECONDS} s become one Event whose message is
 *       prefixed {@code (combined from similar events): } ({@code EventAggregator});</li>
 *   <li><b>deduplicate</b>: an Event already written with the same key is not written again: its {@code count}
 *       goes up and {@code lastTimestamp} moves ({@code eventLogger.eventObserve}, a patch);</li>
 *   <li><b>rate-limit</b>: a token bucket per (source, object), burst {@value #SPAM_BURST}, refilled one
 *       token per {@value #SPAM_REFILL_SECONDS} s; an Event without a token is dropped ({@code EventSourceObjectSpamFilter}).</li>
 * </ol>
 * Caches are LRUs of {@value #CACHE_ENTRIES} entries, as {@code maxLruCacheEntries}. Thread-safe; pure apart from the clock.
 */
public final class EventCorrelator {
    static final int CACHE_ENTRIES = 4096;
    static final int AGGREGATE_MAX_EVENTS = 10;
    static final long AGGREGATE_INTERVAL_SECONDS = 600;
    static final int SPAM_BURST = 25;
    static final long SPAM_REFILL_SECONDS = 300;
    static final String COMBINED_PREFIX = "(combined from similar events): ";

    /** The object an Event is about, and the Event's type and reason: the aggregation key (the message is not part of it). */
    public record Key(String namespace, String kind, String name, String uid, String type, String reason) {
    }

    /** What to write. */
    public sealed interface Action {
    }

    /** A new Event object with count 1. */
    public record Create(String message) implements Action {
    }

    /** Patch the Event {@code eventName}: count, lastTimestamp and message. */
    public record Update(String eventName, String message, int count) implements Action {
    }

    /** Rate-limited: write nothing. */
    public record Skip() implements Action {
    }

    private record Aggregate(Set<String> messages, Instant last) {
    }

    private record Written(String eventName, int count) {
    }

    private record Bucket(double tokens, Instant last) {
    }

    private final Clock clock;
    private final Map<Key, Aggregate> aggregates = lru();
    private final Map<String, Written> written = lru();
    private final Map<Key, Bucket> buckets = lru();

    public EventCorrelator(Clock clock) {
        this.clock = clock;
    }

    public synchronized Action observe(Key key, String message) {
        Instant now = clock.instant();
        String effective = aggregate(key, message, now);
        Key spamKey = new Key(key.namespace(), key.kind(), key.name(), key.uid(), null, null);
        if (!takeToken(spamKey, now)) {
            return new Skip();
        }
        Written w = written.get(dedupKey(key, effective));
        return w == null ? new Create(effective) : new Update(w.eventName(), effective, w.count() + 1);
    }

    /** After a successful write: remember the Event's name and count, so a repeat becomes a patch of it. */
    public synchronized void recorded(Key key, String message, String eventName, int count) {
        written.put(dedupKey(key, message), new Written(eventName, count));
    }

    /** The Event vanished (TTL, deleted): the next repeat creates a new one. */
    public synchronized void forget(Key key, String message) {
        written.remove(dedupKey(key, message));
    }

    private String aggregate(Key key, String message, Instant now) {
        Aggregate a = aggregates.get(key);
        if (a == null || Duration.between(a.last(), now).getSeconds() > AGGREGATE_INTERVAL_SECONDS) {
            a = new Aggregate(new HashSet<>(), now);
        }
        a.messages().add(message);
        aggregates.put(key, new Aggregate(a.messages(), now));
        return a.messages().size() < AGGREGATE_MAX_EVENTS ? message : COMBINED_PREFIX + message;
    }

    /** The full message for ordinary events; the aggregate (key only) for combined ones, as client-go keys them. */
    private static String dedupKey(Key key, String message) {
        String m = message.startsWith(COMBINED_PREFIX) ? COMBINED_PREFIX : message;
        return key + "\u0000" + m;
    }

    private boolean takeToken(Key key, Instant now) {
        Bucket b = buckets.get(key);
        double tokens = b == null ? SPAM_BURST
                : Math.min(SPAM_BURST, b.tokens() + Duration.between(b.last(), now).toMillis() / (SPAM_REFILL_SECONDS * 1000.0));
        if (tokens < 1) {
            buckets.put(key, new Bucket(tokens, now));
            return false;
        }
        buckets.put(key, new Bucket(tokens - 1, now));
        return true;
    }

    private static <K, V> Map<K, V> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > CACHE_ENTRIES;
            }
        };
    }
}
