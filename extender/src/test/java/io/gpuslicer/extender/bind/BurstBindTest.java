package io.gpuslicer.extender.bind;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuslicer.extender.Extender;
import io.gpuslicer.extender.core.ExtenderMetrics;
import io.gpuslicer.extender.core.Framework;
import io.gpuslicer.extender.ledger.GpuOccupancy;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.extender.wire.ExtenderArgs;
import io.gpuslicer.extender.wire.ExtenderBindingArgs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.gpuslicer.extender.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Point 8 of issue 7 under load: a burst of pods filtered and bound concurrently against one node, the
 * way several scheduling cycles overlap with asynchronous bindings in kube-scheduler. The binder confirms
 * each binding 2–20 ms later (an informer's lag); until then only the reservation makes the pod visible.
 * The node has 2 GPUs x 8 replicas and the policy caps sharers at 4 per GPU: at most 8 pods may land,
 * although every one of the 16 replicas is free to kube-scheduler's own resource count.
 */
class BurstBindTest {
    private static final int PODS = 200;
    private static final int THREADS = 16;
    private static final int GPUS = 2;

    @Test
    void aBurstOfConcurrentFilterAndBindNeverExceedsTheSharerCap() throws Exception {
        ScheduledExecutorService informer = Executors.newScheduledThreadPool(2);
        BindVerbTest.Source burst = new BindVerbTest.Source(null);
        // The API server accepts at once; the informer shows the binding 2-20 ms later.
        burst.binder = b -> informer.schedule(() -> burst.store().confirm(b.uid(), b.node()),
                ThreadLocalRandom.current().nextInt(2, 20), TimeUnit.MILLISECONDS);
        burst.inner.addNode(sharedNodeObject("n", "a100-research", 8));
        ConcurrentLinkedQueue<Pod> queue = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < PODS; i++) {
            Pod p = gpuPod("burst-" + i, "research", 1);
            burst.inner.addPod(p);
            queue.add(p);
        }
        Extender extender = new Extender(burst, Framework.DEFAULT, ExtenderMetrics.NOOP, Duration.ofSeconds(10));
        int cap = POLICY.contention().maxSharersPerGpu();

        AtomicInteger passedFilter = new AtomicInteger();
        AtomicInteger bound = new AtomicInteger();
        AtomicInteger refusedAtBind = new AtomicInteger();
        AtomicInteger maxSharers = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!done.get()) {
                NodeState n = burst.store().current("n");
                maxSharers.accumulateAndGet(GpuOccupancy.sharersPerGpu(n.usage().gpuUnits(), 0, GPUS), Math::max);
            }
        });
        watcher.start();
        ExecutorService schedulers = Executors.newFixedThreadPool(THREADS);
        for (int t = 0; t < THREADS; t++) {
            schedulers.submit((java.util.concurrent.Callable<Void>) () -> {
                Pod pod;
                while ((pod = queue.poll()) != null) {
                    List<String> feasible = extender.filter(ExtenderArgs.ofNames(pod, List.of("n"))).nodeNames();
                    if (feasible.isEmpty()) {
                        continue;
                    }
                    passedFilter.incrementAndGet();
                    // kube-scheduler scores, assumes and binds asynchronously: the next pods are filtered before this
                    // bind arrives, on a ledger that does not show this pod yet.
                    sleepMillis(ThreadLocalRandom.current().nextInt(1, 6));
                    String error = extender.bind(new ExtenderBindingArgs(pod.getMetadata().getName(), "default",
                            pod.getMetadata().getUid(), "n")).error();
                    if (error.isEmpty()) {
                        bound.incrementAndGet();
                    } else {
                        refusedAtBind.incrementAndGet();
                    }
                }
                return null;
            });
        }
        schedulers.shutdown();
        assertThat(schedulers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        informer.shutdown();
        assertThat(informer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        done.set(true);
        watcher.join();

        NodeState end = burst.snapshot().node("n");
        int finalSharers = GpuOccupancy.sharersPerGpu(end.usage().gpuUnits(), 0, GPUS);
        System.out.printf("burst: pods=%d threads=%d nodes=1 passedFilter=%d bound=%d refusedAtBind=%d maxSharersSeen=%d cap=%d%n",
                PODS, THREADS, passedFilter.get(), bound.get(), refusedAtBind.get(), Math.max(maxSharers.get(), finalSharers), cap);
        assertThat(Math.max(maxSharers.get(), finalSharers)).isLessThanOrEqualTo(cap);
        assertThat(bound.get()).isEqualTo(cap * GPUS);
        assertThat(end.usage().bound()).hasSize(cap * GPUS);
        assertThat(burst.store().reservationCount()).isZero();
    }

    private static void sleepMillis(int ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
