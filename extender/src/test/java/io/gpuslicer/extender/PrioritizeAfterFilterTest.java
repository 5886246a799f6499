package io.gpuslicer.extender;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.core.ExtenderMetrics;
import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.ledger.SnapshotLedgerSource;
import io.gpuslicer.extender.wire.ExtenderArgs;
import io.gpuslicer.extender.wire.HostPriority;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.POLICY;
import static io.gpuslicer.extender.Fixtures.boundTo;
import static io.gpuslicer.extender.Fixtures.gpuPod;
import static io.gpuslicer.extender.Fixtures.sharedNodeObject;
import static io.gpuslicer.extender.Fixtures.sharers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Prioritize takes the node states filter found for the same pod, names and ledger snapshot: whatever came between
 * the two calls, it scores what a prioritize of its own scores.
 */
class PrioritizeAfterFilterTest {
    private static final List<String> NAMES = List.of("r-0", "r-1", "r-2", "r-3");
    private static final Pod POD = gpuPod("p", "research", 1);

    /** Four research nodes of 4 replicas per GPU, with 0, 2, 5 and 7 of 8 replicas in use: four contention scores. */
    private static SnapshotLedgerSource ledger() {
        SnapshotLedgerSource ledger = new SnapshotLedgerSource(POLICY);
        int[] used = {0, 2, 5, 7};
        for (int i = 0; i < NAMES.size(); i++) {
            ledger.addNode(sharedNodeObject(NAMES.get(i), "a100-research", 4));
            sharers(NAMES.get(i), "research", used[i]).forEach(ledger::addPod);
        }
        return ledger;
    }

    static Stream<Arguments> betweenFilterAndPrioritize() {
        return Stream.of(
                arguments("nothing happened", NAMES, nothing(), true),
                arguments("pods were bound on two of the nodes", NAMES, (BiConsumer<SnapshotLedgerSource, Extender>) (ledger, e) -> {
                    sharers("r-0", "training", 3).forEach(ledger::addPod);
                    ledger.addPod(boundTo(gpuPod("late", "research", 1), "r-2"));
                }, false),
                arguments("pods left one of the nodes", NAMES, (BiConsumer<SnapshotLedgerSource, Extender>) (ledger, e) ->
                        sharers("r-3", "research", 5).forEach(p -> ledger.removePod(p.getMetadata().getUid())), false),
                arguments("another pod was filtered", NAMES, (BiConsumer<SnapshotLedgerSource, Extender>) (ledger, e) ->
                        e.filter(ExtenderArgs.ofNames(gpuPod("other", "development", 1), NAMES)), true),
                arguments("nothing happened, and prioritize is sent fewer names", List.of("r-3", "r-1"), nothing(), true),
                arguments("nothing happened, and prioritize is sent the names in another order", List.of("r-2", "r-0", "r-3", "r-1"), nothing(), true));
    }

    private static BiConsumer<SnapshotLedgerSource, Extender> nothing() {
        return (ledger, e) -> {
        };
    }

    @ParameterizedTest(name = "after a filter, when {0}, prioritize scores what a prioritize of its own scores")
    @MethodSource
    void betweenFilterAndPrioritize(String sentence, List<String> prioritized, BiConsumer<SnapshotLedgerSource, Extender> between,
                                    boolean sameScores) {
        SnapshotLedgerSource ledger = ledger();
        Extender afterFilter = new Extender(ledger, Framework.DEFAULT, ExtenderMetrics.NOOP);
        assertThat(afterFilter.filter(ExtenderArgs.ofNames(POD, NAMES)).nodeNames()).isEqualTo(NAMES);
        List<HostPriority> before = new Extender(ledger, Framework.DEFAULT, ExtenderMetrics.NOOP)
                .prioritize(ExtenderArgs.ofNames(POD, prioritized));

        between.accept(ledger, afterFilter);
        List<HostPriority> scored = afterFilter.prioritize(ExtenderArgs.ofNames(POD, prioritized));

        assertThat(scored).isEqualTo(new Extender(ledger, Framework.DEFAULT, ExtenderMetrics.NOOP)
                .prioritize(ExtenderArgs.ofNames(POD, prioritized)));
        assertThat(scored.equals(before)).as("the ledger's change changes the scores, or this row shows nothing").isEqualTo(sameScores);
        assertThat(scored.stream().map(HostPriority::score).distinct().count()).as("the nodes score apart").isGreaterThan(1);
    }
}
