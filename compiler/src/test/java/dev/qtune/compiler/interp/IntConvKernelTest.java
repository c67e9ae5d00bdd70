package dev.qtune.compiler.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.Window2d;
import dev.qtune.compiler.quant.FixedPointMultiplier;
import dev.qtune.compiler.quant.IntRange;
import dev.qtune.compiler.quant.Rounding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** QConv (im2col + igemm + requantize) bit for bit against a direct loop over docs/integer-semantics.md. */
class IntConvKernelTest {
    /** One convolution to check; {@code multipliers} is a kind of {@link IntReference#multipliers} or "single". */
    record ConvCase(
            String label,
            int batch,
            int c,
            int h,
            int w,
            int oc,
            int kh,
            int kw,
            int group,
            Window2d win,
            boolean bias,
            String multipliers,
            Rounding rounding,
            DType inType,
            IntRange outRange,
            DType outType) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<ConvCase> cases() {
        IntRange s8 = IntRange.signed(8);
        IntRange u8 = IntRange.unsigned(8);
        return Stream.of(
                new ConvCase(
                        "3x3 pad 1, per-channel mixed M, u8 in, i8 out, upward, batch 1",
                        1,
                        3,
                        8,
                        8,
                        6,
                        3,
                        3,
                        1,
                        new Window2d(3, 3, 1, 1, 1, 1, 1, 1, 1, 1),
                        true,
                        "mixed",
                        Rounding.UPWARD,
                        DType.U8,
                        s8,
                        DType.I8),
                new ConvCase(
                        "group 2, stride 2, asymmetric pads, tonearest, u8 out, batch 5",
                        5,
                        4,
                        9,
                        7,
                        6,
                        3,
                        3,
                        2,
                        new Window2d(3, 3, 2, 2, 0, 1, 2, 1, 1, 1),
                        true,
                        "mixed",
                        Rounding.TONEAREST,
                        DType.I8,
                        u8,
                        DType.U8),
                new ConvCase(
                        "depthwise, dilation 2, no bias, single M, batch 5",
                        5,
                        4,
                        10,
                        9,
                        4,
                        3,
                        3,
                        4,
                        new Window2d(3, 3, 1, 1, 2, 2, 2, 2, 2, 2),
                        false,
                        "single",
                        Rounding.UPWARD,
                        DType.U8,
                        s8,
                        DType.I8),
                new ConvCase(
                        "depthwise x2 channels, stride (2,1), asymmetric pads, tonearest",
                        1,
                        3,
                        6,
                        6,
                        6,
                        3,
                        3,
                        3,
                        new Window2d(3, 3, 2, 1, 1, 0, 1, 2, 1, 1),
                        true,
                        "mixed",
                        Rounding.TONEAREST,
                        DType.I8,
                        u8,
                        DType.U8),
                new ConvCase(
                        "1x1, power-of-two M (ties), upward, batch 5",
                        5,
                        8,
                        5,
                        5,
                        4,
                        1,
                        1,
                        1,
                        Window2d.of(1, 1),
                        true,
                        "power2",
                        Rounding.UPWARD,
                        DType.I8,
                        s8,
                        DType.I8),
                new ConvCase(
                        "1x1, power-of-two M (ties), tonearest, no bias",
                        5,
                        8,
                        5,
                        5,
                        4,
                        1,
                        1,
                        1,
                        Window2d.of(1, 1),
                        false,
                        "power2",
                        Rounding.TONEAREST,
                        DType.I8,
                        s8,
                        DType.I8),
                new ConvCase(
                        "14x14 batch 5 (a partial batch block)",
                        5,
                        2,
                        14,
                        14,
                        3,
                        3,
                        3,
                        1,
                        new Window2d(3, 3, 1, 1, 1, 1, 1, 1, 1, 1),
                        true,
                        "mixed",
                        Rounding.UPWARD,
                        DType.U8,
                        u8,
                        DType.U8),
                new ConvCase(
                        "2x3 kernel, stride (2,1), dilation (2,1), group 2, 4-bit out",
                        1,
                        6,
                        9,
                        8,
                        4,
                        2,
                        3,
                        2,
                        new Window2d(2, 3, 2, 1, 1, 0, 0, 1, 2, 1),
                        true,
                        "mixed",
                        Rounding.TONEAREST,
                        DType.U8,
                        IntRange.signed(4),
                        DType.I8),
                new ConvCase(
                        "5x5 kernel over 3x3 input with pads: 1x1 output, M > 1 saturates",
                        5,
                        2,
                        3,
                        3,
                        3,
                        5,
                        5,
                        1,
                        new Window2d(5, 5, 1, 1, 1, 1, 1, 1, 1, 1),
                        true,
                        "large",
                        Rounding.UPWARD,
                        DType.I8,
                        s8,
                        DType.I8),
                new ConvCase(
                        "16-bit activations in and out, group 2",
                        5,
                        4,
                        6,
                        6,
                        4,
                        3,
                        3,
                        2,
                        new Window2d(3, 3, 1, 1, 1, 1, 1, 1, 1, 1),
                        true,
                        "mixed",
                        Rounding.UPWARD,
                        DType.I16,
                        IntRange.signed(16),
                        DType.I16),
                new ConvCase(
                        "16-bit activations, group 2, K = 576: beyond the int32 worst case",
                        2,
                        128,
                        5,
                        5,
                        4,
                        3,
                        3,
                        2,
                        new Window2d(3, 3, 1, 1, 1, 1, 1, 1, 1, 1),
                        true,
                        "tiny",
                        Rounding.TONEAREST,
                        DType.I16,
                        IntRange.signed(16),
                        DType.I16),
                new ConvCase(
                        "stride 2 and dilation 2 with pads, tiny M, single",
                        5,
                        3,
                        11,
                        10,
                        5,
                        3,
                        3,
                        1,
                        new Window2d(3, 3, 2, 2, 1, 2, 0, 3, 2, 2),
                        true,
                        "tiny",
                        Rounding.TONEAREST,
                        DType.U8,
                        s8,
                        DType.I8));
    }

