package io.gpuslicer.extender.core;

import java.util.List;

/** Typed detail of a refusal, rendered into the human-readable reason only when a node is refused. */
public sealed interface Detail {
    String describe();

    record PoolMismatch(List<String> nodePools, List<String> allowedPools) implements Detail {
        @Override
        public String describe() {
            return "node pools " + (nodePools.isEmpty() ? "none" : String.join(",", nodePools))
                    + "; allowed " + String.join(",", allowedPools);
        }
    }

    record GpuKindMismatch(String needed, String offered) implements Detail {
        @Override
        public String describe() {
            return "needs " + needed + ", node offers " + offered;
        }
    }

    record MigConfigState(String state) implements Detail {
        @Override
        public String describe() {
            return "nvidia.com/mig.config.state=" + state;
        }
    }

    /** Like kube-scheduler's InsufficientResource. */
    record InsufficientResource(String resource, int requested, int used, int capacity) implements Detail {
        @Override
        public String describe() {
            return resource + ": requested " + requested + ", used " + used + " of " + capacity;
        }
    }

    record SharersOverCap(int sharersPerGpu, int cap) implements Detail {
        @Override
        public String describe() {
            return sharersPerGpu + " pods per GPU after placement, cap " + cap;
        }
    }

    /** No {@code gpus} GPUs have room for a share of {@code shareMilli} (and a sharer under the cap). */
    record ShareOverflow(int shareMilli, int gpus, int mostFreeMilli) implements Detail {
        @Override
        public String describe() {
            return "needs " + (gpus == 1 ? "a GPU" : gpus + " GPUs") + " with " + shareMilli + "m free, most free GPU has "
                    + mostFreeMilli + "m";
        }
    }

    record NotInLedger(String node) implements Detail {
        @Override
        public String describe() {
            return "no Node object named " + node + " seen";
        }
    }
}
