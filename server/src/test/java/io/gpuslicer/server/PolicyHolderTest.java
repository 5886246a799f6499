package io.gpuslicer.server;

import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.PolicyLoader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyHolderTest {
    private final Policy initial = PolicyLoader.defaultPolicy();
    private final PolicyHolder holder = new PolicyHolder(initial, "test");

    @Test
    void aValidPolicyIsAppliedWhole() {
        List<Policy> applied = new ArrayList<>();
        holder.onApplied(applied::add);

        boolean ok = holder.offer(PolicyLoader.defaultPolicyText().replace("maxSharersPerGpu: 4", "maxSharersPerGpu: 2"));

        assertThat(ok).isTrue();
        assertThat(holder.current().contention().maxSharersPerGpu()).isEqualTo(2);
        assertThat(applied).containsExactly(holder.current());
    }

    @Test
    void anInvalidPolicyIsRefusedAndTheLastGoodOneStays() {
        List<PolicyLoader.Rejected> rejected = new ArrayList<>();
        holder.onRejected(rejected::add);

        boolean ok = holder.offer(PolicyLoader.defaultPolicyText()
                .replace("maxSharersPerGpu: 4", "maxSharersPerGpu: 2")   // a valid change ...
                .replace("migProfile: 3g.40gb", "migProfile: 3g.41gb")); // ... next to an invalid one: nothing applies

        assertThat(ok).isFalse();
        assertThat(holder.current()).isSameAs(initial);
        assertThat(rejected).singleElement().satisfies(r -> assertThat(r.summary()).contains("3g.41gb"));
    }

    @Test
    void theWatchedFileIsOfferedWhenItsContentChanges(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("policy.yaml"), PolicyLoader.defaultPolicyText());
            FileWatcher watcher = holder.watch(vertx, file.toString(), PolicyLoader.defaultPolicyText(), 3_600_000);

            assertThat(watcher.poll().toCompletionStage().toCompletableFuture().get()).as("unchanged file").isFalse();
            java.nio.file.Files.writeString(file, PolicyLoader.defaultPolicyText().replace("maxSharersPerGpu: 4", "maxSharersPerGpu: 3"));
            assertThat(watcher.poll().toCompletionStage().toCompletableFuture().get()).isTrue();

            assertThat(holder.current().contention().maxSharersPerGpu()).isEqualTo(3);
            watcher.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
