package io.gpuslicer.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpuslicer.extender.ledger.NodeState;
import io.gpuslicer.policy.Policy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** summary.json in exactly the shape; the curve and the chart next to it. */
class SummaryShapeTest {
    @TempDir
    Path out;

    @Test
    void summaryJsonHasOneEntryPerStrategyWithNumbersNotStrings() throws Exception {
        Policy policy = Simulation.bundledPolicy();
        List<OpenbTrace.TraceTask> tasks = OpenbTrace.tasks(HandCheckedTraceTest.DIR.resolve("openb-pods-40.csv"));
        NodeState[] nodes = Simulation.nodesOf(OpenbTrace.nodes(HandCheckedTraceTest.DIR.resolve("openb-nodes-10.csv")), policy);
        List<Arrival> arrivals = Workload.draw(tasks, 20_000, 1.3, 42, new ClusterObjects(policy), policy);
        List<Replay.Result> results = Simulation.run(policy, nodes, arrivals, List.of("gpu-slicer", "fgd"), Workload.observedMix(tasks),
                Workload.targetMix(tasks), 42, TieBreak.ORDERED, 1, null);
        new SimulationReport("openb-pods-40.csv", nodes.length, 20_000, 42, 1.3, arrivals, results).write(out);

        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        List<String> top = new ArrayList<>();
        s.fieldNames().forEachRemaining(top::add);
        assertThat(top).containsExactly("trace", "nodes", "gpus", "seed", "inflate", "strategies");
        assertThat(s.get("trace").asText()).isEqualTo("openb-pods-40.csv");
        assertThat(s.get("nodes").isInt()).isTrue();
        assertThat(s.get("gpus").isIntegralNumber()).isTrue();
        assertThat(s.get("gpus").asLong()).isEqualTo(20);
        assertThat(s.get("seed").asLong()).isEqualTo(42);
        assertThat(s.get("inflate").asDouble()).isEqualTo(1.3);
        List<String> strategies = new ArrayList<>();
        s.get("strategies").fieldNames().forEachRemaining(strategies::add);
        assertThat(strategies).containsExactly("gpu-slicer", "fgd");
        for (String name : strategies) {
            JsonNode st = s.get("strategies").get(name);
            List<String> keys = new ArrayList<>();
            st.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactly("allocation", "final_allocation_pct", "unallocated_gpus", "tasks_arrived",
                    "tasks_unscheduled", "wall_seconds");
            List<String> points = new ArrayList<>();
            st.get("allocation").fieldNames().forEachRemaining(points::add);
            assertThat(points).containsExactly("50", "80", "90", "95", "100", "110", "120", "130");
            st.get("allocation").forEach(v -> assertThat(v.isNumber()).isTrue());
            assertThat(st.get("final_allocation_pct").isNumber()).isTrue();
            assertThat(st.get("final_allocation_pct").asDouble()).isBetween(0.0, 100.0);
            assertThat(st.get("unallocated_gpus").asDouble())
                    .isCloseTo(20 * (1 - st.get("final_allocation_pct").asDouble() / 100), org.assertj.core.data.Offset.offset(0.01));
            assertThat(st.get("tasks_arrived").asInt()).isEqualTo(arrivals.size());
            assertThat(st.get("tasks_unscheduled").isInt()).isTrue();
            assertThat(st.get("wall_seconds").isNumber()).isTrue();
        }
        List<String> csv = Files.readAllLines(out.resolve("curve.csv"));
        assertThat(csv.get(0)).isEqualTo("task,arrived_gpu_pct,gpu-slicer_allocated_gpu_pct,fgd_allocated_gpu_pct");
        assertThat(csv).hasSize(arrivals.size() + 1);
        String svg = Files.readString(out.resolve("chart.svg"));
        assertThat(svg).startsWith("<svg").contains("<polyline").contains("gpu-slicer").contains("fgd").endsWith("</svg>\n");
    }
}
