package dev.qtune.compiler.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TensorTest {
    @Test
    void dataLengthMustMatchTheShape() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Tensor.ofFloats(Shape.of(2, 3), new float[5]));
        assertEquals("tensor data length must equal the element count of [2x3] (6), but was 5", e.getMessage());
    }

    @Test
    void shapeMustBeStatic() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofFloats(Shape.of(Shape.DYNAMIC, 3), new float[3]));
    }

    @Test
    void intDataNeedsAnIntegerType() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofInts(DType.F32, Shape.of(1), new int[1]));
        Tensor t = Tensor.ofInts(DType.I8, Shape.of(2), new int[] {-128, 127});
        assertEquals(-128f, t.getFloat(0));
        assertEquals(127L, t.getLong(1));
        assertEquals("i8[2]", t.type().toString());
        assertThrows(IllegalStateException.class, t::floats);
        assertThrows(IllegalStateException.class, () -> Tensor.scalar(1f).ints());
    }

    @Test
    void equalityIsByTypeAndData() {
        Tensor a = Tensor.ofFloats(Shape.of(2), new float[] {1f, 2f});
        assertEquals(a, Tensor.ofFloats(Shape.of(2), new float[] {1f, 2f}));
        assertEquals(
                a.hashCode(), Tensor.ofFloats(Shape.of(2), new float[] {1f, 2f}).hashCode());
        assertNotEquals(a, Tensor.ofFloats(Shape.of(1, 2), new float[] {1f, 2f}));
        assertNotEquals(a, Tensor.ofInts(DType.I32, Shape.of(2), new int[] {1, 2}));
        assertEquals(Shape.of(1, 2), a.reshape(Shape.of(1, 2)).shape());
    }

    @Test
    void integerRanges() {
        assertEquals(-128, DType.I8.min());
        assertEquals(255, DType.U8.max());
        assertEquals((1L << 31) - 1, DType.I32.max());
        assertThrows(IllegalStateException.class, DType.F32::min);
    }
}
