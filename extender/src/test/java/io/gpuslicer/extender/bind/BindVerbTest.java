package io.gpuslicer.extender.bind;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.Extender;
import io.gpuslicer.extender.core.ExtenderMetrics;
import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.ledger.LedgerSnapshot;
import io.gpuslicer.extender.ledger.LedgerSource;
import io.gpuslicer.extender.ledger.LedgerStore;
import io.gpuslicer.extender.ledger.SnapshotLedgerSource;
import io.gpuslicer.extender.wire.ExtenderBindingArgs;
import io.gpuslicer.extender.wire.ExtenderBindingResult;
import io.gpuslicer.extender.wire.ExtenderArgs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The bind verb: re-check against ledger + reservations, reserve, bind; an API failure forgets the
 * reservation. Node "n": 2 GPUs x 3 replicas with {@code used} replicas bound; pod "p" (1 replica) pending.
 */
class BindVerbTest {

    /** A snapshot source whose binder is replaced (an API server that refuses, or one that never confirms). */
    static final class Source implements LedgerSource {
        final SnapshotLedgerSource inner = new SnapshotLedgerSource(POLICY);
        volatile Binder binder;
        /** False: the pod informer has not delivered any pod yet (kube-scheduler binds right after it decided). */
        volatile boolean informed = true;

        Source(Binder binder) {
            this.binder = binder;
        }

        @Override
        public LedgerSnapshot snapshot() {
            return inner.snapshot();
        }

        @Override
        public String notReadyReason() {
            return null;
        }

        @Override
        public LedgerStore store() {
            return inner.store();
        }

        @Override
        public Pod pod(String namespace, String name) {
            return informed ? inner.pod(namespace, name) : null;
        }

        @Override
        public Binder binder() {
            return binder == null ? inner.binder() : binder;
        }
    }