    /** Output size of the page's window: floor((in + pads - dilated span) / stride) + 1. */
    static int outSize(int in, int k, int s, int padBegin, int padEnd, int d) {
        return (in + padBegin + padEnd - (d * (k - 1) + 1)) / s + 1;
    }

    /** acc = bias + sum over the window of x * w (padding contributes 0), then requantize per channel. */
    static int[] reference(ConvCase k, int[] x, int[] w, int[] bias, Requantize rq) {
        Window2d win = k.win();
        int ho = outSize(k.h(), k.kh(), win.strideH(), win.padTop(), win.padBottom(), win.dilationH());
        int wo = outSize(k.w(), k.kw(), win.strideW(), win.padLeft(), win.padRight(), win.dilationW());
        int cg = k.c() / k.group();
        int mg = k.oc() / k.group();
        int[] y = new int[k.batch() * k.oc() * ho * wo];
        for (int n = 0; n < k.batch(); n++) {
            for (int o = 0; o < k.oc(); o++) {
                int g = o / mg;
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++) {
                        long acc = bias == null ? 0 : bias[o];
                        for (int ci = 0; ci < cg; ci++) {
                            for (int ky = 0; ky < k.kh(); ky++) {
                                for (int kx = 0; kx < k.kw(); kx++) {
                                    int iy = oy * win.strideH() - win.padTop() + ky * win.dilationH();
                                    int ix = ox * win.strideW() - win.padLeft() + kx * win.dilationW();
                                    if (iy < 0 || iy >= k.h() || ix < 0 || ix >= k.w()) {
                                        continue;
                                    }
                                    long xv = x[((n * k.c() + g * cg + ci) * k.h() + iy) * k.w() + ix];
                                    long wv = w[((o * cg + ci) * k.kh() + ky) * k.kw() + kx];
                                    acc += xv * wv;
                                }
                            }
                        }
                        y[((n * k.oc() + o) * ho + oy) * wo + ox] = IntReference.requantize(acc, rq, o);
                    }
                }
            }
        }
        return y;
    }

    private static List<FixedPointMultiplier> multipliers(ConvCase k, long seed) {
        return k.multipliers().equals("single")
                ? IntReference.multipliers(seed, 1, "ordinary")
                : IntReference.multipliers(seed, k.oc(), k.multipliers());
    }

    /** Seeded biases, with two near the int32 limits where 8-bit windows are small enough to stay exact. */
    private static int[] bias(ConvCase k, long seed) {
        int[] b = IntReference.ints(seed, k.oc(), -30_000, 30_000);
        if (k.oc() >= 3 && k.inType() != DType.I16) {
            b[1] = 2_100_000_000;
            b[2] = -2_100_000_000;
        }
        return b;
    }

    private static int[] input(ConvCase k, long seed) {
        int n = k.batch() * k.c() * k.h() * k.w();
        return switch (k.inType()) {
            case U8 -> IntReference.ints(seed, n, 0, 255);
            case I16 -> IntReference.ints(seed, n, -32767, 32767);
            default -> IntReference.ints(seed, n, -127, 127);
        };
    }

    private static int[] run(ConvCase k, int[] x, int[] w, int[] bias, Requantize rq) {
        List<String> ins = new ArrayList<>(List.of("x", "w"));
        Map<String, Tensor> consts = new LinkedHashMap<>();
        consts.put("w", IntReference.tensor(DType.I8, w, k.oc(), k.c() / k.group(), k.kh(), k.kw()));
        if (bias != null) {
            ins.add("b");
            consts.put("b", IntReference.tensor(DType.I32, bias, k.oc()));
        }
        QConv2dNode node = new QConv2dNode("qconv", ins, "y", k.win(), k.group(), rq);
        Tensor x4 = IntReference.tensor(k.inType(), x, k.batch(), k.c(), k.h(), k.w());
        Tensor y = IntReference.run(node, Map.of("x", x4), consts);
        assertEquals(rq.dtype(), y.dtype());
        assertEquals(k.batch(), y.shape().dim(0));
        assertEquals(k.oc(), y.shape().dim(1));
        return y.ints();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheDirectDefinitionBitForBit(ConvCase k) {
        long seed = k.label().hashCode();
        int[] x = input(k, seed);
        int[] w = IntReference.ints(seed + 1, k.oc() * (k.c() / k.group()) * k.kh() * k.kw(), -127, 127);
        int[] bias = k.bias() ? bias(k, seed + 2) : null;
        Requantize rq = IntReference.requantize(multipliers(k, seed + 3), k.rounding(), k.outRange(), k.outType());

        int[] expected = reference(k, x, w, bias, rq);
        int[] actual = run(k, x, w, bias, rq);
        assertArrayEquals(expected, actual, k.label());
        for (int v : actual) {
            assertTrue(v >= k.outRange().min() && v <= k.outRange().max(), "output " + v + " outside the range");
        }
        if (k.multipliers().equals("large")) { // M >= 2 on accumulators of hundreds: saturation both ways
            assertTrue(Arrays.stream(actual).anyMatch(v -> v == k.outRange().min()), "no output saturated low");
            assertTrue(Arrays.stream(actual).anyMatch(v -> v == k.outRange().max()), "no output saturated high");
        } else if (!k.multipliers().equals("tiny")) {
            assertTrue(Arrays.stream(actual).distinct().count() >= 3, "degenerate output: " + Arrays.toString(actual));
        }
    }

    @Test
    void theTwoRoundingsDifferExactlyOnNegativeTies() {
        ConvCase k = cases().filter(c -> c.label().startsWith("1x1, power-of-two M (ties), upward"))
                .findFirst()
                .orElseThrow();
        int[] x = input(k, 5);
        int[] w = IntReference.ints(6, k.oc() * k.c(), -127, 127);
        List<FixedPointMultiplier> half = List.of(new FixedPointMultiplier(1 << 30, 31)); // M = 1/2: every odd acc ties
        int[] up = run(k, x, w, null, IntReference.requantize(half, Rounding.UPWARD, k.outRange(), DType.I8));
        int[] near = run(k, x, w, null, IntReference.requantize(half, Rounding.TONEAREST, k.outRange(), DType.I8));
        Requantize upRq = IntReference.requantize(half, Rounding.UPWARD, k.outRange(), DType.I8);
        assertArrayEquals(reference(k, x, w, null, upRq), up);
        assertNotEquals(Arrays.toString(up), Arrays.toString(near), "some accumulator must be a negative tie");
        for (int i = 0; i < up.length; i++) {
            // Ties toward +infinity vs away from zero: only a negative tie (x.5 < 0, not clamped) differs, by one.
            assertTrue(
                    up[i] == near[i] || (up[i] == near[i] + 1 && near[i] < 0),
                    "element " + i + ": " + up[i] + " vs " + near[i]);
        }
    }

    @Test
    void handComputedOneByOne() {
        // x = [3, -5] (1 channel, 1x2), w = 1, M = 1/2: 1.5 -> 2 both ways; -2.5 -> -2 upward, -3 tonearest.
        ConvCase k = new ConvCase(
                "hand",
                1,
                1,
                1,
                2,
                1,
                1,
                1,
                1,
                Window2d.of(1, 1),
                false,
                "single",
                Rounding.UPWARD,
                DType.I8,
                IntRange.signed(8),
                DType.I8);
        List<FixedPointMultiplier> half = List.of(FixedPointMultiplier.of(0.5));
        int[] x = {3, -5};
        int[] w = {1};
        assertArrayEquals(
                new int[] {2, -2},
                run(k, x, w, null, IntReference.requantize(half, Rounding.UPWARD, IntRange.signed(8), DType.I8)));
        assertArrayEquals(
                new int[] {2, -3},
                run(k, x, w, null, IntReference.requantize(half, Rounding.TONEAREST, IntRange.signed(8), DType.I8)));
        // A fused Relu is the range [0, 255]: -2.5 saturates to 0; with bias 300 and M = 1/2: (3 + 300) / 2 = 151.5 ->
        // 152.
        assertArrayEquals(
                new int[] {152, 148},
                run(
                        k,
                        x,
                        w,
                        new int[] {300},
                        IntReference.requantize(half, Rounding.UPWARD, IntRange.unsigned(8), DType.U8)));
        assertArrayEquals(
                new int[] {2, 0},
                run(k, x, w, null, IntReference.requantize(half, Rounding.UPWARD, IntRange.unsigned(8), DType.U8)));
    }
}
