package dev.qtune.evaluator.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import org.junit.jupiter.api.Test;

class LayerErrorsTest {
    @Test
    void outputWithAZeroPointIsDequantizedAroundIt() {
        // reals -1, 0, 2 at scale 0.5, zero point 100: integers 98, 100, 104, exact.
        Tensor ref = Tensor.ofFloats(Shape.of(3), new float[] {-1, 0, 2});
        Tensor q = Tensor.ofInts(DType.U8, Shape.of(3), new int[] {98, 100, 104});
        assertEquals(Double.POSITIVE_INFINITY, LayerErrors.db(ref, q, 0.5f, 100).getAsDouble());
        // one step off at the last value: noise 0.25, signal 5
        Tensor off = Tensor.ofInts(DType.U8, Shape.of(3), new int[] {98, 100, 105});
        assertEquals(
                10 * Math.log10(5 / 0.25), LayerErrors.db(ref, off, 0.5f, 100).getAsDouble(), 1e-9);
    }
}
