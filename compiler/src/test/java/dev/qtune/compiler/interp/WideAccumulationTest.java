package dev.qtune.compiler.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.QDenseNode;
import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.Window2d;
import dev.qtune.compiler.quant.IntRange;
import dev.qtune.compiler.quant.Rounding;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** 16-bit activations: sums that overflow int32 are accumulated exactly in int64. */
class WideAccumulationTest {
    @Test
    void theDecisionFollowsTheWorstCase() {
        assertFalse(WideAccumulation.needed(1152, DType.U8, new int[] {127, -127}, new int[] {1000}));
        assertTrue(WideAccumulation.needed(1152, DType.I16, new int[] {127, -127}, null));
        assertFalse(WideAccumulation.needed(100, DType.I16, new int[] {127}, null));
    }

    @Test
    void theBoundIsPerOutputRow() {
        // 576 weights per output: the largest is 127, but their magnitudes sum to 576 * 40.
        int k = 576;
        int[] w = new int[2 * k];
        Arrays.fill(w, 40);
        w[0] = 127;
        w[k] = -127;
        assertFalse(
                WideAccumulation.needed(k, DType.I16, w, new int[] {1000, -1000}),
                "32768 * sum|w| + |b| fits int32 although 576 * 32768 * 127 does not");
        Arrays.fill(w, k, 2 * k, 120);
        assertTrue(WideAccumulation.needed(k, DType.I16, w, null), "the second output's row does not fit");
    }

    @Test
    void sixteenBitConvolutionIsExactWhereInt32WouldOverflow() {
        int c = 64;
        int oc = 3;
        int k = c * 9;
        // All inputs at +32767 and all weights at +127: the sum 576 * 32767 * 127 is far past 2^31.
        int[] x = new int[c * 4 * 4];
        Arrays.fill(x, 32767);
        int[] w = IntReference.ints(7, oc * k, 120, 128);
        Requantize rq = IntReference.requantize(
                IntReference.multipliers(3, oc, "tiny"), Rounding.UPWARD, IntRange.signed(16), DType.I16);
        QConv2dNode conv = new QConv2dNode("conv", List.of("x", "w"), "y", Window2d.of(3, 3), 1, rq);
        Tensor y = IntReference.run(
                conv,
                Map.of("x", IntReference.tensor(DType.I16, x, 1, c, 4, 4)),
                Map.of("w", IntReference.tensor(DType.I8, w, oc, c, 3, 3)));
        int[] expected = new int[oc * 2 * 2];
        for (int o = 0; o < oc; o++) {
            long acc = 0;
            for (int i = 0; i < k; i++) {
                acc += 32767L * w[o * k + i];
            }
            assertTrue(acc > Integer.MAX_VALUE, "the test must overflow int32");
            for (int p = 0; p < 4; p++) {
                expected[o * 4 + p] = IntReference.requantize(acc, rq, o);
            }
        }
        assertArrayEquals(expected, y.ints());
    }

    @Test
    void sixteenBitDenseIsExactWhereInt32WouldOverflow() {
        int k = 1000;
        int[] x = IntReference.ints(11, 2 * k, -32767, 32768);
        int[] w = IntReference.ints(12, 4 * k, -127, 128);
        int[] b = IntReference.ints(13, 4, -100000, 100000);
        Requantize rq = IntReference.requantize(
                IntReference.multipliers(5, 4, "tiny"), Rounding.TONEAREST, IntRange.signed(16), DType.I16);
        QDenseNode dense = new QDenseNode("fc", List.of("x", "w", "b"), "y", rq);
        Tensor y = IntReference.run(
                dense,
                Map.of("x", IntReference.tensor(DType.I16, x, 2, k)),
                Map.of("w", IntReference.tensor(DType.I8, w, 4, k), "b", IntReference.tensor(DType.I32, b, 4)));
        int[] expected = new int[8];
        for (int r = 0; r < 2; r++) {
            for (int o = 0; o < 4; o++) {
                long acc = b[o];
                for (int i = 0; i < k; i++) {
                    acc += (long) x[r * k + i] * w[o * k + i];
                }
                expected[r * 4 + o] = IntReference.requantize(acc, rq, o);
            }
        }
        assertArrayEquals(expected, y.ints());
    }
}
