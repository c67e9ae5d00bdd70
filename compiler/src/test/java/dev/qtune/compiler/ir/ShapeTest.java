package dev.qtune.compiler.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.QtuneException;
import org.junit.jupiter.api.Test;

class ShapeTest {
    @Test
    void staticShapeArithmetic() {
        Shape s = Shape.of(2, 3, 4, 5);
        assertEquals(4, s.rank());
        assertEquals(120, s.numel());
        assertEquals(12, s.product(1, 3));
        assertEquals(1, s.product(2, 2));
        assertTrue(s.isStatic());
        assertEquals("[2x3x4x5]", s.toString());
        assertEquals(Shape.of(2, 7, 4, 5), s.withDim(1, 7));
        assertEquals(Shape.of(2, 3, 4, 5), s, "withDim returns a new shape");
    }

    @Test
    void scalarShapeHasOneElement() {
        assertEquals(0, Shape.of().rank());
        assertEquals(1, Shape.of().numel());
        assertEquals("[]", Shape.of().toString());
    }

    @Test
    void dynamicBatch() {
        Shape s = Shape.of(Shape.DYNAMIC, 1, 28, 28);
        assertFalse(s.isStatic());
        assertEquals("[?x1x28x28]", s.toString());
        assertEquals(Shape.DYNAMIC, s.product(0, 2));
        assertEquals(784, s.product(1, 4));
        assertEquals(Shape.of(8, 1, 28, 28), s.bind(8));
        assertThrows(IllegalStateException.class, s::numel);
    }

    @Test
    void rejectsNegativeDimensionsNamingTheAxis() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.of(3, -2));
        assertEquals("shape dimension 1 must be >= 0 or DYNAMIC, but was -2", e.getMessage());
    }

    @Test
    void isImmutable() {
        int[] dims = {2, 3};
        Shape s = Shape.of(dims);
        dims[0] = 9;
        s.dims()[1] = 9;
        assertArrayEquals(new int[] {2, 3}, s.dims());
        assertNotEquals(Shape.of(3, 2), s);
        assertEquals(Shape.of(2, 3).hashCode(), s.hashCode());
    }

    @Test
    void tooManyElementsIsAnError() {
        QtuneException e =
                assertThrows(QtuneException.class, () -> Shape.of(65536, 65536).numel());
        assertEquals(
                "shape [65536x65536] must have fewer than 2^31 elements (a tensor or a row of it that large cannot"
                        + " be held in memory)",
                e.getMessage());
    }

    @Test
    void aProductOverHugeChannelsDoesNotOverflow() {
        // a Flatten over 1e9 channels of 4x4 (issue 17) wrapped around to a negative int
        assertThrows(
                QtuneException.class, () -> Shape.of(1, 1_000_000_000, 4, 4).product(1, 4));
    }
}
