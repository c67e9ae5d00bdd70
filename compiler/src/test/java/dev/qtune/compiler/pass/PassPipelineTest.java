package dev.qtune.compiler.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.ir.BatchNormNode;
import dev.qtune.compiler.ir.ConstantNode;
import dev.qtune.compiler.ir.DropoutNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.IdentityNode;
import dev.qtune.compiler.ir.Node;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PassPipelineTest {
    @Test
    void foldBatchNormOnAnImportedGraphNamesInferTypes() {
        Graph raw = Fixtures.load(Fixtures.RESNET);
        PassOrderException e =
                assertThrows(PassOrderException.class, () -> PassPipeline.apply(new FoldBatchNormPass(), raw));
        assertEquals(
                "FoldBatchNorm must run after InferTypes: run InferTypes first (passes run so far: none)",
                e.getMessage());
        assertTrue(e instanceof QtuneException, "a user-facing error");
    }

    @Test
    void foldBatchNormAfterInferTypesOnlyNamesFoldConstants() {
        Graph typed = PassPipeline.apply(new InferTypesPass(), Fixtures.load(Fixtures.RESNET));
        PassOrderException e =
                assertThrows(PassOrderException.class, () -> PassPipeline.apply(new FoldBatchNormPass(), typed));
        assertEquals(
                "FoldBatchNorm must run after FoldConstants: run FoldConstants first (passes run so far: InferTypes)",
                e.getMessage());
    }

    @Test
    void requirementsIterateInPipelineOrder() {
        // Set.of has no stable order across JVM runs; an unordered set would name a later pass first.
        assertEquals(List.of("InferTypes", "FoldConstants"), List.copyOf(new FoldBatchNormPass().requires()));
    }

    @Test
    void passesThatNeedTypesRefuseAnUntypedGraph() {
        Graph raw = Fixtures.load(Fixtures.MLP);
        for (Pass p : List.of(new FoldConstantsPass(), new SimplifyInferencePass())) {
            PassOrderException e = assertThrows(PassOrderException.class, () -> PassPipeline.apply(p, raw), p.name());
            assertTrue(
                    e.getMessage().startsWith(p.name() + " must run after InferTypes: run InferTypes first"),
                    e.getMessage());
        }
    }

    @Test
    void passNamesDropTheSuffix() {
        assertEquals(
                List.of("InferTypes", "FoldConstants", "SimplifyInference", "FoldBatchNorm", "EliminateDeadCode"),
                List.of(
                                new InferTypesPass(),
                                new FoldConstantsPass(),
                                new SimplifyInferencePass(),
                                new FoldBatchNormPass(),
                                new EliminateDeadCodePass())
                        .stream()
                        .map(Pass::name)
                        .toList());
    }

    @Test
    void applyRecordsThePassAndLeavesItsArgumentAlone() {
        Graph raw = Fixtures.load(Fixtures.LENET);
        Graph typed = PassPipeline.apply(new InferTypesPass(), raw);
        assertEquals(Set.of("InferTypes"), typed.applied());
        assertTrue(raw.applied().isEmpty());
        assertTrue(raw.types().isEmpty(), "the input graph is not modified");
        assertFalse(typed.types().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.MLP, Fixtures.LENET, Fixtures.RESNET})
    void prerequisitesLeaveOnlyComputeOpsAndKeepTheOutputs(String model) {
        Graph raw = Fixtures.load(model);
        Graph ready = PassPipeline.prerequisites().run(raw);
        assertEquals(
                List.of("InferTypes", "FoldConstants", "SimplifyInference", "FoldBatchNorm", "EliminateDeadCode"),
                List.copyOf(ready.applied()));
        for (Node n : ready.nodes()) {
            assertFalse(
                    n instanceof BatchNormNode
                            || n instanceof IdentityNode
                            || n instanceof DropoutNode
                            || n instanceof ConstantNode,
                    n.opType() + " node '" + n.name() + "' survived");
        }
        assertEquals("f32[?x10]", ready.outputs().get(0).type().toString());
        for (String init : ready.initializers().keySet()) {
            assertFalse(ready.consumers(init).isEmpty(), "initializer '" + init + "' is read by no node");
        }
        float[] x = Fixtures.uniform(3, 2 * 784, 0f, 1f);
        float[] before = new Fp32Interpreter(raw).run(x, 2).floats();
        float[] after = new Fp32Interpreter(ready).run(x, 2).floats();
        Fixtures.assertClose(before, after, 1e-4, model);
    }
}
