package dev.qtune.compiler.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qtune.compiler.ir.DType;
import org.junit.jupiter.api.Test;

class QuantMathTest {
    private static final IntRange INT8 = IntRange.signed(8);
    private static final IntRange UINT8 = IntRange.unsigned(8);

    @Test
    void quantizeRoundsTiesToEvenAndSaturates() {
        assertEquals(2, QuantMath.quantize(2.5f, 1f, INT8));
        assertEquals(4, QuantMath.quantize(3.5f, 1f, INT8));
        assertEquals(-2, QuantMath.quantize(-2.5f, 1f, INT8));
        assertEquals(127, QuantMath.quantize(1000f, 1f, INT8));
        assertEquals(-127, QuantMath.quantize(-1000f, 1f, INT8));
        assertEquals(0, QuantMath.quantize(-3f, 1f, UINT8));
        assertEquals(255, QuantMath.quantize(Float.POSITIVE_INFINITY, 1f, UINT8));
        assertEquals(0, QuantMath.quantize(Float.NaN, 1f, INT8));
        assertEquals(3, QuantMath.quantize(0.3f, 0.1f, INT8));
    }

    @Test
    void scalesFromThresholds() {
        assertEquals(1f / 127, QuantMath.scale(1.0, 127, false));
        assertEquals(0.015625f, QuantMath.scale(1.0, 127, true)); // 1/127 = 0.00787 rounds up to 2^-6
        assertEquals(0.0078125f, QuantMath.scale(0.99, 127, true)); // 0.0078 rounds up to 2^-7
        assertEquals(0.25f, QuantMath.scale(0.25 * 255, 255, true)); // already a power of two
        assertEquals(1f, QuantMath.scale(0, 127, false)); // all-zero tensor
        assertEquals(1f, QuantMath.scale(Double.POSITIVE_INFINITY, 127, true));
        assertEquals(Math.scalb(1f, -126), QuantMath.scale(Math.scalb(1.0, -126) * 127, 127, false), 1e-45);
    }

    @Test
    void rangesAndStorage() {
        assertEquals(new IntRange(-127, 127), QuantMath.activationRange(8, false));
        assertEquals(new IntRange(0, 255), QuantMath.activationRange(8, true));
        assertEquals(new IntRange(0, 15), QuantMath.activationRange(4, true));
        assertEquals(new IntRange(0, 32767), QuantMath.activationRange(16, true));
        assertEquals(DType.U8, QuantMath.storage(IntRange.unsigned(8)));
        assertEquals(DType.I8, QuantMath.storage(IntRange.signed(4)));
        assertEquals(DType.I16, QuantMath.storage(IntRange.signed(16)));
    }
}
