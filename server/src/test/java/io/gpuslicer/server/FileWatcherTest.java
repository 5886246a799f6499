package io.gpuslicer.server;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class FileWatcherTest {
    @TempDir
    Path dir;
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private boolean poll(FileWatcher w) throws Exception {
        return w.poll().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void reportsAContentChangeOnceAndIgnoresATouch() throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "a");
        List<String> seen = new CopyOnWriteArrayList<>();
        FileWatcher w = new FileWatcher(vertx, List.of(file.toString()), List.of(Buffer.buffer("a")),
                contents -> seen.add(contents.get(0).toString()));

        assertThat(poll(w)).isFalse();
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertThat(poll(w)).isFalse();
        Files.writeString(file, "b");
        assertThat(poll(w)).isTrue();
        assertThat(poll(w)).isFalse();

        assertThat(seen).containsExactly("b");
    }

    @Test
    void followsAKubernetesStyleSymlinkSwap() throws Exception {
        // Secret and ConfigMap volumes: file -> ..data/file, and ..data is re-pointed at a new directory.
        Path v1 = Files.createDirectory(dir.resolve("..v1"));
        Path v2 = Files.createDirectory(dir.resolve("..v2"));
        Files.writeString(v1.resolve("tls.crt"), "one");
        Files.writeString(v2.resolve("tls.crt"), "two");
        Path data = dir.resolve("..data");
        Files.createSymbolicLink(data, v1.getFileName());
        Path file = dir.resolve("tls.crt");
        Files.createSymbolicLink(file, Path.of("..data/tls.crt"));
        List<String> seen = new CopyOnWriteArrayList<>();
        FileWatcher w = new FileWatcher(vertx, List.of(file.toString()), null, c -> seen.add(c.get(0).toString()));
        poll(w);

        Path tmp = dir.resolve("..data_tmp");
        Files.createSymbolicLink(tmp, v2.getFileName());
        Files.move(tmp, data, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        poll(w);

        assertThat(seen).containsExactly("one", "two");
    }

    @Test
    void aMissingFileIsRetriedNotReported() throws Exception {
        List<List<Buffer>> seen = new CopyOnWriteArrayList<>();
        FileWatcher w = new FileWatcher(vertx, List.of(dir.resolve("absent").toString()), null, seen::add);

        assertThat(poll(w)).isFalse();
        assertThat(seen).isEmpty();
    }
}
