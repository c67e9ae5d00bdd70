package dev.qtune.compiler.interp;

import static dev.qtune.compiler.Fixtures.assertClose;
import static dev.qtune.compiler.Fixtures.assertShape;
import static dev.qtune.compiler.Fixtures.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.Window2d;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The im2col + Sgemm convolution against a direct 7-loop convolution in double. */
class ConvKernelTest {
    /** Direct NCHW x OIHW convolution in double, following the ONNX definition. */
    static double[] referenceConv(Tensor x, Tensor w, Tensor b, Window2d win, int group, int ho, int wo) {
        int n = x.shape().dim(0);
        int c = x.shape().dim(1);
        int h = x.shape().dim(2);
        int wd = x.shape().dim(3);
        int m = w.shape().dim(0);
        int cg = c / group;
        int mg = m / group;
        float[] xf = x.floats();
        float[] wf = w.floats();
        double[] y = new double[n * m * ho * wo];
        for (int img = 0; img < n; img++) {
            for (int oc = 0; oc < m; oc++) {
                int g = oc / mg;
                for (int oh = 0; oh < ho; oh++) {
                    for (int ow = 0; ow < wo; ow++) {
                        double acc = b == null ? 0 : b.floats()[oc];
                        for (int ic = 0; ic < cg; ic++) {
                            for (int ki = 0; ki < win.kernelH(); ki++) {
                                for (int kj = 0; kj < win.kernelW(); kj++) {
                                    int ih = oh * win.strideH() - win.padTop() + ki * win.dilationH();
                                    int iw = ow * win.strideW() - win.padLeft() + kj * win.dilationW();
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd) {
                                        continue;
                                    }
                                    double xv = xf[((img * c + g * cg + ic) * h + ih) * wd + iw];
                                    double wv = wf[((oc * cg + ic) * win.kernelH() + ki) * win.kernelW() + kj];
                                    acc += xv * wv;
                                }
                            }
                        }
                        y[((img * m + oc) * ho + oh) * wo + ow] = acc;
                    }
                }
            }
        }
        return y;
    }

    /** Output size computed here from the ONNX formula, independently of Window2d. */
    private static int outSize(int in, int k, int s, int pads, int d) {
        return (in + pads - d * (k - 1) - 1) / s + 1;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // label | N | C | H | W | M | kh | kw | sh | sw | pt | pl | pb | pr | dh | dw | group | bias
                "plain 3x3 pad 1             | 1 | 3 | 8 | 8 | 4 | 3 | 3 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | true",
                "lenet conv1, batch 5        | 5 | 1 | 28 | 28 | 6 | 5 | 5 | 1 | 1 | 2 | 2 | 2 | 2 | 1 | 1 | 1 | true",
                "groups 2                    | 1 | 4 | 7 | 6 | 6 | 3 | 3 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 2 | true",
                "groups 3, batch 5           | 5 | 6 | 5 | 7 | 9 | 3 | 3 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 3 | true",
                "depthwise                   | 5 | 8 | 9 | 9 | 8 | 3 | 3 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 8 | true",
                "depthwise multiplier 2      | 1 | 4 | 6 | 6 | 8 | 3 | 3 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 4 | false",
                "depthwise stride 2          | 5 | 8 | 10 | 9 | 8 | 3 | 3 | 2 | 2 | 1 | 1 | 1 | 1 | 1 | 1 | 8 | true",
                "stride 2                    | 5 | 3 | 11 | 10 | 4 | 3 | 3 | 2 | 2 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | true",
                "stride 3x2 rectangular      | 1 | 2 | 13 | 9 | 3 | 3 | 2 | 3 | 2 | 0 | 0 | 0 | 0 | 1 | 1 | 1 | true",
                "asymmetric pads             | 1 | 3 | 7 | 8 | 5 | 3 | 2 | 2 | 1 | 0 | 1 | 2 | 3 | 1 | 1 | 1 | true",
                "asymmetric pads, batch 5    | 5 | 2 | 6 | 5 | 3 | 3 | 3 | 1 | 2 | 2 | 0 | 1 | 2 | 1 | 1 | 1 | true",
                "dilation 2                  | 1 | 3 | 9 | 9 | 4 | 3 | 3 | 1 | 1 | 2 | 2 | 2 | 2 | 2 | 2 | 1 | true",
                "dilation 2x1 stride 2       | 5 | 2 | 10 | 11 | 3 | 3 | 3 | 2 | 2 | 1 | 1 | 1 | 1 | 2 | 1 | 1 | true",
                "pointwise 1x1               | 5 | 16 | 5 | 5 | 8 | 1 | 1 | 1 | 1 | 0 | 0 | 0 | 0 | 1 | 1 | 1 | false",
                "pointwise 1x1 stride 2      | 1 | 8 | 14 | 14 | 16 | 1 | 1 | 2 | 2 | 0 | 0 | 0 | 0 | 1 | 1 | 1 | true",
                "no bias                     | 5 | 3 | 8 | 7 | 4 | 3 | 3 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | false",
                "kernel wider than input     | 1 | 2 | 2 | 3 | 3 | 5 | 5 | 1 | 1 | 2 | 2 | 2 | 2 | 1 | 1 | 1 | true",
                "pads larger than stride     | 5 | 2 | 4 | 4 | 2 | 3 | 3 | 3 | 3 | 3 | 3 | 3 | 3 | 1 | 1 | 1 | true",
                // p = Ho*Wo = 196 makes the kernel block 4 images: batch 5 = 4 + 1; p = 400 blocks 2: 2 + 2 + 1.
                "14x14 batch 5 (blocks 4+1)  | 5 | 4 | 14 | 14 | 6 | 3 | 3 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | true",
                "20x20 batch 5 (blocks 2+2+1)| 5 | 2 | 20 | 20 | 3 | 3 | 3 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | true",
                "20x20 groups, batch 3       | 3 | 4 | 20 | 20 | 4 | 3 | 3 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 2 | true",
                "k not a multiple of 4       | 1 | 1 | 9 | 9 | 2 | 3 | 1 | 1 | 1 | 0 | 0 | 0 | 0 | 1 | 1 | 1 | true",
            })
    void matchesDirectConvolution(
            String label,
            int n,
            int c,
            int h,
            int w,
            int m,
            int kh,
            int kw,
            int sh,
            int sw,
            int pt,
            int pl,
            int pb,
            int pr,
            int dh,
            int dw,
            int group,
            boolean bias) {
        Window2d win = new Window2d(kh, kw, sh, sw, pt, pl, pb, pr, dh, dw);
        long seed = label.hashCode();
        Tensor x = random(seed, n, c, h, w);
        Tensor wt = random(seed + 1, m, c / group, kh, kw);
        Tensor b = bias ? random(seed + 2, m) : null;
        List<String> ins = new ArrayList<>(List.of("x", "w"));
        if (bias) {
            ins.add("b");
        }
        Conv2dNode node = new Conv2dNode("conv", ins, "y", win, group);
        Tensor y = bias ? KernelRunner.run(node, x, wt, b) : KernelRunner.run(node, x, wt);
        int ho = outSize(h, kh, sh, pt + pb, dh);
        int wo = outSize(w, kw, sw, pl + pr, dw);
        assertShape(y, n, m, ho, wo);
        assertClose(referenceConv(x, wt, b, win, group, ho, wo), y.floats(), 1e-4, label);
    }

    @Test
    void eachImageOfABatchIsComputedAsIfAlone() {
        // Blocking images together must not mix them: batch 7 of 12x12 maps (blocks of 6 + 1).
        Window2d win = new Window2d(3, 3, 1, 1, 1, 1, 1, 1, 1, 1);
        Conv2dNode node = new Conv2dNode("conv", List.of("x", "w", "b"), "y", win, 1);
        Tensor x = random(7, 7, 3, 12, 12);
        Tensor wt = random(8, 5, 3, 3, 3);
        Tensor b = random(9, 5);
        float[] batched = KernelRunner.run(node, x, wt, b).floats();
        int per = 3 * 12 * 12;
        int outPer = 5 * 12 * 12;
        for (int i = 0; i < 7; i++) {
            float[] one = new float[per];
            System.arraycopy(x.floats(), i * per, one, 0, per);
            float[] alone = KernelRunner.run(node, Tensor.ofFloats(Shape.of(1, 3, 12, 12), one), wt, b)
                    .floats();
            float[] slice = new float[outPer];
            System.arraycopy(batched, i * outPer, slice, 0, outPer);
            assertClose(alone, slice, 1e-6, "image " + i);
        }
    }

    @Test
    void zeroWeightsGiveTheBias() {
        Conv2dNode node = new Conv2dNode("conv", List.of("x", "w", "b"), "y", Window2d.of(3, 3), 1);
        Tensor b = Fixtures.tensor(new int[] {2}, 1.5f, -2f);
        float[] y = KernelRunner.run(
                        node, random(1, 1, 1, 4, 4), Tensor.ofFloats(Shape.of(2, 1, 3, 3), new float[18]), b)
                .floats();
        assertEquals(8, y.length);
        for (int i = 0; i < 8; i++) {
            assertEquals(i < 4 ? 1.5f : -2f, y[i]);
        }
    }
}
