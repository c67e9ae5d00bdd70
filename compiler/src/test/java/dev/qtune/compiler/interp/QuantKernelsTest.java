package dev.qtune.compiler.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.DequantizeNode;
import dev.qtune.compiler.ir.QuantizeNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.SoftmaxNode;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.quant.IntRange;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Quantize (float32 division, ties to even, saturation, NaN to 0) and Dequantize (one float32 product). */
class QuantKernelsTest {
    private static int[] quantize(float[] x, float scale, IntRange range, DType dtype) {
        Tensor y = IntReference.run(
                new QuantizeNode("q", List.of("x"), "y", scale, dtype, range), Tensor.ofFloats(Shape.of(x.length), x));
        assertEquals(dtype, y.dtype());
        return y.ints();
    }

    /** The page's q = clamp(rint(x / s)): the float32 quotient rounded half to even as an exact decimal. */
    private static int reference(float x, float s, IntRange range) {
        float r = x / s;
        if (Float.isNaN(r)) {
            return 0;
        }
        if (Float.isInfinite(r)) {
            return r > 0 ? range.max() : range.min();
        }
        BigDecimal q = new BigDecimal(r).setScale(0, RoundingMode.HALF_EVEN);
        return IntReference.clamp(
                q.max(BigDecimal.valueOf(Long.MIN_VALUE))
                        .min(BigDecimal.valueOf(Long.MAX_VALUE))
                        .longValue(),
                range);
    }

    @Test
    void quantizeRoundsTiesToEven() {
        // scale 0.5: x / s = 2.5, 3.5, -2.5, -3.5, 0.5, -0.5, 1.5, 2.4999998 (not a tie)
        float[] x = {1.25f, 1.75f, -1.25f, -1.75f, 0.25f, -0.25f, 0.75f, Math.nextDown(1.25f)};
        assertArrayEquals(new int[] {2, 4, -2, -4, 0, 0, 2, 2}, quantize(x, 0.5f, IntRange.signed(8), DType.I8));
    }

    @Test
    void quantizeSaturatesToTheSymmetricRangeAndMapsNanToZero() {
        float[] x = {
            1000f,
            -1000f,
            63.5f,
            -63.5f,
            63.75f,
            -63.75f,
            Float.NaN,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            3e38f
        };
        // scale 0.5: 63.5 -> 127, 63.75 -> 127.5 -> 128 -> clamped to 127; -128 never occurs.
        assertArrayEquals(
                new int[] {127, -127, 127, -127, 127, -127, 0, 127, -127, 127},
                quantize(x, 0.5f, IntRange.signed(8), DType.I8));
        assertArrayEquals(
                new int[] {255, 0, 127, 0, 128, 0, 0, 255, 0, 255}, quantize(x, 0.5f, IntRange.unsigned(8), DType.U8));
        assertArrayEquals(
                new int[] {7, -7, 7, -7, 7, -7, 0, 7, -7, 7}, quantize(x, 0.5f, IntRange.signed(4), DType.I8));
    }

    @Test
    void quantizeDividesInFloat32() {
        // 0.4041581f / 0.042542957f is 9.4999999... exactly (and in double), but 9.5 in float32, which ties to 10.
        float x = 0.4041581f;
        float s = 0.042542957f;
        assertEquals(9.5f, x / s);
        assertTrue((double) x / s < 9.5);
        assertArrayEquals(new int[] {10, -10}, quantize(new float[] {x, -x}, s, IntRange.signed(8), DType.I8));
    }

    @Test
    void quantizeMatchesTheDefinitionOnRandomValues() {
        float[] x = Fixtures.uniform(9, 5000, -3f, 3f);
        for (float scale : new float[] {0.0123f, 1f / 64, 0.5f, 0.007f}) {
            int[] q = quantize(x, scale, IntRange.signed(8), DType.I8);
            int[] u = quantize(x, scale, IntRange.unsigned(8), DType.U8);
            for (int i = 0; i < x.length; i++) {
                assertEquals(reference(x[i], scale, IntRange.signed(8)), q[i], "x = " + x[i] + ", s = " + scale);
                assertEquals(reference(x[i], scale, IntRange.unsigned(8)), u[i], "x = " + x[i] + ", s = " + scale);
            }
        }
        // Power-of-two scale and values on the half grid: every other one is a tie.
        float[] halves = new float[200];
        for (int i = 0; i < halves.length; i++) {
            halves[i] = (i - 100) / 128f;
        }
        int[] q = quantize(halves, 1f / 64, IntRange.signed(8), DType.I8);
        for (int i = 0; i < halves.length; i++) {
            assertEquals(reference(halves[i], 1f / 64, IntRange.signed(8)), q[i]);
            assertTrue(Math.abs(q[i]) % 2 == 0 || (i - 100) % 2 == 0, "a tie rounded to odd at " + halves[i]);
        }
    }

    @Test
    void dequantizeIsOneFloat32Product() {
        int[] q = IntReference.ints(3, 1000, -127, 255);
        for (float scale : new float[] {0.0123f, 0.1f, 1f / 3, 7.5e-5f}) {
            Tensor y = IntReference.run(
                    new DequantizeNode("dq", List.of("x"), "y", scale), IntReference.tensor(DType.I16, q, 10, 100));
            assertEquals(DType.F32, y.dtype());
            assertArrayEquals(new int[] {10, 100}, y.shape().dims());
            for (int i = 0; i < q.length; i++) {
                // The double product of two 24-bit significands is exact; one rounding to float32.
                assertEquals((float) ((double) q[i] * (double) scale), y.floats()[i], 0f);
            }
        }
        Tensor y = IntReference.run(
                new DequantizeNode("dq", List.of("x"), "y", 0.25f),
                IntReference.tensor(DType.U8, new int[] {0, 1, 255}, 3));
        assertArrayEquals(new float[] {0f, 0.25f, 63.75f}, y.floats());
    }

    @Test
    void anIntegerInputWithoutAnIntegerKernelIsNamed() {
        Executable run = () -> IntReference.run(
                new SoftmaxNode("sm", List.of("x"), "y", 1), IntReference.tensor(DType.I8, new int[] {1, 2}, 1, 2));
        QtuneException e = Assertions.assertThrows(QtuneException.class, run);
        assertEquals("Softmax node 'sm' has an integer input but no integer kernel", e.getMessage());
    }
}
