package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.gpuslicer.policy.Policy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger fed by fabric8 informers on Nodes and Pods (all namespaces). Informers start without
 * blocking; until both have listed once the source says it is not ready, and the extender answers
 * with an error the scheduler retries, rather than deciding on a partial ledger.
 */
public final class InformerLedgerSource implements LedgerSource {
    private static final Logger LOG = LoggerFactory.getLogger(InformerLedgerSource.class);

    private final LedgerStore store;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<Pod> pods;

    private InformerLedgerSource(LedgerStore store, SharedIndexInformer<Node> nodes, SharedIndexInformer<Pod> pods) {
        this.store = store;
        this.nodes = nodes;
        this.pods = pods;
    }

    public static InformerLedgerSource start(KubernetesClient client, Policy policy) {
        LedgerStore store = new LedgerStore(policy);
        SharedIndexInformer<Node> nodes = client.nodes().runnableInformer(0);
        nodes.addEventHandler(new ResourceEventHandler<Node>() {
            @Override
            public void onAdd(Node node) {
                store.upsertNode(node);
            }

            @Override
            public void onUpdate(Node oldNode, Node node) {
                store.upsertNode(node);
            }

            @Override
            public void onDelete(Node node, boolean finalStateUnknown) {
                store.removeNode(node.getMetadata().getName());
            }
        });
        SharedIndexInformer<Pod> pods = client.pods().inAnyNamespace().runnableInformer(0);
        // The informer's own cache holds whole Pod objects; keep only what the ledger reads.
        pods.itemStore(new TrimmedPodStore());
        pods.addEventHandler(new ResourceEventHandler<Pod>() {
            @Override
            public void onAdd(Pod pod) {
                store.upsertPod(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod pod) {
                store.upsertPod(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                store.removePod(pod.getMetadata().getUid());
            }
        });
        nodes.start().whenComplete((v, err) -> logStart("nodes", err));
        pods.start().whenComplete((v, err) -> logStart("pods", err));
        return new InformerLedgerSource(store, nodes, pods);
    }

    private static void logStart(String what, Throwable err) {
        if (err != null) {
            LOG.error("informer on {} failed to start: {}", what, err.getMessage());
        } else {
            LOG.info("informer on {} synced", what);
        }
    }

    @Override
    public LedgerSnapshot snapshot() {
        return store.snapshot();
    }

    @Override
    public String notReadyReason() {
        boolean n = nodes.hasSynced();
        boolean p = pods.hasSynced();
        if (n && p) {
            return null;
        }
        return "informers not synced yet (" + (n ? "" : "nodes") + (!n && !p ? ", " : "") + (p ? "" : "pods") + ")";
    }

    @Override
    public LedgerStore store() {
        return store;
    }

    @Override
    public void close() {
        nodes.close();
        pods.close();
    }
}
