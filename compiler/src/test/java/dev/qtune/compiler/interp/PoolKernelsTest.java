package dev.qtune.compiler.interp;

import static dev.qtune.compiler.Fixtures.assertClose;
import static dev.qtune.compiler.Fixtures.assertShape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.ir.AvgPool2dNode;
import dev.qtune.compiler.ir.GlobalAvgPoolNode;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.Window2d;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Max, average and global average pooling against naive loops that follow the ONNX definitions. */
class PoolKernelsTest {
    /**
     * ONNX output size: floor or ceil of (in + pads - span) / stride, plus one; in ceil mode a window
     * that would start in the end padding is dropped.
     */
    static int onnxOutSize(int in, int k, int s, int padBegin, int padEnd, int d, boolean ceil) {
        int span = d * (k - 1) + 1;
        double q = (double) (in + padBegin + padEnd - span) / s;
        int out = (int) (ceil ? Math.ceil(q) : Math.floor(q)) + 1;
        if (ceil && (out - 1) * s - padBegin >= in) {
            out--;
        }
        return out;
    }

    /**
     * Naive pooling. Max ignores pads. Average divides by the number of input elements in the window,
     * or with count_include_pad by the number of window positions inside the explicitly padded input
     * (positions of a ceil-mode overhang past the end pad never count).
     */
    static double[] reference(Tensor x, Window2d w, boolean ceil, boolean max, boolean countPad) {
        Shape s = x.shape();
        int h = s.dim(2);
        int wd = s.dim(3);
        int ho = onnxOutSize(h, w.kernelH(), w.strideH(), w.padTop(), w.padBottom(), w.dilationH(), ceil);
        int wo = onnxOutSize(wd, w.kernelW(), w.strideW(), w.padLeft(), w.padRight(), w.dilationW(), ceil);
        int planes = s.dim(0) * s.dim(1);
        double[] y = new double[planes * ho * wo];
        float[] xf = x.floats();
        for (int p = 0; p < planes; p++) {
            for (int oh = 0; oh < ho; oh++) {
                for (int ow = 0; ow < wo; ow++) {
                    double best = Double.NEGATIVE_INFINITY;
                    double sum = 0;
                    int inside = 0;
                    int positions = 0;
                    for (int ki = 0; ki < w.kernelH(); ki++) {
                        for (int kj = 0; kj < w.kernelW(); kj++) {
                            int ih = oh * w.strideH() - w.padTop() + ki * w.dilationH();
                            int iw = ow * w.strideW() - w.padLeft() + kj * w.dilationW();
                            if (ih >= -w.padTop()
                                    && ih < h + w.padBottom()
                                    && iw >= -w.padLeft()
                                    && iw < wd + w.padRight()) {
                                positions++;
                            }
                            if (ih < 0 || ih >= h || iw < 0 || iw >= wd) {
                                continue;
                            }
                            double v = xf[(p * h + ih) * wd + iw];
                            best = Math.max(best, v);
                            sum += v;
                            inside++;
                        }
                    }
                    y[(p * ho + oh) * wo + ow] = max ? best : sum / (countPad ? positions : inside);
                }
            }
        }
        return y;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // label | N | C | H | W | k | s | pt | pl | pb | pr | d | ceil | countIncludePad
                "lenet 2x2 s2               | 3 | 2 | 28 | 28 | 2 | 2 | 0 | 0 | 0 | 0 | 1 | false | false",
                "odd input floor            | 1 | 2 | 5 | 7 | 2 | 2 | 0 | 0 | 0 | 0 | 1 | false | false",
                "odd input ceil             | 1 | 2 | 5 | 7 | 2 | 2 | 0 | 0 | 0 | 0 | 1 | true | false",
                "3x3 s2 pad 1               | 5 | 3 | 7 | 7 | 3 | 2 | 1 | 1 | 1 | 1 | 1 | false | false",
                "3x3 s2 pad 1 ceil          | 5 | 3 | 6 | 6 | 3 | 2 | 1 | 1 | 1 | 1 | 1 | true | false",
                "3x3 s2 pad 1 ceil pads in  | 5 | 3 | 6 | 6 | 3 | 2 | 1 | 1 | 1 | 1 | 1 | true | true",
                "3x3 s1 pad 1               | 2 | 2 | 5 | 6 | 3 | 1 | 1 | 1 | 1 | 1 | 1 | false | false",
                "3x3 s1 pad 1 pads in       | 2 | 2 | 5 | 6 | 3 | 1 | 1 | 1 | 1 | 1 | 1 | false | true",
                "2x2 s2 ceil pads in        | 1 | 1 | 5 | 5 | 2 | 2 | 0 | 0 | 0 | 0 | 1 | true | true",
                "asymmetric pads            | 1 | 2 | 6 | 5 | 3 | 2 | 0 | 1 | 2 | 1 | 1 | false | false",
                "asymmetric pads pads in    | 1 | 2 | 6 | 5 | 3 | 2 | 0 | 1 | 2 | 1 | 1 | false | true",
                "asymmetric begin pad ceil  | 1 | 2 | 4 | 4 | 2 | 2 | 1 | 1 | 0 | 0 | 1 | true | false",
                "asymmetric end pad ceil    | 1 | 2 | 5 | 5 | 3 | 2 | 0 | 0 | 1 | 1 | 1 | true | true",
                "3x3 s3 ceil overhang       | 2 | 1 | 10 | 11 | 3 | 3 | 1 | 1 | 1 | 1 | 1 | true | true",
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
            int d,
            boolean ceil,
            boolean countPad) {
        Window2d win = new Window2d(k, k, s, s, pt, pl, pb, pr, d, d);
        // Negative inputs: a padded zero that wrongly took part in a max would win.
        Tensor x = Tensor.ofFloats(Shape.of(n, c, h, w), Fixtures.uniform(label.hashCode(), n * c * h * w, -2f, -0.5f));
        int ho = onnxOutSize(h, k, s, pt, pb, d, ceil);
        int wo = onnxOutSize(w, k, s, pl, pr, d, ceil);

        Tensor max = KernelRunner.run(new MaxPool2dNode("mp", List.of("x"), "y", win, ceil), x);
        assertShape(max, n, c, ho, wo);
        assertClose(reference(x, win, ceil, true, false), max.floats(), 0, label + " max");

        Tensor avg = KernelRunner.run(new AvgPool2dNode("ap", List.of("x"), "y", win, ceil, countPad), x);
        assertShape(avg, n, c, ho, wo);
        assertClose(reference(x, win, ceil, false, countPad), avg.floats(), 1e-5, label + " avg");
    }

