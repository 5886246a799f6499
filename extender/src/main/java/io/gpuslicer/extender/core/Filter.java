package io.gpuslicer.extender.core;

import io.gpuslicer.extender.ledger.NodeState;

/** One scheduling concern that can refuse a node. Implementations are stateless. */
public interface Filter {
    Status filter(PodInfo pod, NodeState node);
}
