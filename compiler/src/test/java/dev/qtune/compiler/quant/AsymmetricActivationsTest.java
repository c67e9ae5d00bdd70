package dev.qtune.compiler.quant;

import static dev.qtune.compiler.quant.QuantTestSupport.node;
import static dev.qtune.compiler.quant.QuantTestSupport.nodes;
import static dev.qtune.compiler.quant.QuantTestSupport.pad1;
import static dev.qtune.compiler.quant.QuantTestSupport.perSample;
import static dev.qtune.compiler.quant.QuantTestSupport.prepare;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.Fixtures.GraphBuilder;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.interp.IntegerInterpreter;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.DequantizeNode;
import dev.qtune.compiler.ir.FlattenNode;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.GlobalAvgPoolNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.QuantRole;
import dev.qtune.compiler.ir.QuantizeNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.ir.TensorType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code activation_mode: asymmetric}: activations that may be negative are unsigned with a zero
 * point over their clipping range, as PyTorch's affine quint8 activations; the integer graph runs
 * them as it runs an imported QDQ model's, and agrees with the simulated graph.
 */
class AsymmetricActivationsTest {
    private static final QuantConfig SYMMETRIC =
            QuantConfigReader.parse("defaults:\n  activation_calibration: max\n", "sym.yaml");
    private static final QuantConfig ASYMMETRIC = QuantConfigReader.parse(
            "defaults:\n  activation_calibration: max\n  activation_mode: asymmetric\n", "asym.yaml");
    /** A skewed input range, as a normalised image: more room above zero than below. */
    private static final float LO = -0.3f;

    private static final float HI = 1f;

    /** x -> Conv(3x3, pad 1, bias) -> GlobalAveragePool -> Flatten -> Gemm -> y, nothing non-negative. */
    static Graph convPoolDense() {
        return prepare(new GraphBuilder("conv_pool_dense")
                .input("x", TensorType.f32(Shape.DYNAMIC, 3, 8, 8))
                .init("w", Fixtures.random(31, 4, 3, 3, 3))
                .init("b", Fixtures.random(32, 4))
                .init("w2", Fixtures.random(33, 5, 4))
                .init("b2", Fixtures.random(34, 5))
                .node(new Conv2dNode("conv", List.of("x", "w", "b"), "c", pad1(3), 1))
                .node(new GlobalAvgPoolNode("gap", "c", "g"))
                .node(new FlattenNode("flat", List.of("g"), "f", 1))
                .node(new GemmNode("fc", List.of("f", "w2", "b2"), "y", 1f, 1f, false, true))
                .output("y"));
    }

    private static QuantizedModel quantize(Graph fp32, QuantConfig config) {
        int per = perSample(fp32);
        int n = QuantTestSupport.CALIBRATION;
        float[] data = Fixtures.uniform(5, n * per, LO, HI);
        BatchSource source = (start, count) -> Arrays.copyOfRange(data, start * per, (start + count) * per);
        CalibrationStats stats = new CalibrationStats(
                fp32.name(), "skewed", n, StatsCollector.collect(new Fp32Interpreter(fp32), n, source, 2));
        return QuantizedModel.of(fp32, config, stats);
    }

    @Test
    void pointOfASkewedRangeUsesAllLevels() {
        // PyTorch's affine quint8 over [-0.81, 2.02]: s = 2.83 / 255, z = rint(0.81 / s) = 73.
        QuantizeCalibratePass.ActivationPoint p =
                QuantizeCalibratePass.asymmetricPoint(-0.81, 2.02, IntRange.unsigned(8), false);
        assertEquals((float) (2.83 / 255), p.scale());
        assertEquals(73, p.zeroPoint());
        assertEquals(
                0,
                QuantizeCalibratePass.asymmetricPoint(-1e-9, 2, IntRange.unsigned(8), false)
                        .zeroPoint());
        assertEquals(
                255,
                QuantizeCalibratePass.asymmetricPoint(-2, 0, IntRange.unsigned(8), false)
                        .zeroPoint());
        // power2: the scale rounded up to a power of two, the zero point from that scale
        QuantizeCalibratePass.ActivationPoint p2 =
                QuantizeCalibratePass.asymmetricPoint(-0.81, 2.02, IntRange.unsigned(8), true);
        assertEquals(0.015625f, p2.scale());
        assertEquals(52, p2.zeroPoint());
    }

