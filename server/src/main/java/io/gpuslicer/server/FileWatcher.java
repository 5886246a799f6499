package io.gpuslicer.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Polls files and calls back when their contents change. Polling by content digest, not
 * inotify: Kubernetes updates Secret and ConfigMap volumes by swapping a {@code ..data}
 * symlink, which file-event APIs report unreliably, and a digest ignores touch-only changes.
 * A set of files (certificate + key) is reported together, once all of them are readable.
 */
public final class FileWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);

    private final Vertx vertx;
    private final List<String> paths;
    private final Consumer<List<Buffer>> onChange;
    private volatile byte[] lastDigest;
    private long timerId = -1;

    /**
     * @param initial the contents already in use (their digest is the baseline), or null to report the first read
     */
    public FileWatcher(Vertx vertx, List<String> paths, List<Buffer> initial, Consumer<List<Buffer>> onChange) {
        this.vertx = vertx;
        this.paths = List.copyOf(paths);
        this.onChange = onChange;
        this.lastDigest = initial == null ? null : digest(initial);
    }

    public FileWatcher start(long intervalMillis) {
        timerId = vertx.setPeriodic(intervalMillis, id -> poll());
        return this;
    }

    /** One poll; public so tests can drive it without waiting for the timer. */
    public Future<Boolean> poll() {
        List<Future<Buffer>> reads = paths.stream().map(p -> vertx.fileSystem().readFile(p)).toList();
        return Future.all(reads).map(all -> {
            List<Buffer> contents = reads.stream().map(Future::result).toList();
            byte[] d = digest(contents);
            if (lastDigest != null && Arrays.equals(d, lastDigest)) {
                return false;
            }
            lastDigest = d;
            onChange.accept(contents);
            return true;
        }).otherwise(err -> {
            // A rotation in progress can leave a file missing for a moment: try again next poll.
            LOG.warn("cannot read {}: {}", paths, err.getMessage());
            return false;
        });
    }

    private static byte[] digest(List<Buffer> contents) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Buffer b : contents) {
                md.update(b.getBytes());
                md.update((byte) 0);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }
}
