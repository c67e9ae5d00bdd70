package dev.qtune.compiler.quant;

import static dev.qtune.compiler.quant.QuantTestSupport.MAX;
import static dev.qtune.compiler.quant.QuantTestSupport.assertAgrees;
import static dev.qtune.compiler.quant.QuantTestSupport.node;
import static dev.qtune.compiler.quant.QuantTestSupport.nodes;
import static dev.qtune.compiler.quant.QuantTestSupport.ops;
import static dev.qtune.compiler.quant.QuantTestSupport.pad1;
import static dev.qtune.compiler.quant.QuantTestSupport.prepare;
import static dev.qtune.compiler.quant.QuantTestSupport.quantize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.Fixtures.GraphBuilder;
import dev.qtune.compiler.ir.AvgPool2dNode;
import dev.qtune.compiler.ir.BinaryNode;
import dev.qtune.compiler.ir.BinaryOp;
import dev.qtune.compiler.ir.ClipNode;
import dev.qtune.compiler.ir.ConcatNode;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.DequantizeNode;
import dev.qtune.compiler.ir.FlattenNode;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.GlobalAvgPoolNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.MatMulNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QAddNode;
import dev.qtune.compiler.ir.QConcatNode;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.QDenseNode;
import dev.qtune.compiler.ir.QuantRole;
import dev.qtune.compiler.ir.QuantizeNode;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.TensorType;
import dev.qtune.compiler.ir.Window2d;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * QuantizeAnnotate, QuantizeCalibrate and QuantizeRealize on tiny hand-built graphs: the integer
 * graph's structure, its agreement with the simulated graph (within 2 output LSBs; 3 where two
 * average pools are re-rounded), and its closeness to the fp32 graph ({@link QuantTestSupport}).
 */
class QuantizePassesTest {
    /** x -> Conv(3x3, pad 1, bias) -> Relu -> y. */
    static Graph convRelu() {
        return prepare(new GraphBuilder("conv_relu")
                .input("x", TensorType.f32(Shape.DYNAMIC, 3, 8, 8))
                .init("w", Fixtures.random(1, 4, 3, 3, 3))
                .init("b", Fixtures.random(2, 4))
                .node(new Conv2dNode("conv", List.of("x", "w", "b"), "c", pad1(3), 1))
                .node(new ReluNode("relu", "c", "y"))
                .output("y"));
    }

    @Test
    void convReluBecomesOneQConvWithTheReluAsItsRange() {
        QuantizedModel m = quantize(convRelu(), MAX);
        Graph r = m.realized();
        assertEquals(List.of("Quantize", "QConv", "Dequantize"), ops(r));
        QConv2dNode conv = node(r, "conv", QConv2dNode.class);
        assertEquals(new IntRange(0, 255), conv.requantize().range());
        assertEquals(DType.U8, conv.requantize().dtype());
        assertEquals(DType.U8, r.type(conv.output()).dtype());
        assertEquals(4, conv.requantize().multipliers().size(), "per-channel weights: one multiplier per channel");
        assertEquals(DType.I8, r.type(conv.input()).dtype(), "x may be negative: signed");
        assertEquals(DType.I8, r.type(conv.weight()).dtype());
        assertEquals(DType.I32, r.type(conv.bias().orElseThrow()).dtype());
        assertEquals(List.of("y"), r.outputNames());
        assertEquals(DType.F32, r.type("y").dtype());
        assertTrue(nodes(m.simulated(), ReluNode.class).size() == 1, "the simulated graph keeps its Relu");
        assertAgrees(m, 0.03, 2);
    }

    /** x -> Conv(3x3, pad 1, bias) -> Clip(min, max) -> y. */
    static Graph convClip(float min, float max) {
        return prepare(new GraphBuilder("conv_clip")
                .input("x", TensorType.f32(Shape.DYNAMIC, 3, 8, 8))
                .init("w", Fixtures.random(1, 4, 3, 3, 3))
                .init("b", Fixtures.random(2, 4))
                .init("lo", Tensor.scalar(min))
                .init("hi", Tensor.scalar(max))
                .node(new Conv2dNode("conv", List.of("x", "w", "b"), "c", pad1(3), 1))
                .node(new ClipNode("clip", List.of("c", "lo", "hi"), "y"))
                .output("y"));
    }

