package io.gpuslicer.bench.extender;

import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.gpuslicer.extender.ledger.StreamedPodEvents;
import io.gpuslicer.policy.PolicyLoader;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * What reading one page of the pod informer's list costs: 500 pods shaped as the webhook leaves them (managed
 * fields, volumes, affinity, tolerations; half of them bound), read as fabric8 reads a {@link PodList} and as the
 * extender's informers read it ({@link StreamedPodEvents}: each item by the watch events' reader). An informer reads
 * such pages at start-up and after a watch expired: 300 of them for 150,000 pods.
 * <p>
 * {@code ./bench extender.PodListRead [rounds]}: CPU and bytes allocated per page, by this thread, each way.
 */
public final class PodListRead {
    private static final int PAGE = 500;
    private static final int READS = 200;

    private PodListRead() {
    }

    public static void main(String[] args) throws java.io.IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:1").build();
        try (KubernetesClient fabric8 = new KubernetesClientBuilder().withConfig(config).build();
             KubernetesClient streamed = StreamedPodEvents.builder().withConfig(config).build()) {
            byte[] page = page(fabric8);
            System.out.printf("a page of %d pods: %,d bytes of JSON; %d reads per figure%n", PAGE, page.length, READS);
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            for (int round = 0; round < rounds; round++) {
                for (KubernetesClient client : List.of(fabric8, streamed)) {
                    long bytes0 = threads.getCurrentThreadAllocatedBytes();
                    long cpu0 = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < READS; i++) {
                        PodList read = client.getKubernetesSerialization().unmarshal(new ByteArrayInputStream(page), PodList.class);
                        if (read.getItems().size() != PAGE) {
                            throw new IllegalStateException("read " + read.getItems().size() + " pods");
                        }
                    }
                    double ms = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / READS;
                    double mb = (threads.getCurrentThreadAllocatedBytes() - bytes0) / 1e6 / READS;
                    System.out.printf("round %d  %-8s %6.2f ms CPU per page (%4.1f µs per pod), %5.1f MB allocated per page%n",
                            round, client == fabric8 ? "fabric8" : "streamed", ms, ms * 1000 / PAGE, mb);
                }
            }
        }
    }

    private static byte[] page(KubernetesClient client) throws java.io.IOException {
        WebhookPods pods = new WebhookPods(PolicyLoader.defaultPolicy());
        List<Pod> items = new ArrayList<>(PAGE);
        for (int i = 0; i < PAGE; i++) {
            items.add(pods.pod("team-a", "pod-" + i, "research", i % 2 == 0 ? "node-" + i : null));
        }
        PodList list = new PodList();
        list.setMetadata(new ListMeta());
        list.getMetadata().setResourceVersion("1");
        list.getMetadata().setContinue("next-page");
        list.setItems(items);
        return client.getKubernetesSerialization().asJson(list).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
