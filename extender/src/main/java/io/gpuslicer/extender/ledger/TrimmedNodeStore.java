package io.gpuslicer.extender.ledger;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * The node informer's cache, holding a trimmed copy of each Node: name, UID, resourceVersion and labels; taints and
 * unschedulable; capacity and allocatable — everything {@link NodeInventories} and the pending-pod nudger read of a
 * Node. A GPU node as the kubelet, node-feature-discovery and GPU feature discovery leave it (up to 50 images in
 * its status, managed fields, conditions, annotations) takes tens of KiB in fabric8's model, and the informer keeps
 * one per node for its whole life: 5,000 of them would hold a large part of the extender's heap
 * ({@code ./bench extender.LedgerHeap} prints both). Event handlers still receive the full new object; only the
 * cached copy, which they see as the old object of an update, is trimmed.
 */
public final class TrimmedNodeStore extends BasicItemStore<Node> {
    public TrimmedNodeStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public Node put(String key, Node node) {
        return super.put(key, trim(node));
    }

    /** Built with setters, not fabric8's builders (those deep-copy every nested object); the kept maps are shared. */
    public static Node trim(Node node) {
        Node out = new Node();
        ObjectMeta meta = node.getMetadata();
        if (meta != null) {
            ObjectMeta m = new ObjectMeta();
            m.setName(meta.getName());
            m.setUid(meta.getUid());
            m.setResourceVersion(meta.getResourceVersion());
            // Shared, not copied: the event's Node is not modified after delivery.
            m.setLabels(meta.getLabels());
            out.setMetadata(m);
        }
        if (node.getSpec() != null) {
            NodeSpec spec = new NodeSpec();
            spec.setTaints(node.getSpec().getTaints());
            spec.setUnschedulable(node.getSpec().getUnschedulable());
            out.setSpec(spec);
        }
        if (node.getStatus() != null) {
            NodeStatus status = new NodeStatus();
            status.setCapacity(node.getStatus().getCapacity());
            status.setAllocatable(node.getStatus().getAllocatable());
            out.setStatus(status);
        }
        return out;
    }
}