    @Test
    void aClipWithBoundsAtOrAboveZeroIsFusedAsTheOutputRange() {
        QuantizedModel m = quantize(convClip(0.1f, 0.5f), MAX);
        Graph r = m.realized();
        assertEquals(List.of("Quantize", "QConv", "Dequantize"), ops(r), "ReLU6-like Clip fused into the conv");
        QConv2dNode conv = node(r, "conv", QConv2dNode.class);
        float s = conv.requantize().outputScale();
        IntRange full = IntRange.unsigned(8);
        assertEquals(
                new IntRange(
                        QuantMath.quantize(0.1f, s, full),
                        Math.min(255, QuantMath.quantize(0.5f, s, new IntRange(0, 1 << 20)))),
                conv.requantize().range(),
                "the clamp is the Clip's bounds on the output grid");
        assertTrue(conv.requantize().range().min() > 0, "min 0.1 is above integer 0");
        // Against fp32 the tolerance is relative to the largest output, 0.5 here: the input's rounding
        // error through 27 taps is a larger share of it than in convRelu.
        assertAgrees(m, 0.06, 2);
    }

    @Test
    void aClipThatCanBeNegativeStaysInFp32() {
        QuantizedModel m = quantize(convClip(-0.2f, 0.5f), MAX);
        assertTrue(ops(m.realized()).contains("Clip"), ops(m.realized()).toString());
    }

    /** x -> Conv(pad 1) -> Add(conv, x) -> Relu -> y: a residual block. */
    static Graph convAddRelu() {
        return prepare(new GraphBuilder("conv_add_relu")
                .input("x", TensorType.f32(Shape.DYNAMIC, 4, 6, 6))
                .init("w", Fixtures.random(3, 4, 4, 3, 3))
                .init("b", Fixtures.random(4, 4))
                .node(new Conv2dNode("conv", List.of("x", "w", "b"), "c", pad1(3), 1))
                .node(new BinaryNode("add", BinaryOp.ADD, List.of("c", "x"), "s"))
                .node(new ReluNode("relu", "s", "y"))
                .output("y"));
    }

    @Test
    void residualAddBecomesQAddWithTheReluFused() {
        QuantizedModel m = quantize(convAddRelu(), MAX);
        Graph r = m.realized();
        assertEquals(List.of("Quantize", "QConv", "QAdd", "Dequantize"), ops(r));
        QConv2dNode conv = node(r, "conv", QConv2dNode.class);
        QAddNode add = node(r, "add", QAddNode.class);
        QuantizeNode qx = nodes(r, QuantizeNode.class).get(0);
        assertEquals(List.of(conv.output(), qx.output()), add.inputs());
        assertEquals(DType.I8, conv.requantize().dtype(), "the conv output is read by Add, not a Relu: signed");
        assertEquals(IntRange.signed(8), conv.requantize().range());
        assertEquals(new IntRange(0, 255), add.requantize().range());
        assertEquals(DType.U8, r.type(add.output()).dtype());
        // Each input goes to the output scale by its own multiplier: the scales differ, so do they.
        assertEquals(
                FixedPointMultiplier.of((double) conv.requantize().outputScale()
                        / add.requantize().outputScale()),
                add.requantize().multiplier(0));
        assertEquals(
                FixedPointMultiplier.of((double) qx.scale() / add.requantize().outputScale()),
                add.requantize().multiplier(1));
        assertNotEquals(add.requantize().multiplier(0), add.requantize().multiplier(1));
        assertAgrees(m, 0.03, 2);
    }