    @Test
    void maxPoolWithDilation() {
        Window2d win = new Window2d(3, 3, 1, 1, 2, 2, 2, 2, 2, 2);
        Tensor x = Tensor.ofFloats(Shape.of(1, 2, 7, 6), Fixtures.uniform(5, 84, -3f, -1f));
        Tensor y = KernelRunner.run(new MaxPool2dNode("mp", List.of("x"), "y", win, false), x);
        assertShape(y, 1, 2, 7, 6);
        assertClose(reference(x, win, false, true, false), y.floats(), 0, "dilated max");
    }

    @Test
    void handComputedAverageWithAndWithoutPads() {
        // 1x1x2x2 input, 2x2 window, stride 1, pad 1 all round: 3x3 output.
        Tensor x = Fixtures.tensor(new int[] {1, 1, 2, 2}, 1f, 2f, 3f, 4f);
        Window2d win = new Window2d(2, 2, 1, 1, 1, 1, 1, 1, 1, 1);
        float[] excl = KernelRunner.run(new AvgPool2dNode("a", List.of("x"), "y", win, false, false), x)
                .floats();
        assertArrayEquals(new float[] {1f, 1.5f, 2f, 2f, 2.5f, 3f, 3f, 3.5f, 4f}, excl);
        float[] incl = KernelRunner.run(new AvgPool2dNode("a", List.of("x"), "y", win, false, true), x)
                .floats();
        assertArrayEquals(new float[] {0.25f, 0.75f, 0.5f, 1f, 2.5f, 1.5f, 0.75f, 1.75f, 1f}, incl);
        float[] max = KernelRunner.run(new MaxPool2dNode("m", List.of("x"), "y", win, false), x)
                .floats();
        assertArrayEquals(new float[] {1f, 2f, 2f, 3f, 4f, 4f, 3f, 4f, 4f}, max);
    }

    @Test
    void globalAveragePoolMeansEachPlane() {
        Tensor x = Fixtures.random(11, 3, 5, 7, 6);
        Tensor y = KernelRunner.run(new GlobalAvgPoolNode("gap", "x", "y"), x);
        assertShape(y, 3, 5, 1, 1);
        double[] expected = new double[15];
        for (int p = 0; p < 15; p++) {
            double sum = 0;
            for (int i = 0; i < 42; i++) {
                sum += x.floats()[p * 42 + i];
            }
            expected[p] = sum / 42;
        }
        assertClose(expected, y.floats(), 1e-6, "global average");
    }

    @Test
    void oneByOneMaxPoolIsTheIdentity() {
        Node mp = new MaxPool2dNode("mp", List.of("x"), "y", Window2d.of(1, 1), false);
        Tensor x = Fixtures.random(3, 1, 1, 2, 2);
        assertArrayEquals(x.floats(), KernelRunner.run(mp, x).floats());
    }
}
