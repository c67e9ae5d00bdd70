package dev.qtune.targets.codegen;

import dev.qtune.compiler.ir.ClipNode;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.Window2d;
import dev.qtune.compiler.lower.TensorStorage;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * fp32 layers on targets with FMA (the fast kernels of qtune_fp32_kernels.h): group-1 and
 * depthwise convolutions as an implicit GEMM over phase-split input planes, max pools over the same
 * planes (Gemm's FMA kernel is chosen in {@link Fp32Emitter}). Results match the Java interpreter within docs/codegen.md's "fp32
 * tolerance", not bit for bit; layers these kernels do not cover (dilation, other groups) take
 * {@link Fp32Emitter}'s exact kernels.
 */
final class Fp32FastEmitter {
    /** Output channels per register tile, and vectors of pixels, for 8-lane (AVX2) and 16-lane (AVX-512) vectors. */
    private static final int AVX2_MR = 6;

    private static final int AVX2_NV = 2;
    private static final int AVX512_MR = 8;
    private static final int AVX512_NV = 2;
    /** The channel-vector kernel: pixels per tile (24 / 12 accumulators) and vectors of channels. */
    private static final int AVX512_CV_MR = 12;

    private static final int AVX2_CV_MR = 6;
    private static final int CV_NV = 2;
    /**
     * Its transposed store, as a share of the work, is about this over K (the reduction length):
     * measured on resnet8 (AVX-512), equal speed at K = 288 with 10% extra columns, 3x slower at
     * K = 9. It is chosen when the panel kernel would compute more than that much more (extra
     * columns, partial vectors) than the channel-vector one.
     */
    private static final double CV_STORE_COST_K = 16.0;

    private static final int DEPTHWISE_NV = 4;
    /** Vectors of outputs per step of qt_gemm_f32_fast. */
    static final int GEMM_NV = 4;
    /** Floats of input (K x pixels) a block of wide pixels may read: about 256 KiB, so it stays in L2 across panels. */
    private static final int BLOCK_FLOATS = 64 * 1024;
    /** Floats between scratch regions are aligned to this (one 64-byte line). */
    private static final int ALIGN_FLOATS = 16;

    private Fp32FastEmitter() {}

    /** Whether the fast kernels cover this convolution (else the exact ones run it). */
    static boolean covers(Conv2dNode c, EmitContext ctx) {
        Window2d w = c.window();
        TensorStorage x = ctx.storage(c.inputs().get(0));
        TensorStorage y = ctx.storage(c.output());
        boolean depthwise = c.group() == x.channels() && y.channels() == x.channels();
        return ctx.fastFp32 && w.dilationH() == 1 && w.dilationW() == 1 && (c.group() == 1 || depthwise);
    }

    /**
     * The phase-split planes of one layer's input (see the kernel library): {@code hh x wh} elements per
     * plane, {@code ps} floats apart; the wide output of {@code nw} pixels padded to {@code nwp}; and
     * each tap's offset from a pixel's base.
     */
    record Planes(int sh, int sw, int hh, int wh, int nw, int nwp, int ps, int[] tapOffsets) {
        static Planes of(Window2d w, int outH, int outW, int tile) {
            int sh = w.strideH();
            int sw = w.strideW();
            int hh = outH + (w.kernelH() - 1) / sh;
            int wh = outW + (w.kernelW() - 1) / sw;
            int nw = outH * wh;
            int nwp = roundUp(nw, tile);
            int maxOff = (w.kernelH() - 1) / sh * wh + (w.kernelW() - 1) / sw;
            int ps = roundUp(Math.max(hh * wh, nwp + maxOff), ALIGN_FLOATS);
            int[] taps = new int[w.kernelH() * w.kernelW()];
            for (int ki = 0; ki < w.kernelH(); ki++) {
                for (int kj = 0; kj < w.kernelW(); kj++) {
                    taps[ki * w.kernelW() + kj] = ((ki % sh) * sw + kj % sw) * ps + ki / sh * wh + kj / sw;
                }
            }
            return new Planes(sh, sw, hh, wh, nw, nwp, ps, taps);
        }

        /** Floats one channel's planes take. */
        int channelStride() {
            return sh * sw * ps;
        }

        /** The qt_f32_phases call writing these planes of {@code x} into qt_col. */
        String phases(String x, TensorStorage in, Window2d w, String fill) {
            return String.format(
                    "    qt_f32_phases(%s, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %s, qt_col);%n",
                    x, in.channels(), in.height(), in.width(), sh, sw, w.padTop(), w.padLeft(), hh, wh, ps, fill);
        }
    }

    static String conv(Conv2dNode c, EmitContext ctx) {
        TensorStorage x = ctx.storage(c.inputs().get(0));
        TensorStorage y = ctx.storage(c.output());
        float[] w = ctx.constant(c, c.inputs().get(1)).floats();
        int m = y.channels();
        float[] bias = c.inputs().size() > 2 && !c.inputs().get(2).isEmpty()
                ? ctx.constant(c, c.inputs().get(2)).floats()
                : new float[m];
        Activation act = Activation.fuse(c, ctx);
        if (c.group() != 1) {
            return depthwise(c, x, y, w, bias, act, ctx);
        }
        Window2d win = c.window();
        int tile = (ctx.lanes >= 16 ? AVX512_NV : AVX2_NV) * ctx.lanes;
        Planes p = Planes.of(win, y.height(), y.width(), tile);
        int block = CV_NV * ctx.lanes;
        double panelWork = (double) p.nwp() / y.spatial();
        double channelWork = (double) roundUp(m, block) / m;
        if (channelWork + CV_STORE_COST_K / (x.channels() * win.kernelH() * win.kernelW()) < panelWork) {
            return channelVectors(new Conv(c, x, y, w, bias, act), p, ctx);
        }
        return implicitGemm(new Conv(c, x, y, w, bias, act), p, ctx);
    }

    /** A convolution to emit: the node, its input and output storage, weights, bias and fused activation. */
    private record Conv(Conv2dNode node, TensorStorage x, TensorStorage y, float[] w, float[] bias, Activation act) {}

    /** The implicit-GEMM kernel (qt_conv_f32_fast_part): wide rows of pixels in whole tiles. */
    private static String implicitGemm(Conv l, Planes p, EmitContext ctx) {
        Window2d win = l.node().window();
        int m = l.y().channels();
        boolean wide = ctx.lanes >= 16;
        int mr = wide ? AVX512_MR : AVX2_MR;
        int nv = wide ? AVX512_NV : AVX2_NV;
        int tile = nv * ctx.lanes;
        int taps = win.kernelH() * win.kernelW();
        int k = l.x().channels() * taps;
        // A 1x1, stride-1, unpadded layer whose pixels fill whole tiles reads its input in place.
        boolean pointwise = readsInPlace(l.node(), l.act(), ctx) && p.nw() == p.nwp();
        int[] off = weightOffsets(l.x(), taps, pointwise, p);
        // Without extra columns and with whole tiles, the wide output is the output itself.
        boolean compact = !(p.wh() == l.y().width() && p.nw() == p.nwp());
        long planes = pointwise ? 0 : roundUp((long) l.x().channels() * p.channelStride(), ALIGN_FLOATS);
        ctx.needColFloats(planes + (compact ? (long) m * p.nwp() : 0));
        String out = ctx.floats(l.act().output());
        int nb = Math.max(tile, Math.min(p.nwp(), BLOCK_FLOATS / k / tile * tile));
        String call = String.format(
                "    qt_conv_f32_fast_part(%s, %s, %s, %s, %s, %s, %s, %s, w0, w1);%n",
                pointwise ? ctx.floats(l.node().inputs().get(0)) : "qt_col",
                ctx.declare("int32_t", off),
                ctx.declare(packPanels(l.w(), m, k, mr)),
                ctx.declare(l.bias()),
                compact ? "qt_col + " + planes : out,
                out,
                ints(m, k, l.y().height(), l.y().width(), p.wh(), p.nwp(), nb, mr, m % mr, nv, compact ? 1 : 0),
                l.act().args());
        String work = ctx.work(call);
        return (pointwise ? "" : p.phases(ctx.floats(l.node().inputs().get(0)), l.x(), win, "0.0f"))
                + String.format("    qt_parallel(%s, in, out, %d);%n", work, (m + mr - 1) / mr);
    }

    /** A 1x1, stride-1, unpadded layer whose output does not overlap its input. */
    private static boolean readsInPlace(Conv2dNode c, Activation act, EmitContext ctx) {
        Window2d win = c.window();
        return win.kernelH() * win.kernelW() == 1
                && win.strideH() == 1
                && win.strideW() == 1
                && win.padTop() == 0
                && win.padLeft() == 0
                && !ctx.mayOverlap(c.inputs().get(0), act.output());
    }

    /** The numbers of a kernel call, comma-separated. */
    private static String ints(int... values) {
        return String.join(
                ", ", Arrays.stream(values).mapToObj(Integer::toString).toList());
    }

    /**
     * The channel-vector kernel (qt_conv_f32_cv_part): output channels in vectors, pixels broadcast,
     * only real pixels computed. Chosen where the wide rows and whole vectors of pixels would compute
     * more extra columns than the transposed store costs (small images, long reductions).
     */
    private static String channelVectors(Conv l, Planes p, EmitContext ctx) {
        Window2d win = l.node().window();
        int m = l.y().channels();
        int block = CV_NV * ctx.lanes;
        int mr = ctx.lanes >= 16 ? AVX512_CV_MR : AVX2_CV_MR;
        int taps = win.kernelH() * win.kernelW();
        int k = l.x().channels() * taps;
        boolean pointwise = readsInPlace(l.node(), l.act(), ctx);
        int[] off = weightOffsets(l.x(), taps, pointwise, p);
        int[] pix = pixelOffsets(l.y(), pointwise ? l.y().width() : p.wh());
        int blocks = (m + block - 1) / block;
        float[] packed = packChannelBlocks(l.w(), m, k, block);
        if (!pointwise) {
            ctx.needColFloats(roundUp((long) l.x().channels() * p.channelStride(), ALIGN_FLOATS));
        }
        String call = String.format(
                "    qt_conv_f32_cv_part(%s, %s, %s, %s, %s, %s, %s, %s, w0, w1);%n",
                pointwise ? ctx.floats(l.node().inputs().get(0)) : "qt_col",
                ctx.declare("int32_t", off),
                ctx.declare("int32_t", pix),
                ctx.declare(packed),
                ctx.declare(Arrays.copyOf(l.bias(), blocks * block)),
                ctx.floats(l.act().output()),
                ints(m, k, l.y().spatial(), mr, l.y().spatial() % mr, CV_NV),
                l.act().args());
        String work = ctx.work(call);
        return (pointwise ? "" : p.phases(ctx.floats(l.node().inputs().get(0)), l.x(), win, "0.0f"))
                + String.format("    qt_parallel(%s, in, out, %d);%n", work, blocks);
    }

    /** Each output pixel's place in the rows it is computed in ({@code rowLength} wide). */
    private static int[] pixelOffsets(TensorStorage y, int rowLength) {
        int[] pix = new int[y.spatial()];
        for (int oh = 0; oh < y.height(); oh++) {
            for (int ow = 0; ow < y.width(); ow++) {
                pix[oh * y.width() + ow] = oh * rowLength + ow;
            }
        }
        return pix;
    }

    /** The weights in blocks of {@code block} output channels, the channels innermost. */
    private static float[] packChannelBlocks(float[] w, int m, int k, int block) {
        int blocks = (m + block - 1) / block;
        float[] packed = new float[blocks * block * k];
        for (int o = 0; o < m; o++) {
            for (int kk = 0; kk < k; kk++) {
                packed[((o / block) * k + kk) * block + o % block] = w[o * k + kk];
            }
        }
        return packed;
    }

    private static String depthwise(
            Conv2dNode c, TensorStorage x, TensorStorage y, float[] w, float[] bias, Activation act, EmitContext ctx) {
        Window2d win = c.window();
        int nv = DEPTHWISE_NV;
        Planes p = Planes.of(win, y.height(), y.width(), nv * ctx.lanes);
        long planes = roundUp((long) x.channels() * p.channelStride(), ALIGN_FLOATS);
        ctx.needColFloats(planes + (long) y.channels() * p.nwp());
        String call = String.format(
                "    qt_depthwise_f32_fast_part(qt_col, %s, %d, %d, %s, %s, qt_col + %d, %s, %d, %d, %d,"
                        + " %d, %d, %s, w0, w1);%n",
                ctx.declare("int32_t", p.tapOffsets()),
                p.tapOffsets().length,
                p.channelStride(),
                ctx.declare(w),
                ctx.declare(bias),
                planes,
                ctx.floats(act.output()),
                y.height(),
                y.width(),
                p.wh(),
                p.nwp(),
                nv,
                act.args());
        String work = ctx.work(call);
        return p.phases(ctx.floats(c.inputs().get(0)), x, win, "0.0f")
                + String.format("    qt_parallel(%s, in, out, %d);%n", work, y.channels());
    }

    /**
     * The activation fused into a convolution's store: a Relu, or a Clip with constant bounds, that
     * is the only consumer of the convolution's output (not itself a graph output); the convolution
     * then writes the activation's output and the activation emits nothing. {@code output} is the
     * value the kernel writes.
     */
    record Activation(String output, boolean clamp, String lo, String hi) {
        static Activation fuse(Conv2dNode c, EmitContext ctx) {
            Activation none = new Activation(c.output(), false, "0.0f", "0.0f");
            List<Node> users = ctx.graph.consumers(c.output());
            boolean graphOutput =
                    ctx.graph.outputs().stream().anyMatch(v -> v.name().equals(c.output()));
            if (graphOutput || users.size() != 1) {
                return none;
            }
            Node u = users.get(0);
            Activation fused;
            if (u instanceof ReluNode r) {
                fused = new Activation(r.outputs().get(0), true, "0.0f", "INFINITY");
            } else if (u instanceof ClipNode clip && constant(clip.min(), ctx) && constant(clip.max(), ctx)) {
                String lo = clip.min()
                        .map(v -> CArrays.literal(ctx.constant(clip, v).getFloat(0)))
                        .orElse("-INFINITY");
                String hi = clip.max()
                        .map(v -> CArrays.literal(ctx.constant(clip, v).getFloat(0)))
                        .orElse("INFINITY");
                fused = new Activation(clip.output(), true, lo, hi);
            } else {
                return none;
            }
            ctx.fuse(u);
            return fused;
        }

        private static boolean constant(Optional<String> v, EmitContext ctx) {
            return v.isEmpty() || ctx.graph.isInitializer(v.get());
        }

        /** The kernel's arguments CLAMP, lo, hi. */
        String args() {
            return (clamp ? 1 : 0) + ", " + lo + ", " + hi;
        }
    }

    /** Whether the fast max pool covers this pool: fp32, dilation 1. */
    static boolean coversMaxPool(MaxPool2dNode n, EmitContext ctx) {
        Window2d w = n.window();
        return ctx.fastFp32 && !ctx.storage(n.inputs().get(0)).isInteger() && w.dilationH() == 1 && w.dilationW() == 1;
    }

    static String maxPool(MaxPool2dNode n, EmitContext ctx) {
        TensorStorage x = ctx.storage(n.inputs().get(0));
        TensorStorage y = ctx.storage(n.outputs().get(0));
        Window2d win = n.window();
        Planes p = Planes.of(win, y.height(), y.width(), ctx.lanes);
        int planesPerImage = x.shape().dim(0) * x.shape().dim(1);
        long planes = roundUp((long) planesPerImage * p.channelStride(), ALIGN_FLOATS);
        ctx.needColFloats(planes + (long) planesPerImage * p.nwp());
        String call = String.format(
                "    qt_max_pool_f32_fast_part(qt_col, %s, %d, %d, qt_col + %d, %s, %d, %d, %d, %d," + " w0, w1);%n",
                ctx.declare("int32_t", p.tapOffsets()),
                p.tapOffsets().length,
                p.channelStride(),
                planes,
                ctx.floats(n.outputs().get(0)),
                y.height(),
                y.width(),
                p.wh(),
                p.nwp());
        String work = ctx.work(call);
        return p.phases(ctx.floats(n.inputs().get(0)), x, win, "-INFINITY")
                + String.format("    qt_parallel(%s, in, out, %d);%n", work, planesPerImage);
    }

    /**
     * Where weight k = (channel, tap) reads, from a pixel's base: in the phase planes, or in the
     * input itself for a 1x1 layer that reads it in place ({@code pointwise}).
     */
    private static int[] weightOffsets(TensorStorage x, int taps, boolean pointwise, Planes p) {
        int channelStride = pointwise ? x.spatial() : p.channelStride();
        int[] off = new int[x.channels() * taps];
        for (int ch = 0; ch < x.channels(); ch++) {
            for (int t = 0; t < taps; t++) {
                off[ch * taps + t] = ch * channelStride + (pointwise ? 0 : p.tapOffsets()[t]);
            }
        }
        return off;
    }

    /** Weights [m][k] as panels of mr rows (the last one m % mr rows), each [k][rows], panel p at p*mr*k. */
    static float[] packPanels(float[] w, int m, int k, int mr) {
        float[] packed = new float[m * k];
        for (int r0 = 0; r0 < m; r0 += mr) {
            int rows = Math.min(mr, m - r0);
            for (int kk = 0; kk < k; kk++) {
                for (int r = 0; r < rows; r++) {
                    packed[r0 * k + kk * rows + r] = w[(r0 + r) * k + kk];
                }
            }
        }
        return packed;
    }

    private static int roundUp(int v, int m) {
        return (v + m - 1) / m * m;
    }

    private static long roundUp(long v, int m) {
        return (v + m - 1) / m * m;
    }
}