    /** x -> ConvA -> Relu -> a; x -> ConvB (1x1) [-> Relu] -> b; Concat(a, b) on channels -> y. */
    static Graph concat(boolean bothRelu) {
        GraphBuilder b = new GraphBuilder("concat")
                .input("x", TensorType.f32(Shape.DYNAMIC, 3, 6, 6))
                .init("wa", Fixtures.random(5, 4, 3, 3, 3))
                .init("ba", Fixtures.random(6, 4))
                .init("wb", Fixtures.random(7, 2, 3, 1, 1))
                .node(new Conv2dNode("convA", List.of("x", "wa", "ba"), "ca", pad1(3), 1))
                .node(new ReluNode("reluA", "ca", "a"))
                .node(new Conv2dNode("convB", List.of("x", "wb"), bothRelu ? "cb" : "b", Window2d.of(1, 1), 1));
        if (bothRelu) {
            b.node(new ReluNode("reluB", "cb", "b"));
        }
        return prepare(b.node(new ConcatNode("cat", List.of("a", "b"), "y", 1)).output("y"));
    }

    @Test
    void concatOfTwoQuantizedBranchesBecomesQConcat() {
        QuantizedModel m = quantize(concat(false), MAX);
        Graph r = m.realized();
        assertEquals(List.of("Quantize", "QConv", "QConv", "QConcat", "Dequantize"), ops(r));
        QConcatNode cat = node(r, "cat", QConcatNode.class);
        assertEquals(
                List.of(
                        node(r, "convA", QConv2dNode.class).output(),
                        node(r, "convB", QConv2dNode.class).output()),
                cat.inputs());
        assertEquals(DType.U8, node(r, "convA", QConv2dNode.class).requantize().dtype());
        assertEquals(DType.I8, node(r, "convB", QConv2dNode.class).requantize().dtype());
        assertEquals(2, cat.requantize().multipliers().size());
        assertEquals(DType.I8, cat.requantize().dtype(), "one branch may be negative: signed");
        assertEquals(TensorType.f32(Shape.DYNAMIC, 6, 6, 6), r.outputs().get(0).type());
        assertAgrees(m, 0.03, 2);

        QuantizedModel unsigned = quantize(concat(true), MAX);
        QConcatNode ucat = node(unsigned.realized(), "cat", QConcatNode.class);
        assertEquals(new IntRange(0, 255), ucat.requantize().range(), "a concat of Relu outputs is non-negative");
        assertEquals(DType.U8, ucat.requantize().dtype());
        assertAgrees(unsigned, 0.03, 2);
    }

    /** x -> Conv -> Relu -> AvgPool 2x2 -> Conv -> Relu -> GlobalAvgPool -> Flatten -> Gemm -> y. */
    static Graph pools() {
        return prepare(new GraphBuilder("pools")
                .input("x", TensorType.f32(Shape.DYNAMIC, 1, 12, 12))
                .init("w1", Fixtures.random(11, 4, 1, 3, 3))
                .init("b1", Fixtures.random(12, 4))
                .init("w2", Fixtures.random(13, 6, 4, 3, 3))
                .init("b2", Fixtures.random(14, 6))
                .init("w3", Fixtures.random(15, 5, 6))
                .init("b3", Fixtures.random(16, 5))
                .node(new Conv2dNode("conv1", List.of("x", "w1", "b1"), "c1", pad1(3), 1))
                .node(new ReluNode("relu1", "c1", "r1"))
                .node(new AvgPool2dNode(
                        "avg", List.of("r1"), "p1", new Window2d(2, 2, 2, 2, 0, 0, 0, 0, 1, 1), false, false))
                .node(new Conv2dNode("conv2", List.of("p1", "w2", "b2"), "c2", Window2d.of(3, 3), 1))
                .node(new ReluNode("relu2", "c2", "r2"))
                .node(new GlobalAvgPoolNode("gap", "r2", "g"))
                .node(new FlattenNode("flat", List.of("g"), "f", 1))
                .node(new GemmNode("fc", List.of("f", "w3", "b3"), "y", 1f, 1f, false, true))
                .output("y"));
    }