    @Test
    void valuesThatMayBeNegativeBecomeUnsignedWithAZeroPoint() {
        QuantizedModel m = quantize(convPoolDense(), ASYMMETRIC);
        Graph r = m.realized();
        QuantizeNode qx = nodes(r, QuantizeNode.class).get(0);
        assertEquals(DType.U8, qx.dtype());
        assertEquals(IntRange.unsigned(8), qx.range());
        // max calibration: [LO, HI] observed (up to the sampling), z = rint(0.3 / s) with s = 1.3 / 255
        assertEquals(59, qx.zeroPoint(), 1);
        QConv2dNode conv = node(r, "conv", QConv2dNode.class);
        assertEquals(qx.zeroPoint(), conv.inputZeroPoint(), "padding reads the input's zero point");
        assertEquals(DType.U8, conv.requantize().dtype());
        assertNotEquals(0, conv.requantize().zeroPoint());
        GlobalAvgPoolNode gap = node(r, "gap", GlobalAvgPoolNode.class);
        assertEquals(conv.requantize().zeroPoint(), gap.zeroPoint(), "the pool averages around the conv's zero point");
        SimQuantizeNode inherited =
                (SimQuantizeNode) m.simulated().consumers("g").get(0);
        assertEquals(QuantRole.INHERIT, inherited.spec().role());
        assertEquals(
                conv.requantize().zeroPoint(),
                inherited.spec().zeroPoint(),
                "an inherited point simulates its source's zero point too");
    }

    @Test
    void integerGraphAgreesWithTheSimulatedGraph() {
        QuantizedModel m = quantize(convPoolDense(), ASYMMETRIC);
        int n = QuantTestSupport.TEST;
        float[] x = Fixtures.uniform(99, n * perSample(m.fp32()), LO, HI);
        float[] sim = new Fp32Interpreter(m.simulated()).run(x, n).floats();
        float[] q = new IntegerInterpreter(m.realized()).run(x, n).floats();
        float lsb = ((DequantizeNode) m.realized().producer("y").orElseThrow()).scale();
        for (int i = 0; i < q.length; i++) {
            assertTrue(Math.abs(q[i] - sim[i]) <= 2 * lsb + 1e-6, "element " + i + ": " + q[i] + " vs " + sim[i]);
        }
    }

    @Test
    void skewedInputIsQuantizedMoreFinelyThanSymmetrically() {
        // symmetric: step 1 / 127 over [-1, 1]; asymmetric: 1.3 / 255, so (0.0051 / 0.0079)^2 = 0.42 of the error
        double symmetric = inputError(quantize(convPoolDense(), SYMMETRIC));
        double asymmetric = inputError(quantize(convPoolDense(), ASYMMETRIC));
        assertTrue(asymmetric < 0.5 * symmetric, "squared error " + asymmetric + " (asymmetric) vs " + symmetric);
    }

    /** Sum of squared differences of the quantized input, (q - z) * s, from the input, on skewed test inputs. */
    private static double inputError(QuantizedModel m) {
        int n = QuantTestSupport.TEST;
        float[] x = Fixtures.uniform(98, n * perSample(m.fp32()), LO, HI);
        QuantizeNode qx = nodes(m.realized(), QuantizeNode.class).get(0);
        double[] sum = new double[1];
        new IntegerInterpreter(m.realized()).run(x, n, (name, t) -> {
            if (name.equals(qx.output())) {
                int[] q = t.ints();
                for (int i = 0; i < q.length; i++) {
                    double e = x[i] - (double) (q[i] - qx.zeroPoint()) * qx.scale();
                    sum[0] += e * e;
                }
            }
        });
        return sum[0];
    }
}
