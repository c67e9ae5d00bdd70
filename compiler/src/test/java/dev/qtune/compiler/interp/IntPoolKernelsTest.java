package dev.qtune.compiler.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.ir.AvgPool2dNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.GlobalAvgPoolNode;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.Window2d;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Integer MaxPool, AveragePool and GlobalAveragePool: max of the window's integers (padding never
 * wins), and averages as the exact quotient rounded half away from zero (BigDecimal HALF_UP here).
 */
class IntPoolKernelsTest {
    /** Floor or ceil of (in + pads - span) / stride, plus one; in ceil mode a window starting in the end pad is dropped. */
    static int outSize(int in, int k, int s, int padBegin, int padEnd, int d, boolean ceil) {
        int num = in + padBegin + padEnd - (d * (k - 1) + 1);
        int out = (ceil ? Math.floorDiv(num + s - 1, s) : Math.floorDiv(num, s)) + 1;
        if (ceil && (out - 1) * s >= in + padBegin) {
            out--;
        }
        return out;
    }

    /** round(p / q) with ties away from zero, from the exact rational. */
    static int roundHalfAway(long p, long q) {
        return new BigDecimal(p)
                .divide(new BigDecimal(q), 0, RoundingMode.HALF_UP)
                .intValueExact();
    }

    static int[] reference(
            int[] x, int n, int c, int h, int w, Window2d win, boolean ceil, boolean max, boolean countPad) {
        int ho = outSize(h, win.kernelH(), win.strideH(), win.padTop(), win.padBottom(), win.dilationH(), ceil);
        int wo = outSize(w, win.kernelW(), win.strideW(), win.padLeft(), win.padRight(), win.dilationW(), ceil);
        int[] y = new int[n * c * ho * wo];
        for (int p = 0; p < n * c; p++) {
            for (int oy = 0; oy < ho; oy++) {
                for (int ox = 0; ox < wo; ox++) {
                    int best = Integer.MIN_VALUE;
                    long sum = 0;
                    int inside = 0;
                    int positions = 0;
                    for (int ky = 0; ky < win.kernelH(); ky++) {
                        for (int kx = 0; kx < win.kernelW(); kx++) {
                            int iy = oy * win.strideH() - win.padTop() + ky * win.dilationH();
                            int ix = ox * win.strideW() - win.padLeft() + kx * win.dilationW();
                            if (iy >= -win.padTop()
                                    && iy < h + win.padBottom()
                                    && ix >= -win.padLeft()
                                    && ix < w + win.padRight()) {
                                positions++;
                            }
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                continue;
                            }
                            int v = x[(p * h + iy) * w + ix];
                            best = Math.max(best, v);
                            sum += v;
                            inside++;
                        }
                    }
                    y[(p * ho + oy) * wo + ox] = max ? best : roundHalfAway(sum, countPad ? positions : inside);
                }
            }
        }
        return y;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // label | N | C | H | W | k | s | pt | pl | pb | pr | ceil | countIncludePad | dtype
                "2x2 s2 (lenet)             | 2 | 3 | 8  | 8  | 2 | 2 | 0 | 0 | 0 | 0 | false | false | i8",
                "2x2 s2 u8                  | 2 | 3 | 8  | 8  | 2 | 2 | 0 | 0 | 0 | 0 | false | false | u8",
                "odd input ceil             | 1 | 2 | 5  | 7  | 2 | 2 | 0 | 0 | 0 | 0 | true  | false | i8",
                "3x3 s2 pad 1               | 5 | 3 | 7  | 7  | 3 | 2 | 1 | 1 | 1 | 1 | false | false | i8",
                "3x3 s2 pad 1 pads in       | 5 | 3 | 7  | 7  | 3 | 2 | 1 | 1 | 1 | 1 | false | true  | i8",
                "3x3 s2 pad 1 ceil pads in  | 5 | 3 | 6  | 6  | 3 | 2 | 1 | 1 | 1 | 1 | true  | true  | i8",
                "2x2 s1 pad 1 pads in       | 2 | 2 | 5  | 6  | 2 | 1 | 1 | 1 | 1 | 1 | false | true  | i8",
                "2x2 s2 ceil pads in        | 1 | 2 | 5  | 5  | 2 | 2 | 0 | 0 | 0 | 0 | true  | true  | i8",
                "asymmetric pads            | 1 | 2 | 6  | 5  | 3 | 2 | 0 | 1 | 2 | 1 | false | false | i8",
                "asymmetric pads pads in    | 1 | 2 | 6  | 5  | 4 | 2 | 0 | 1 | 2 | 1 | false | true  | i8",
                "asymmetric end pad ceil    | 1 | 2 | 5  | 5  | 2 | 2 | 0 | 0 | 1 | 1 | true  | true  | u8",
                "3x3 s3 ceil overhang       | 2 | 1 | 10 | 11 | 3 | 3 | 1 | 1 | 1 | 1 | true  | true  | i8",
            })
    void maxAndAveragePoolMatchTheDefinition(
            String label,
            int n,
            int c,
            int h,
            int w,
            int k,
            int s,
            int pt,
            int pl,
            int pb,
            int pr,
            boolean ceil,
            boolean countPad,
            String type) {
        Window2d win = new Window2d(k, k, s, s, pt, pl, pb, pr, 1, 1);
        DType dtype = type.equals("u8") ? DType.U8 : DType.I8;
        int size = n * c * h * w;
        int[] x = dtype == DType.U8
                ? IntReference.ints(label.hashCode(), size, 0, 255)
                : IntReference.ints(label.hashCode(), size, -127, 127);
        Tensor xt = IntReference.tensor(dtype, x, n, c, h, w);
        int ho = outSize(h, k, s, pt, pb, 1, ceil);
        int wo = outSize(w, k, s, pl, pr, 1, ceil);

        Tensor avg = IntReference.run(new AvgPool2dNode("ap", List.of("x"), "y", win, ceil, countPad), xt);
        assertEquals(dtype, avg.dtype());
        assertArrayEquals(new int[] {n, c, ho, wo}, avg.shape().dims());
        assertArrayEquals(reference(x, n, c, h, w, win, ceil, false, countPad), avg.ints(), label + " avg");

        // All-negative inputs for max: a padded zero that wrongly took part would win.
        int[] neg = dtype == DType.U8 ? x : IntReference.ints(label.hashCode() + 1, size, -127, -1);
        Tensor max = IntReference.run(
                new MaxPool2dNode("mp", List.of("x"), "y", win, ceil), IntReference.tensor(dtype, neg, n, c, h, w));
        assertEquals(dtype, max.dtype());
        assertArrayEquals(reference(neg, n, c, h, w, win, ceil, true, false), max.ints(), label + " max");
    }

    @Test
    void randomAveragesIncludeTiesInBothDirections() {
        // The 2x2 s2 case above must actually exercise ties of both signs (sum = 2 mod 4), or it proves little.
        int[] x = IntReference.ints("2x2 s2 (lenet)".hashCode(), 2 * 3 * 8 * 8, -127, 127);
        int[] y = reference(x, 2, 3, 8, 8, new Window2d(2, 2, 2, 2, 0, 0, 0, 0, 1, 1), false, false, false);
        int positiveTies = 0;
        int negativeTies = 0;
        for (int p = 0; p < 6; p++) {
            for (int oy = 0; oy < 4; oy++) {
                for (int ox = 0; ox < 4; ox++) {
                    int b = p * 64 + oy * 16 + ox * 2;
                    long sum = (long) x[b] + x[b + 1] + x[b + 8] + x[b + 9];
                    if (Math.floorMod(sum, 4) == 2) {
                        positiveTies += sum > 0 ? 1 : 0;
                        negativeTies += sum < 0 ? 1 : 0;
                        assertEquals(Math.signum(sum) * (Math.abs(sum) + 2) / 4, y[p * 16 + oy * 4 + ox], 0.0);
                    }
                }
            }
        }
        assertTrue(
                positiveTies > 0 && negativeTies > 0,
                "ties: " + positiveTies + " positive, " + negativeTies + " negative");
    }

    @Test
    void maxPoolWithDilationAndPads() {
        Window2d win = new Window2d(3, 3, 1, 2, 2, 2, 2, 1, 2, 2);
        int[] x = IntReference.ints(5, 2 * 7 * 6, -127, -1);
        Tensor y = IntReference.run(
                new MaxPool2dNode("mp", List.of("x"), "y", win, false), IntReference.tensor(DType.I8, x, 1, 2, 7, 6));
        assertArrayEquals(reference(x, 1, 2, 7, 6, win, false, true, false), y.ints());
    }

    @Test
    void globalAveragePoolRoundsHalfAwayFromZero() {
        // One 2x2 plane per channel: sums -6, 6, -2, 2, -5, 7, 10, -10, 0 over 4 elements.
        int[][] planes = {
            {-1, -2, -1, -2},
            {1, 2, 1, 2},
            {-1, 0, 0, -1},
            {1, 0, 1, 0},
            {-1, -2, -1, -1},
            {2, 2, 2, 1},
            {3, 3, 2, 2},
            {-3, -3, -2, -2},
            {5, -5, 7, -7}
        };
        int[] x = new int[planes.length * 4];
        for (int p = 0; p < planes.length; p++) {
            System.arraycopy(planes[p], 0, x, p * 4, 4);
        }
        Tensor y = IntReference.run(
                new GlobalAvgPoolNode("gap", "x", "y"), IntReference.tensor(DType.I8, x, 1, planes.length, 2, 2));
        assertArrayEquals(new int[] {1, planes.length, 1, 1}, y.shape().dims());
        assertEquals(DType.I8, y.dtype());
        // -1.5 -> -2, 1.5 -> 2, -0.5 -> -1, 0.5 -> 1, -1.25 -> -1, 1.75 -> 2, 2.5 -> 3, -2.5 -> -3, 0 -> 0
        assertArrayEquals(new int[] {-2, 2, -1, 1, -1, 2, 3, -3, 0}, y.ints());
    }

    @Test
    void globalAveragePoolOfLargePlanesMatchesTheExactQuotient() {
        int n = 5;
        int c = 4;
        int hw = 7 * 9;
        int[] x = IntReference.ints(77, n * c * hw, -127, 127);
        Tensor y =
                IntReference.run(new GlobalAvgPoolNode("gap", "x", "y"), IntReference.tensor(DType.I8, x, n, c, 7, 9));
        int[] expected = new int[n * c];
        for (int p = 0; p < n * c; p++) {
            long sum = 0;
            for (int i = 0; i < hw; i++) {
                sum += x[p * hw + i];
            }
            expected[p] = roundHalfAway(sum, hw);
        }
        assertArrayEquals(expected, y.ints());
        int[] u = IntReference.ints(78, 2 * 3 * 4, 0, 255);
        Tensor yu =
                IntReference.run(new GlobalAvgPoolNode("gap", "x", "y"), IntReference.tensor(DType.U8, u, 2, 3, 2, 2));
        assertEquals(DType.U8, yu.dtype());
        for (int p = 0; p < 6; p++) {
            assertEquals(roundHalfAway((long) u[4 * p] + u[4 * p + 1] + u[4 * p + 2] + u[4 * p + 3], 4), yu.ints()[p]);
        }
    }

    @Test
    void averagePoolHandComputedTies() {
        // x = [1 2 -1 -2; 1 2 -1 -2]; 2x2 windows, stride 2: sums 6 and -6 over 4 -> 1.5 -> 2 and -1.5 -> -2.
        int[] x = {1, 2, -1, -2, 1, 2, -1, -2};
        Tensor y = IntReference.run(
                new AvgPool2dNode("ap", List.of("x"), "y", new Window2d(2, 2, 2, 2, 0, 0, 0, 0, 1, 1), false, false),
                IntReference.tensor(DType.I8, x, 1, 1, 2, 4));
        assertArrayEquals(new int[] {2, -2}, y.ints());
        // Pads of 1 all round: 2x3 windows, each row of windows holds one input row's pairs {1}, {2, -1}, {-2}:
        // sums 1, 1, -2. Counting pads (4 positions each): 0.25 -> 0, 0.25 -> 0, -0.5 -> -1.
        Tensor p = IntReference.run(
                new AvgPool2dNode("ap", List.of("x"), "y", new Window2d(2, 2, 2, 2, 1, 1, 1, 1, 1, 1), false, true),
                IntReference.tensor(DType.I8, x, 1, 1, 2, 4));
        assertArrayEquals(new int[] {0, 0, -1, 0, 0, -1}, p.ints());
        // Not counting pads (1, 2 and 1 elements inside): 1, 0.5 -> 1, -2.
        Tensor q = IntReference.run(
                new AvgPool2dNode("ap", List.of("x"), "y", new Window2d(2, 2, 2, 2, 1, 1, 1, 1, 1, 1), false, false),
                IntReference.tensor(DType.I8, x, 1, 1, 2, 4));
        assertArrayEquals(new int[] {1, 1, -2, 1, 1, -2}, q.ints());
    }
}