    @Test
    void averagePoolsInheritTheirInputScaleAndRunOnIntegers() {
        QuantizedModel m = quantize(pools(), MAX);
        Graph sim = m.simulated();
        for (String pool : List.of("p1", "g")) {
            SimQuantizeNode point = (SimQuantizeNode) sim.consumers(pool).get(0);
            assertEquals(QuantRole.INHERIT, point.spec().role(), pool);
            Node poolNode = sim.producer(pool).orElseThrow();
            SimQuantizeNode before =
                    (SimQuantizeNode) sim.producer(poolNode.inputs().get(0)).orElseThrow();
            assertEquals(before.spec().scale(), point.spec().scale(), pool + " keeps the scale of its input");
            assertEquals(new IntRange(0, 255), point.spec().range());
        }
        Graph r = m.realized();
        assertEquals(
                List.of(
                        "Quantize",
                        "QConv",
                        "AveragePool",
                        "QConv",
                        "GlobalAveragePool",
                        "Flatten",
                        "QDense",
                        "Dequantize"),
                ops(r));
        for (String name : List.of("avg", "gap", "flat")) {
            Node n = r.node(name);
            assertEquals(DType.U8, r.type(n.inputs().get(0)).dtype(), name);
            assertEquals(DType.U8, r.type(n.output()).dtype(), name);
        }
        assertEquals(r.node("conv2").inputs().get(0), r.node("avg").output());
        QDenseNode fc = node(r, "fc", QDenseNode.class);
        assertEquals(DType.I8, fc.requantize().dtype());
        assertEquals(r.node("flat").output(), fc.inputs().get(0));
        // Two averages re-rounded (ties to even in the simulation, away from zero on integers) and
        // carried through a conv and a dense layer: up to 3 LSBs apart.
        assertAgrees(m, 0.03, 3);
    }

    /** x[?, 16] -> Gemm (B not transposed) -> Relu -> Gemm (transB) -> logits. */
    static Graph mlp() {
        return prepare(new GraphBuilder("mlp")
                .input("x", TensorType.f32(Shape.DYNAMIC, 16))
                .init("w1", Fixtures.random(21, 16, 12))
                .init("b1", Fixtures.random(22, 12))
                .init("w2", Fixtures.random(23, 5, 12))
                .init("b2", Fixtures.random(24, 5))
                .node(new GemmNode("fc1", List.of("x", "w1", "b1"), "h", 1f, 1f, false, false))
                .node(new ReluNode("relu", "h", "hr"))
                .node(new GemmNode("fc2", List.of("hr", "w2", "b2"), "logits", 1f, 1f, false, true))
                .output("logits"));
    }

    @Test
    void aGraphOutputOfAQuantizedGemmKeepsItsNameBehindADequantize() {
        QuantizedModel m = quantize(mlp(), MAX);
        Graph r = m.realized();
        assertEquals(List.of("Quantize", "QDense", "QDense", "Dequantize"), ops(r));
        assertEquals(List.of("logits"), r.outputNames());
        DequantizeNode last = (DequantizeNode) r.nodes().get(r.nodes().size() - 1);
        assertEquals("logits", last.output());
        QDenseNode fc2 = node(r, "fc2", QDenseNode.class);
        assertEquals(fc2.output(), last.input());
        assertNotEquals("logits", fc2.output());
        assertEquals(fc2.requantize().outputScale(), last.scale());
        assertEquals(DType.I8, fc2.requantize().dtype());
        assertEquals(DType.U8, node(r, "fc1", QDenseNode.class).requantize().dtype());
        // Dense weights are stored [N, K] whatever the Gemm layout was.
        assertEquals(
                Shape.of(12, 16),
                r.type(node(r, "fc1", QDenseNode.class).weight()).shape());
        assertEquals(Shape.of(5, 12), r.type(fc2.weight()).shape());
        assertEquals(TensorType.f32(Shape.DYNAMIC, 5), r.outputs().get(0).type());
        assertAgrees(m, 0.03, 2);

        // The same with power-of-two per-tensor scales and ties away from zero.
        QuantConfig power2 = QuantConfigReader.parse(
                "defaults:\n  weight_scale: power2\n  granularity: per_tensor\n"
                        + "  activation_calibration: power2\n  rounding: tonearest\n",
                "power2.yaml");
        QuantizedModel p = quantize(mlp(), power2);
        QDenseNode p2 = node(p.realized(), "fc2", QDenseNode.class);
        for (FixedPointMultiplier pm : p2.requantize().multipliers()) {
            assertEquals(p2.requantize().multiplier(0), pm, "per-tensor weights: one multiplier for every output");
            assertEquals(1 << 30, pm.mantissa(), "a ratio of powers of two is a shift");
        }
        assertEquals(Rounding.TONEAREST, p2.requantize().rounding());
        assertAgrees(p, 0.04, 2);
    }

