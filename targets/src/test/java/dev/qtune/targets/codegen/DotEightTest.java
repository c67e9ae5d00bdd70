package dev.qtune.targets.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.ir.AvgPool2dNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.GlobalAvgPoolNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QuantizeNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.TensorType;
import dev.qtune.compiler.ir.ValueInfo;
import dev.qtune.compiler.ir.Window2d;
import dev.qtune.compiler.pass.InferTypesPass;
import dev.qtune.compiler.quant.IntRange;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The input range that decides the 8-bit dot path, with zero points: ranges are storage ranges
 * (the kernels multiply stored integers), widened by the padding value (the convolution's input
 * zero point) and, through an average pool, by the pool's zero point (its result lies between the
 * inputs and the zero point).
 */
class DotEightTest {
    private static final Graph GRAPH = InferTypesPass.infer(new Graph(
            "dot8",
            13,
            List.of(new ValueInfo("x", new TensorType(DType.F32, Shape.of(1, 2, 4, 4)))),
            List.of(new ValueInfo("gap", TensorType.f32())),
            Map.of(),
            List.<Node>of(
                    new QuantizeNode("q8", List.of("x"), "q8", 0.1f, DType.I8, new IntRange(-127, 0), 100),
                    new QuantizeNode("u8", List.of("x"), "u8", 0.1f, DType.U8, new IntRange(0, 100), 200),
                    new AvgPool2dNode(
                            "avg", List.of("u8"), "avg", new Window2d(3, 3, 1, 1, 1, 1, 1, 1, 1, 1), false, true, 200),
                    new GlobalAvgPoolNode("gap", List.of("u8"), "gap", 200),
                    new QuantizeNode("sym", List.of("x"), "sym", 0.1f, DType.U8, IntRange.unsigned(8), 0)),
            Map.of(),
            Set.of()));

    @Test
    void anI8InputIsOffsetBy128AndItsPaddingCounts() {
        assertEquals(Optional.of(new IntRange(1, 128)), DotEight.inputRange(GRAPH, "q8", -127));
        assertEquals(Optional.of(new IntRange(1, 228)), DotEight.inputRange(GRAPH, "q8", 100));
    }

    @Test
    void averagePoolsReachTheirZeroPoint() {
        assertEquals(Optional.of(new IntRange(0, 200)), DotEight.inputRange(GRAPH, "avg", 0));
        assertEquals(Optional.of(new IntRange(0, 200)), DotEight.inputRange(GRAPH, "gap", 0));
    }

    @Test
    void aSymmetricInputKeepsItsRange() {
        assertEquals(Optional.of(IntRange.unsigned(8)), DotEight.inputRange(GRAPH, "sym", 0));
    }

    @Test
    void thePaddingValueCanRuleTheEightBitDotOut() {
        int[] weights = {100, 100}; // one output, two input channels, one tap: pair sum 200
        assertTrue(DotEight.exact(weights, 1, 2, 1, 1, 4, DotEight.inputRange(GRAPH, "q8", -127))); // 128 * 200
        assertFalse(DotEight.exact(weights, 1, 2, 1, 1, 4, DotEight.inputRange(GRAPH, "q8", 100))); // 228 * 200
    }

    @Test
    void nineBitWeightsNeverTakeTheEightBitDot() {
        // A pre-quantized model's uint8 weights less their zero point: 200 fits no int8, however
        // small the input (4-bit: 15 * 200 would keep the pair sums exact).
        Optional<IntRange> fourBit = Optional.of(IntRange.unsigned(4));
        assertTrue(DotEight.exact(new int[] {127, -128}, 1, 2, 1, 1, 4, fourBit));
        assertFalse(DotEight.exact(new int[] {200, 0}, 1, 2, 1, 1, 4, fourBit));
        assertFalse(DotEight.exact(new int[] {0, -129}, 1, 2, 1, 1, 4, fourBit));
    }

    @Test
    void vpdpbusdIsExactForEveryEightBitInputAndInt8Weight() {
        // 255 * (127 + 127) would saturate vpmaddubsw's int16 pair sum; vpdpbusd has none.
        int[] full = {127, 127, -128, -128};
        Optional<IntRange> u8 = Optional.of(IntRange.unsigned(8));
        assertFalse(DotEight.exact(full, 1, 4, 1, 1, 4, u8));
        assertTrue(DotEight.exactVnni(full, u8));
        assertFalse(DotEight.exactVnni(new int[] {200}, u8), "9-bit weights");
        assertFalse(DotEight.exactVnni(full, Optional.empty()), "16-bit input");
        assertFalse(DotEight.exactVnni(full, Optional.of(new IntRange(0, 256))), "input beyond 8 bits");
    }

    @Test
    void theCompactLayoutPairsNeighbouringTaps() {
        // One input channel, a 1x3 kernel: the padded layout pairs the channel with a zero one, the
        // compact one pairs taps 0 and 1 (200 * (100 + 100) > 32767), as LeNet's first layer did.
        int[] weights = {100, 100, 0};
        Optional<IntRange> input = Optional.of(new IntRange(0, 200));
        assertTrue(DotEight.exact(weights, 1, 1, 1, 3, 4, input), "padded: stride 4");
        assertFalse(DotEight.exact(weights, 1, 1, 1, 3, 1, input), "compact: stride 1");
        assertTrue(DotEight.exact(new int[] {100, 0, 100}, 1, 1, 1, 3, 1, input));
    }
}
