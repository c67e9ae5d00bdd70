package dev.qtune.compiler.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.pass.PassPipeline;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The static memory plan: live buffers never share bytes, dead ones are reused, views share their input's buffer. */
class MemoryPlanTest {
    @ParameterizedTest
    @ValueSource(strings = {Fixtures.MLP, Fixtures.LENET, Fixtures.RESNET})
    void buffersAliveAtTheSameTimeDoNotOverlapAndTheArenaReusesBytes(String model) {
        Graph g = PassPipeline.prerequisites().run(Fixtures.load(model));
        MemoryPlan plan = MemoryPlan.plan(g);
        List<Node> nodes = g.nodes();
        Map<String, int[]> life = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String o : nodes.get(i).outputs()) {
                life.put(plan.root(o), new int[] {i, i});
            }
            for (String in : nodes.get(i).inputs()) {
                int[] l = life.get(plan.root(in));
                if (l != null) {
                    l[1] = Math.max(l[1], i);
                }
            }
        }
        long total = 0;
        for (var a : plan.offsets().entrySet()) {
            long aEnd = a.getValue() + plan.storage().get(a.getKey()).bytes();
            total += plan.storage().get(a.getKey()).bytes();
            assertEquals(0, a.getValue() % MemoryPlan.ALIGN, a.getKey());
            for (var b : plan.offsets().entrySet()) {
                if (a.getKey().equals(b.getKey())) {
                    continue;
                }
                int[] la = life.get(a.getKey());
                int[] lb = life.get(b.getKey());
                boolean bothAlive = la[0] <= lb[1] && lb[0] <= la[1];
                long bEnd = b.getValue() + plan.storage().get(b.getKey()).bytes();
                boolean overlap = a.getValue() < bEnd && b.getValue() < aEnd;
                assertFalse(bothAlive && overlap, a.getKey() + " and " + b.getKey() + " share bytes while both alive");
            }
        }
        assertTrue(
                plan.arenaBytes() <= total + MemoryPlan.ALIGN * plan.offsets().size(), "arena larger than no reuse");
        if (model.equals(Fixtures.RESNET)) {
            assertTrue(
                    plan.arenaBytes() < total / 2,
                    "resnet8 reuses buffers: arena " + plan.arenaBytes() + " of " + total);
        }
    }

    @Test
    void flattenOfAnFp32TensorIsAView() {
        Graph g = PassPipeline.prerequisites().run(Fixtures.load(Fixtures.LENET));
        MemoryPlan plan = MemoryPlan.plan(g);
        Node flatten = g.nodes().stream()
                .filter(n -> n.opType().equals("Flatten"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                plan.root(flatten.inputs().get(0)), plan.root(flatten.outputs().get(0)));
        assertFalse(plan.offsets().containsKey(flatten.outputs().get(0)));
    }

    @Test
    void scheduleValuesOutsideTheSpaceAreRejectedByName() {
        List<Knob> knobs = ConvSchedules.space(32, 28, 8);
        assertEquals(List.of(8, 16, 32), knobs.get(0).candidates());
        ScheduleConfig s = ScheduleConfig.EMPTY.with("conv1", ConvSchedules.OC_BLOCK, 12);
        LoweringException e = assertThrows(LoweringException.class, () -> s.value("conv1", knobs.get(0)));
        assertTrue(
                e.getMessage().contains("conv1")
                        && e.getMessage().contains("oc_block")
                        && e.getMessage().contains("[8, 16, 32]"),
                e.getMessage());
        assertEquals(knobs.get(1).defaultValue(), s.value("conv1", knobs.get(1)));
    }
}
