package dev.qtune.compiler.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Window2dTest {
    private static Window2d window(int k, int s, int padBegin, int padEnd, int d) {
        return new Window2d(k, k, s, s, padBegin, padBegin, padEnd, padEnd, d, d);
    }

    /** Output sizes as PyTorch / ONNX give them (values checked by hand against the ONNX formula). */
    @ParameterizedTest(name = "in={0} k={1} s={2} pads={3},{4} d={5} ceil={6} -> {7}")
    @CsvSource({
        // in, k, s, padBegin, padEnd, dilation, ceil, expected
        "28, 5, 1, 2, 2, 1, false, 28", // lenet conv1
        "14, 5, 1, 0, 0, 1, false, 10", // lenet conv2
        "28, 2, 2, 0, 0, 1, false, 14", // 2x2 max pool
        "28, 3, 2, 1, 1, 1, false, 14", // resnet stride-2 conv
        "14, 3, 2, 1, 1, 1, false, 7",
        "14, 1, 2, 0, 0, 1, false, 7", // 1x1 stride-2 shortcut
        "5, 2, 2, 0, 0, 1, false, 2",
        "5, 2, 2, 0, 0, 1, true, 3", // ceil keeps the overhanging window
        "6, 3, 2, 1, 1, 1, false, 3",
        "6, 3, 2, 1, 1, 1, true, 4",
        "3, 2, 2, 1, 1, 1, true, 2", // ceil window would start in the right pad: dropped
        "4, 2, 2, 1, 1, 1, true, 3",
        "10, 3, 1, 0, 0, 2, false, 6", // dilation 2: span 5
        "7, 3, 2, 2, 2, 2, true, 4",
        "2, 3, 1, 0, 0, 1, false, 0", // window larger than the input
        "1, 1, 1, 0, 0, 1, true, 1",
        // asymmetric pads: the right-pad rule uses the begin pad, not half the total
        "4, 2, 2, 1, 0, 1, true, 3", // last window starts at row 3, inside the input
        "4, 2, 2, 1, 0, 1, false, 2",
        "3, 2, 2, 0, 1, 1, true, 2",
        "3, 2, 2, 0, 2, 1, true, 2", // third window would start at row 4, in the right pad
        "5, 3, 2, 2, 0, 1, true, 3",
    })
    void outputSize(int in, int k, int s, int padBegin, int padEnd, int d, boolean ceil, int expected) {
        Window2d w = window(k, s, padBegin, padEnd, d);
        assertEquals(expected, w.outHeight(in, ceil), "height");
        assertEquals(expected, w.outWidth(in, ceil), "width");
    }

    @Test
    void heightAndWidthUseTheirOwnParameters() {
        Window2d w = new Window2d(3, 1, 2, 1, 1, 0, 1, 0, 1, 1);
        assertEquals(14, w.outHeight(28, false));
        assertEquals(28, w.outWidth(28, false));
    }

    @Test
    void rejectsNonPositiveKernelStrideDilationAndNegativePads() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Window2d(0, 3, 1, 1, 0, 0, 0, 0, 1, 1))
                .getMessage()
                .contains("kernel must be >= 1, but was 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Window2d(3, 3, 1, 0, 0, 0, 0, 0, 1, 1))
                .getMessage()
                .contains("stride must be >= 1, but was 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Window2d(3, 3, 1, 1, 0, 0, 0, 0, 1, -1))
                .getMessage()
                .contains("dilation must be >= 1, but was -1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Window2d(3, 3, 1, 1, 0, -2, 0, 0, 1, 1))
                .getMessage()
                .contains("pad must be >= 0, but was -2"));
    }

    @Test
    void printsItsParameters() {
        assertEquals("k3x3 s2x2 p1,1,1,1", window(3, 2, 1, 1, 1).toString());
        assertEquals("k3x3 s1x1 p0,0,0,0 d2x2", window(3, 1, 0, 0, 2).toString());
    }
}