    @Test
    void aMatMulWithConstantWeightsBecomesQDenseWithTransposedWeights() {
        Graph g = prepare(new GraphBuilder("matmul")
                .input("x", TensorType.f32(Shape.DYNAMIC, 16))
                .init("w", Fixtures.random(41, 16, 7))
                .node(new MatMulNode("mm", List.of("x", "w"), "h"))
                .node(new ReluNode("relu", "h", "y"))
                .output("y"));
        QuantizedModel m = quantize(g, MAX);
        Graph r = m.realized();
        assertEquals(List.of("Quantize", "QDense", "Dequantize"), ops(r));
        QDenseNode mm = node(r, "mm", QDenseNode.class);
        assertEquals(Shape.of(7, 16), r.type(mm.weight()).shape());
        assertTrue(mm.bias().isEmpty());
        assertEquals(7, mm.requantize().multipliers().size(), "per-channel along the MatMul's output axis");
        assertEquals(DType.U8, mm.requantize().dtype());
        assertAgrees(m, 0.03, 2);
    }

    /** x -> conv1 -> relu1 -> conv2 -> relu2 -> conv3 -> y, all 3x3 with pad 1. */
    static Graph threeConvs() {
        return prepare(new GraphBuilder("three_convs")
                .input("x", TensorType.f32(Shape.DYNAMIC, 2, 6, 6))
                .init("w1", Fixtures.random(31, 4, 2, 3, 3))
                .init("b1", Fixtures.random(32, 4))
                .init("w2", Fixtures.random(33, 4, 4, 3, 3))
                .init("b2", Fixtures.random(34, 4))
                .init("w3", Fixtures.random(35, 3, 4, 3, 3))
                .init("b3", Fixtures.random(36, 3))
                .node(new Conv2dNode("conv1", List.of("x", "w1", "b1"), "c1", pad1(3), 1))
                .node(new ReluNode("relu1", "c1", "r1"))
                .node(new Conv2dNode("conv2", List.of("r1", "w2", "b2"), "c2", pad1(3), 1))
                .node(new ReluNode("relu2", "c2", "r2"))
                .node(new Conv2dNode("conv3", List.of("r2", "w3", "b3"), "y", pad1(3), 1))
                .output("y"));
    }

    @Test
    void aSkippedLayerIsAnFp32IslandBetweenDequantizeAndQuantize() {
        QuantConfig skip = QuantConfigReader.parse(
                "defaults:\n  activation_calibration: max\n" + "layers:\n  - match: conv2\n    skip: true\n",
                "skip.yaml");
        QuantizedModel m = quantize(threeConvs(), skip);
        Graph r = m.realized();
        assertEquals(
                List.of("Quantize", "QConv", "Dequantize", "Conv", "Relu", "Quantize", "QConv", "Dequantize"), ops(r));
        Conv2dNode conv2 = node(r, "conv2", Conv2dNode.class);
        assertTrue(r.producer(conv2.input()).orElseThrow() instanceof DequantizeNode, "Dequantize before the island");
        assertEquals(DType.F32, r.type(conv2.weight()).dtype(), "a skipped layer keeps fp32 weights");
        QConv2dNode conv3 = node(r, "conv3", QConv2dNode.class);
        QuantizeNode back = (QuantizeNode) r.producer(conv3.input()).orElseThrow();
        assertEquals(DType.U8, back.dtype(), "the island ends in a Relu: unsigned");
        assertEquals(DType.F32, r.type(r.node("relu2").output()).dtype());
        assertAgrees(m, 0.03, 2);

        // Without the skip the same graph is integer throughout.
        assertEquals(
                List.of("Quantize", "QConv", "QConv", "QConv", "Dequantize"),
                ops(quantize(threeConvs(), MAX).realized()));
    }

