package io.gpuslicer.extender.ledger;

import io.gpuslicer.policy.Policy;
import io.gpuslicer.policy.Pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Which policy pools a node belongs to, by the pools' node selectors. */
public final class Membership {
    private static final Pool[] NONE = new Pool[0];

    private Membership() {
    }

    public static Pool[] poolsOf(Policy policy, Map<String, String> nodeLabels) {
        List<Pool> out = null;
        for (Pool pool : policy.pools().values()) {
            if (pool.matches(nodeLabels)) {
                if (out == null) {
                    out = new ArrayList<>(1);
                }
                out.add(pool);
            }
        }
        return out == null ? NONE : out.toArray(NONE);
    }
}
