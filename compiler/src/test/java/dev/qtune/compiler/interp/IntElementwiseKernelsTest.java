package dev.qtune.compiler.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.QAddNode;
import dev.qtune.compiler.ir.QConcatNode;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.quant.FixedPointMultiplier;
import dev.qtune.compiler.quant.IntRange;
import dev.qtune.compiler.quant.Rounding;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** QAdd, QConcat and integer Relu against the definitions of docs/integer-semantics.md. */
class IntElementwiseKernelsTest {
    private static final int[] DIMS = {5, 3, 4, 6};

    private static Requantize rq(List<FixedPointMultiplier> ms, Rounding r, IntRange range) {
        return IntReference.requantize(ms, r, range, range.min() >= 0 ? DType.U8 : DType.I8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // label | scale a | scale b | scale y | rounding | a unsigned | b unsigned | output unsigned
                "different scales, signed, upward          | 0.02  | 0.05   | 0.06  | UPWARD    | false | false | false",
                "different scales, signed, tonearest       | 0.02  | 0.05   | 0.06  | TONEAREST | false | false | false",
                "u8 + i8, fused relu (u8 out)              | 0.031 | 0.007  | 0.04  | UPWARD    | true  | false | true",
                "an input scale above the output scale     | 0.1   | 0.013  | 0.05  | TONEAREST | true  | true  | true",
                "power-of-two ratios (ties), upward        | 0.5   | 0.25   | 1.0   | UPWARD    | false | false | false",
                "power-of-two ratios (ties), tonearest     | 0.5   | 0.25   | 1.0   | TONEAREST | false | false | false",
            })
    void qaddMatchesTheDefinition(
            String label, float sa, float sb, float sy, Rounding rounding, boolean ua, boolean ub, boolean uy) {
        int n = Arrays.stream(DIMS).reduce(1, (p, d) -> p * d);
        long seed = label.hashCode();
        int[] a = ua ? IntReference.ints(seed, n, 0, 255) : IntReference.ints(seed, n, -127, 127);
        int[] b = ub ? IntReference.ints(seed + 1, n, 0, 255) : IntReference.ints(seed + 1, n, -127, 127);
        FixedPointMultiplier ma = FixedPointMultiplier.of((double) sa / sy);
        FixedPointMultiplier mb = FixedPointMultiplier.of((double) sb / sy);
        IntRange range = uy ? IntRange.unsigned(8) : IntRange.signed(8);
        Requantize r = rq(List.of(ma, mb), rounding, range);

        Tensor y = IntReference.run(
                new QAddNode("add", List.of("a", "b"), "y", r),
                IntReference.inputs(
                        List.of("a", "b"),
                        IntReference.tensor(ua ? DType.U8 : DType.I8, a, DIMS),
                        IntReference.tensor(ub ? DType.U8 : DType.I8, b, DIMS)),
                Map.of());
        // docs/integer-semantics.md: both inputs rescaled keeping k = min(16, n_a, n_b) bits, the sum rounded once.
        int k = Math.min(16, Math.min(ma.shift(), mb.shift()));
        FixedPointMultiplier fa = new FixedPointMultiplier(ma.mantissa(), ma.shift() - k);
        FixedPointMultiplier fb = new FixedPointMultiplier(mb.mantissa(), mb.shift() - k);
        FixedPointMultiplier down = new FixedPointMultiplier(1 << 30, 30 + k);
        int[] expected = new int[n];
        for (int i = 0; i < n; i++) {
            long sum = IntReference.apply(a[i], fa, rounding) + IntReference.apply(b[i], fb, rounding);
            expected[i] = IntReference.clamp(IntReference.apply(sum, down, rounding), range);
        }
        assertEquals(r.dtype(), y.dtype());
        assertArrayEquals(DIMS, y.shape().dims());
        assertArrayEquals(expected, y.ints(), label);
        assertTrue(Arrays.stream(expected).distinct().count() > 20, "degenerate test data");
    }

    @Test
    void qaddWithEqualScalesAddsExactlyAndSaturates() {
        FixedPointMultiplier one = FixedPointMultiplier.of(1.0);
        assertEquals(new FixedPointMultiplier(1 << 30, 30), one);
        Requantize r = rq(List.of(one, one), Rounding.UPWARD, IntRange.signed(8));
        Tensor y = IntReference.run(
                new QAddNode("add", List.of("a", "b"), "y", r),
                IntReference.inputs(
                        List.of("a", "b"),
                        IntReference.tensor(DType.I8, new int[] {1, -100, 100, -127, 60}, 5),
                        IntReference.tensor(DType.I8, new int[] {2, -100, 100, 0, -61}, 5)),
                Map.of());
        assertArrayEquals(new int[] {3, -127, 127, -127, -1}, y.ints());
    }

