package dev.qtune.compiler.quant;

import static dev.qtune.compiler.quant.QuantTestSupport.MAX;
import static dev.qtune.compiler.quant.QuantTestSupport.calibrate;
import static dev.qtune.compiler.quant.QuantTestSupport.pad1;
import static dev.qtune.compiler.quant.QuantizePassesTest.convRelu;
import static dev.qtune.compiler.quant.QuantizePassesTest.threeConvs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.Fixtures.GraphBuilder;
import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.TensorType;
import dev.qtune.compiler.pass.FoldConstantsPass;
import dev.qtune.compiler.pass.InferTypesPass;
import dev.qtune.compiler.pass.PassOrderException;
import dev.qtune.compiler.pass.PassPipeline;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** QuantizeAnnotate's refusals: out of order, an op without a rule, a skipped layer without fp32 islands. */
class QuantizeAnnotatePassTest {
    @Test
    void aSkippedLayerWithoutFp32IslandsIsAnErrorNamingTheLayer() {
        LayerOverride skipConv2 = new LayerOverride(
                LayerPattern.parse("conv2"),
                OptionalInt.empty(),
                OptionalInt.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                OptionalDouble.empty(),
                Optional.of(true),
                Optional.empty());
        QuantConfig config = new QuantConfig(
                LayerQuantConfig.DEFAULT,
                List.of(skipConv2),
                100,
                OptionalDouble.empty(),
                false,
                Optional.empty(),
                "strict.yaml");
        Graph g = threeConvs();
        QuantConfigException e =
                assertThrows(QuantConfigException.class, () -> PassPipeline.apply(new QuantizeAnnotatePass(config), g));
        assertEquals(
                "strict.yaml: layer 'conv2' is skipped (kept in fp32) but allow_fp32_islands is false", e.getMessage());

        QuantConfigException read = assertThrows(
                QuantConfigException.class,
                () -> QuantConfigReader.parse(
                        "allow_fp32_islands: false\nlayers:\n  - match: conv2\n    skip: true\n", "strict.yaml"));
        assertTrue(
                read.getMessage().startsWith("strict.yaml: layers[0].skip:")
                        && read.getMessage().contains("conv2"),
                read.getMessage());
    }

    @Test
    void annotateRefusesToRunBeforeFoldBatchNorm() {
        Graph g = new GraphBuilder("early")
                .input("x", TensorType.f32(Shape.DYNAMIC, 3, 8, 8))
                .init("w", Fixtures.random(1, 4, 3, 3, 3))
                .node(new Conv2dNode("conv", List.of("x", "w"), "y", pad1(3), 1))
                .output("y")
                .build();
        Graph typed = PassPipeline.apply(new FoldConstantsPass(), PassPipeline.apply(new InferTypesPass(), g));
        PassOrderException e =
                assertThrows(PassOrderException.class, () -> PassPipeline.apply(new QuantizeAnnotatePass(MAX), typed));
        assertEquals(
                "QuantizeAnnotate must run after FoldBatchNorm: run FoldBatchNorm first "
                        + "(passes run so far: InferTypes, FoldConstants)",
                e.getMessage());

        Graph ready = convRelu();
        PassOrderException calibrate = assertThrows(
                PassOrderException.class,
                () -> PassPipeline.apply(new QuantizeCalibratePass(calibrate(ready, 1), MAX), ready));
        assertTrue(
                calibrate.getMessage().startsWith("QuantizeCalibrate must run after QuantizeAnnotate"),
                calibrate.getMessage());
        Graph annotated = PassPipeline.apply(new QuantizeAnnotatePass(MAX), ready);
        PassOrderException realize =
                assertThrows(PassOrderException.class, () -> PassPipeline.apply(new QuantizeRealizePass(), annotated));
        assertTrue(
                realize.getMessage().startsWith("QuantizeRealize must run after QuantizeCalibrate"),
                realize.getMessage());
    }

    @Test
    void anOpWithoutAnAnnotateRuleIsNamed() {
        // Annotating twice: the first pass's SimQuantize nodes have no annotate rule.
        Graph annotated = PassPipeline.apply(new QuantizeAnnotatePass(MAX), convRelu());
        QtuneException e =
                assertThrows(QtuneException.class, () -> PassPipeline.apply(new QuantizeAnnotatePass(MAX), annotated));
        assertEquals(
                "SimQuantize node 'x/simq' has no quantize-annotate rule "
                        + "(declare it in AnnotateRules, as FP32 if it cannot be quantized)",
                e.getMessage());
    }
}