    static Stream<Arguments> bind() {
        Binder refusing = b -> {
            throw new BindFailure("pods \"p\" is forbidden");
        };
        Binder unconfirmed = b -> { };
        return Stream.of(
                arguments("a pod that still fits is bound and counted as bound", null, 4, "uid-p", "", 5, false),
                arguments("a pod whose binding the API server has not confirmed yet counts as reserved", unconfirmed, 4, "uid-p", "", 5, true),
                arguments("a pod the node no longer fits is refused and not counted", null, 6, "uid-p",
                        "gpu-slicer: n no longer fits default/p (gpu-slicer: no free time-slice replica (time-slice replicas: requested 1, used 6 of 6))", 6, false),
                arguments("a binding the API server refuses is forgotten and its error returned", refusing, 4, "uid-p",
                        "pods \"p\" is forbidden", 4, false),
                arguments("a pod recreated under the same name is not bound in its predecessor's place", null, 4, "uid-old",
                        "gpu-slicer: pod default/p has UID uid-p, not uid-old", 4, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void bind(String sentence, Binder binder, int used, String uid, String error, int countedAfter, boolean reservedAfter) {
        Source source = new Source(binder);
        source.inner.addNode(sharedNodeObject("n", "a100-research", 3));
        sharers("n", "research", used).forEach(source.inner::addPod);
        source.inner.addPod(gpuPod("p", "research", 1));
        Extender extender = new Extender(source, Framework.DEFAULT, ExtenderMetrics.NOOP, Duration.ofSeconds(10));
        ExtenderBindingResult r = extender.bind(new ExtenderBindingArgs("p", "default", uid, "n"));
        assertThat(r.error()).isEqualTo(error);
        assertThat(source.snapshot().node("n").usage().gpuUnits()).isEqualTo(countedAfter);
        assertThat(source.store().reservation("uid-p") != null).isEqualTo(reservedAfter);
    }

    static Stream<Arguments> theBindingNamesThePodsPool() {
        return Stream.of(
                arguments("a pod on its preferred pool carries that pool", gpuPod("p", "research", 1), "a100-research",
                        Map.of("gpuslicer.io/pool", "a100-research")),
                arguments("a pod that fell back carries the pool it fell back to", gpuPod("p", "research", 1), "a100-development",
                        Map.of("gpuslicer.io/pool", "a100-development")),
                arguments("a pod that is not a GPU pod of ours carries nothing", cpuPod("p"), "a100-research", Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void theBindingNamesThePodsPool(String sentence, Pod pod, String nodePool, Map<String, String> annotations) {
        List<Binding> bindings = new java.util.concurrent.CopyOnWriteArrayList<>();
        Source source = new Source(bindings::add);
        source.inner.addNode(sharedNodeObject("n", nodePool, 3));
        source.inner.addPod(pod);
        Extender extender = new Extender(source, Framework.DEFAULT, ExtenderMetrics.NOOP, Duration.ofSeconds(10));

        assertThat(extender.bind(new ExtenderBindingArgs("p", "default", pod.getMetadata().getUid(), "n")).error()).isEmpty();
        assertThat(bindings).singleElement().satisfies(b -> assertThat(b.annotations()).isEqualTo(annotations));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                arguments("a pod the extender has not seen is refused so the scheduler retries", "ghost", "n",
                        "gpu-slicer: pod default/ghost not seen by the extender yet"),
                arguments("a node the ledger does not know is refused", "p", "nowhere", "gpu-slicer: node nowhere unknown to the ledger"),
                arguments("a request without a node is refused", "p", "", "gpu-slicer: bind needs PodName, PodNamespace and Node"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refusals(String sentence, String pod, String node, String error) {
        SnapshotLedgerSource source = new SnapshotLedgerSource(POLICY).addNode(sharedNodeObject("n", "a100-research", 3))
                .addPod(gpuPod("p", "research", 1));
        assertThat(new Extender(source, ExtenderMetrics.NOOP).bind(new ExtenderBindingArgs(pod, "default", null, node)).error())
                .isEqualTo(error);
        assertThat(source.store().reservationCount()).isZero();
    }

    static Stream<Arguments> bindBeforeTheInformer() {
        return Stream.of(
                arguments("a pod bound right after filter is bound although the informer has not delivered it", true, false,
                        "default", "p", "uid-p", "", 5),
                arguments("a pod bound right after prioritize is bound although the informer has not delivered it", false, true,
                        "default", "p", "uid-p", "", 5),
                arguments("a binding whose UID the extender never decided on is refused", true, true,
                        "default", "p", "uid-other", "gpu-slicer: pod default/p not seen by the extender yet", 4),
                arguments("a binding without a UID is not matched to a decided pod", true, true,
                        "default", "p", "", "gpu-slicer: pod default/p not seen by the extender yet", 4),
                arguments("a binding naming another pod under the decided UID is refused", true, true,
                        "other", "p", "uid-p", "gpu-slicer: pod other/p not seen by the extender yet", 4),
                arguments("a pod never sent to filter or prioritize is refused until the informer has it", false, false,
                        "default", "p", "uid-p", "gpu-slicer: pod default/p not seen by the extender yet", 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void bindBeforeTheInformer(String sentence, boolean filtered, boolean prioritized, String namespace, String name, String uid,
                               String error, int countedAfter) {
        Source source = new Source(null);
        source.informed = false;
        source.inner.addNode(sharedNodeObject("n", "a100-research", 3));
        sharers("n", "research", 4).forEach(source.inner::addPod);
        Extender extender = new Extender(source, Framework.DEFAULT, ExtenderMetrics.NOOP, Duration.ofSeconds(10));
        Pod p = gpuPod("p", "research", 1);
        if (filtered) {
            assertThat(extender.filter(ExtenderArgs.ofNames(p, List.of("n"))).nodeNames()).containsExactly("n");
        }
        if (prioritized) {
            extender.prioritize(ExtenderArgs.ofNames(p, List.of("n")));
        }
        assertThat(extender.bind(new ExtenderBindingArgs(name, namespace, uid, "n")).error()).isEqualTo(error);
        assertThat(source.snapshot().node("n").usage().gpuUnits()).isEqualTo(countedAfter);
    }
}