    @Test
    void qaddRoundsTheSumOnceHandComputed() {
        // M_a = M_b = 1/2. 3/2 + (-3)/2 = 0 exactly (two separate roundings would give 1 upward);
        // -3/2 + 0 is a tie: -1 upward, -2 to nearest (away from zero); 3/2 + 0: 2 either way.
        FixedPointMultiplier half = FixedPointMultiplier.of(0.5);
        Map<String, Tensor> in = IntReference.inputs(
                List.of("a", "b"),
                IntReference.tensor(DType.I8, new int[] {3, -3, 3}, 3),
                IntReference.tensor(DType.I8, new int[] {-3, 0, 0}, 3));
        assertArrayEquals(
                new int[] {0, -1, 2},
                IntReference.run(
                                new QAddNode(
                                        "add",
                                        List.of("a", "b"),
                                        "y",
                                        rq(List.of(half, half), Rounding.UPWARD, IntRange.signed(8))),
                                in,
                                Map.of())
                        .ints());
        assertArrayEquals(
                new int[] {0, -2, 2},
                IntReference.run(
                                new QAddNode(
                                        "add",
                                        List.of("a", "b"),
                                        "y",
                                        rq(List.of(half, half), Rounding.TONEAREST, IntRange.signed(8))),
                                in,
                                Map.of())
                        .ints());
    }

    @ParameterizedTest(name = "axis {0}, {1}")
    @CsvSource({"1, UPWARD", "1, TONEAREST", "-1, UPWARD", "0, TONEAREST"})
    void qconcatRequantizesEachInputAndLaysOutAsConcat(int axis, Rounding rounding) {
        int[][] dims = {{2, 3, 4, 5}, {2, 1, 4, 5}, {2, 2, 4, 5}};
        int rank = 4;
        int ax = axis < 0 ? axis + rank : axis;
        int[][] dimsOnAxis = new int[3][];
        for (int t = 0; t < 3; t++) { // rotate the varying size onto the axis under test
            dimsOnAxis[t] = new int[] {2, 3, 4, 5};
            dimsOnAxis[t][ax] = dims[t][1];
        }
        DType[] types = {DType.U8, DType.I8, DType.U8};
        double[] scales = {0.02, 0.045, 0.011};
        double sy = 0.03;
        List<FixedPointMultiplier> ms = Arrays.stream(scales)
                .mapToObj(s -> FixedPointMultiplier.of(s / sy))
                .toList();
        Requantize r = rq(ms, rounding, IntRange.signed(8));
        int[][] data = new int[3][];
        Tensor[] tensors = new Tensor[3];
        for (int t = 0; t < 3; t++) {
            int n = Arrays.stream(dimsOnAxis[t]).reduce(1, (p, d) -> p * d);
            data[t] = types[t] == DType.U8
                    ? IntReference.ints(axis * 10L + t, n, 0, 255)
                    : IntReference.ints(axis * 10L + t, n, -127, 127);
            tensors[t] = IntReference.tensor(types[t], data[t], dimsOnAxis[t]);
        }
        Tensor y = IntReference.run(
                new QConcatNode("cat", List.of("a", "b", "c"), "y", axis, r),
                IntReference.inputs(List.of("a", "b", "c"), tensors),
                Map.of());

        int[] outDims = {2, 3, 4, 5};
        outDims[ax] = 6;
        assertArrayEquals(outDims, y.shape().dims());
        assertEquals(DType.I8, y.dtype());
        // Element by element: output index (i0..i3) comes from the input whose slab holds i[ax].
        int[] expected = new int[y.numel()];
        int[] idx = new int[4];
        for (int flat = 0; flat < expected.length; flat++) {
            int rem = flat;
            for (int d = 3; d >= 0; d--) {
                idx[d] = rem % outDims[d];
                rem /= outDims[d];
            }
            int t = 0;
            int pos = idx[ax];
            while (pos >= dimsOnAxis[t][ax]) {
                pos -= dimsOnAxis[t][ax];
                t++;
            }
            int[] src = idx.clone();
            src[ax] = pos;
            int[] sd = dimsOnAxis[t];
            int srcFlat = ((src[0] * sd[1] + src[1]) * sd[2] + src[2]) * sd[3] + src[3];
            expected[flat] = IntReference.clamp(IntReference.apply(data[t][srcFlat], ms.get(t), rounding), r.range());
        }
        assertArrayEquals(expected, y.ints());
    }

    @Test
    void integerReluIsMaxWithZeroAndKeepsTheType() {
        int[] x = {-127, -1, 0, 1, 127, -128};
        Tensor y = IntReference.run(new ReluNode("r", "x", "y"), IntReference.tensor(DType.I8, x, 2, 3));
        assertEquals(DType.I8, y.dtype());
        assertArrayEquals(new int[] {0, 0, 0, 1, 127, 0}, y.ints());
        Tensor u =
                IntReference.run(new ReluNode("r", "x", "y"), IntReference.tensor(DType.U8, new int[] {0, 255, 7}, 3));
        assertEquals(DType.U8, u.dtype());
        assertArrayEquals(new int[] {0, 255, 7}, u.ints());
    }
}
