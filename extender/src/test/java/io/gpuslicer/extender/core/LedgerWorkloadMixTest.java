package io.gpuslicer.extender.core;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.ledger.LedgerStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class LedgerWorkloadMixTest {

    private static Pod bound(String name, String share) {
        return boundTo(SharesAndFragmentationTest.sharePod(name, share), "n");
    }

    @Test
    void theMixIsTheShapesOfTheTimeSlicedPodsTheLedgerHoldsRelearnedAtMostOncePerRefresh() {
        LedgerStore store = new LedgerStore(POLICY);
        store.upsertNode(sharedNodeObject("n", "a100-research", 10));
        store.upsertPod(bound("a", "0.5"));
        store.upsertPod(bound("b", "0.5"));
        store.upsertPod(bound("c", "0.25"));
        store.upsertPod(boundTo(migPod("m", "production-inference", "3g.40gb"), "n"));
        AtomicLong now = new AtomicLong(0);
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        LedgerWorkloadMix learned = new LedgerWorkloadMix(store::snapshot, clock, 10_000);

        WorkloadMix mix = learned.get();
        assertThat(mix.size()).isEqualTo(2);
        assertThat(mix.shape(0).shareMilli()).isEqualTo(500);
        assertThat(mix.weight(0)).isCloseTo(2 / 3.0, org.assertj.core.data.Offset.offset(1e-9));

        store.upsertPod(bound("d", "1"));
        store.upsertPod(bound("e", "1"));
        store.upsertPod(bound("f", "1"));
        now.set(5_000);
        assertThat(learned.get()).isSameAs(mix);
        now.set(10_000);
        WorkloadMix relearned = learned.get();
        assertThat(relearned.shape(0).shareMilli()).isEqualTo(1000);

        // Three more pods in the same proportions: a new snapshot, the same mix, the same instance (what scores are
        // remembered under).
        store.upsertPod(bound("g", "0.5"));
        store.upsertPod(bound("h", "0.25"));
        store.upsertPod(bound("i", "1"));
        store.upsertPod(bound("j", "1"));
        store.upsertPod(bound("k", "1"));
        store.upsertPod(bound("l", "0.5"));
        now.set(20_000);
        assertThat(learned.get()).isSameAs(relearned);

        store.upsertPod(bound("m2", "0.25"));
        now.set(30_000);
        assertThat(learned.get()).as("a mix whose weights moved is a new one").isNotSameAs(relearned);
    }

    @Test
    void theLearnedMixRemembersABoundedNumberOfFragmentations() {
        LedgerStore store = new LedgerStore(POLICY);
        store.upsertNode(sharedNodeObject("n", "a100-research", 10));
        store.upsertPod(bound("a", "0.5"));
        WorkloadMix mix = LedgerWorkloadMix.of(store.snapshot());
        for (int i = 0; i < LedgerWorkloadMix.MEMO_LIMIT + 5_000; i++) {
            mix.fragmentation(new FragState(64_000 - i, 256 * 1024, null, 100, new int[]{1000, 250}));
        }
        assertThat(mix.memoSize()).isPositive().isLessThanOrEqualTo(LedgerWorkloadMix.MEMO_LIMIT);
    }
}