    @Test
    void otherBitWidthsSetTheRangesAndStillAgree() {
        QuantConfig w4a6 = QuantConfigReader.parse(
                "defaults:\n  weight_bits: 4\n  activation_bits: 6\n" + "  activation_calibration: max\n", "w4a6.yaml");
        QuantizedModel m = quantize(threeConvs(), w4a6);
        Graph r = m.realized();
        assertEquals(List.of("Quantize", "QConv", "QConv", "QConv", "Dequantize"), ops(r));
        assertEquals(new IntRange(-31, 31), ((QuantizeNode) r.nodes().get(0)).range());
        assertEquals(
                new IntRange(0, 63),
                node(r, "conv1", QConv2dNode.class).requantize().range());
        assertEquals(
                new IntRange(-31, 31),
                node(r, "conv3", QConv2dNode.class).requantize().range());
        for (String conv : List.of("conv1", "conv2", "conv3")) {
            int[] w = r.constant(node(r, conv, QConv2dNode.class).weight())
                    .orElseThrow()
                    .ints();
            assertTrue(Arrays.stream(w).allMatch(v -> v >= -7 && v <= 7), conv + ": 4-bit weights");
            assertTrue(Arrays.stream(w).anyMatch(v -> Math.abs(v) == 7), conv + ": the largest weight is 7");
        }
        assertAgrees(m, 0.3, 2);

        QuantConfig a16 = QuantConfigReader.parse(
                "defaults:\n  activation_bits: 16\n  activation_calibration: max\n", "a16.yaml");
        QuantizedModel wide = quantize(threeConvs(), a16);
        QConv2dNode conv1 = node(wide.realized(), "conv1", QConv2dNode.class);
        assertEquals(new IntRange(0, 32767), conv1.requantize().range());
        assertEquals(DType.I16, conv1.requantize().dtype());
        assertEquals(DType.I16, wide.realized().type(conv1.input()).dtype());
        assertAgrees(wide, 0.03, 2);
    }

    /** x -> depthwise Conv (stride 2, pad 1) -> Relu -> 1x1 Conv -> y. */
    @Test
    void depthwiseConvolutionQuantizesPerChannel() {
        Graph g = prepare(new GraphBuilder("depthwise")
                .input("x", TensorType.f32(Shape.DYNAMIC, 4, 9, 9))
                .init("wd", Fixtures.random(51, 4, 1, 3, 3))
                .init("bd", Fixtures.random(52, 4))
                .init("wp", Fixtures.random(53, 6, 4, 1, 1))
                .node(new Conv2dNode(
                        "dw", List.of("x", "wd", "bd"), "d", new Window2d(3, 3, 2, 2, 1, 1, 1, 1, 1, 1), 4))
                .node(new ReluNode("relu", "d", "dr"))
                .node(new Conv2dNode("pw", List.of("dr", "wp"), "y", Window2d.of(1, 1), 1))
                .output("y"));
        QuantizedModel m = quantize(g, MAX);
        QConv2dNode dw = node(m.realized(), "dw", QConv2dNode.class);
        assertEquals(4, dw.group());
        assertEquals(4, dw.requantize().multipliers().size());
        assertEquals(DType.U8, dw.requantize().dtype());
        assertAgrees(m, 0.03, 2);
    }
}
