package dev.qtune.targets.codegen;

import dev.qtune.compiler.interp.WideAccumulation;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.QDenseNode;
import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.ir.Window2d;
import dev.qtune.compiler.lower.ConvSchedules;
import dev.qtune.compiler.lower.Knob;
import dev.qtune.compiler.lower.LoweringException;
import dev.qtune.compiler.lower.TensorStorage;
import dev.qtune.compiler.quant.FixedPointMultiplier;
import dev.qtune.compiler.quant.IntRange;
import dev.qtune.compiler.quant.Rounding;
import dev.qtune.targets.Dot8Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Lowers QConv and QDense to the kernel library's fused kernels (accumulate + bias + requantize +
 * clamp): the direct blocked kernel for group 1 and dense layers, the channel-vectorised one for
 * depthwise layers, the general grouped one otherwise. Packs the weights for the chosen kernel and
 * schedule. Zero points (docs/integer-semantics.md, "Zero points"): padding reads the input's
 * (the realizer has folded its compensation term into the bias), and every kernel's output stage
 * adds the output's, as literals, so a symmetric layer compiles as before.
 */
final class IntConvEmitter {
    /** QT_MAX_CHANNELS of the kernel library. */
    private static final int MAX_CHANNELS = 8192;

    private IntConvEmitter() {}

    /** The shape of one layer's arithmetic, whatever its IR node; {@code zx} is what padding reads. */
    private record Layer(
            String name,
            String input,
            String output,
            int[] weights,
            int outC,
            int inCg,
            int kh,
            int kw,
            int[] bias,
            Window2d window,
            int group,
            Requantize rq,
            int zx) {}

    static String conv(Node node, EmitContext ctx) {
        QConv2dNode q = (QConv2dNode) node;
        var w = ctx.constant(q, q.weight());
        int[] dims = w.shape().dims();
        int[] bias = q.bias().map(b -> ctx.constant(q, b).ints()).orElse(null);
        return emit(
                new Layer(
                        q.name(),
                        q.input(),
                        q.output(),
                        w.ints(),
                        dims[0],
                        dims[1],
                        dims[2],
                        dims[3],
                        bias,
                        q.window(),
                        q.group(),
                        q.requantize(),
                        q.inputZeroPoint()),
                ctx);
    }

    static String dense(Node node, EmitContext ctx) {
        QDenseNode q = (QDenseNode) node;
        var w = ctx.constant(q, q.weight());
        int[] bias = q.bias().map(b -> ctx.constant(q, b).ints()).orElse(null);
        return emit(
                new Layer(
                        q.name(),
                        q.input(),
                        q.output(),
                        w.ints(),
                        w.shape().dim(0),
                        w.shape().dim(1),
                        1,
                        1,
                        bias,
                        Window2d.of(1, 1),
                        1,
                        q.requantize(),
                        0),
                ctx);
    }

    private static String emit(Layer l, EmitContext ctx) {
        TensorStorage x = ctx.storage(l.input);
        TensorStorage y = ctx.storage(l.output);
        boolean wide = WideAccumulation.needed(l.inCg * l.kh * l.kw, x.dtype(), l.weights, l.bias);
        int channels = x.channels();
        if (l.group == 1) {
            return direct(l, x, y, wide, ctx);
        }
        if (l.group == channels && l.outC == channels && !wide) {
            return depthwise(l, x, y, ctx);
        }
        return grouped(l, x, y, wide, ctx);
    }

    private static String direct(Layer l, TensorStorage x, TensorStorage y, boolean wide, EmitContext ctx) {
        int cp = x.paddedChannels();
        Optional<IntRange> inputRange = DotEight.inputRange(ctx.graph, l.input, l.zx);
        Dot8Kind dot8 = ctx.features.dot8();
        boolean eightBitExact = eightBitExact(l, cp, dot8, inputRange);
        Knob dotKnob = ConvSchedules.dot(!wide && dot8.available() && eightBitExact);
        // vpmaddubsw (dot 8 without VNNI) pairs other weights in the compact layout: it must stay exact there too
        boolean compactPairsExact =
                dot8.exactForEveryInput() || DotEight.exact(l.weights, l.outC, l.inCg, l.kh, l.kw, l.inCg, inputRange);
        LayerTask task = task(l, x, y, wide, eightBitExact, compactPairsExact, dotKnob, ctx);
        ctx.task(l.name, task);
        Schedule k = schedule(l, y, task, dotKnob, ctx);
        int dot = k.dot();
        int ob = k.ob();
        int nb = blocks(l, y, ob);
        int group = dot == 8 ? 4 : 2;
        boolean fast = !wide && ctx.features.isa().convTakes(ob, dot);
        boolean pairsExact = dot == 16 || compactPairsExact;
        int cc = compactChannels(l, cp, fast && pairsExact, group);
        int rowLength = roundUp(l.kw * cc, group);
        int[] packed = packWeights(l, nb, ob, cc, rowLength, group);
        needWideInput(l, x, y, cc, ctx);
        int[] bias = offsetBias(l, x, dot, fast && dot8.readsUnsignedAsSigned());
        String zero = padRow(l, x, dot, cp, ctx);
        String kernel = wide ? "qt_conv_wide" : "qt_conv";
        String args = ctx.declareStruct(
                "qt_conv_args",
                List.of(
                        inputFields(l, x, ctx) + ", .CC = " + cc,
                        weightFields(ctx.declare(dot == 8 ? "int8_t" : "int16_t", packed), l, bias, nb * ob, ctx),
                        outputFields(l, y, ctx),
                        windowFields(l),
                        String.format(
                                ".OB = %d, .OWT = %d, .DOT = %d, .scratch = qt_x16, .zero = %s, .zx = %d",
                                ob, k.owt(), dot, zero, l.zx)));
        String work = ctx.work(String.format("    %s_part(&%s, w0, w1);%n", kernel, args));
        return String.format(
                "    %s_prepare(&%s);%n    qt_parallel(%s, in, out, %d);%n", kernel, args, work, nb * y.height());
    }

    /** Whether the 8-bit dot product computes the layer exactly for every input in range. */
    private static boolean eightBitExact(Layer l, int cp, Dot8Kind dot8, Optional<IntRange> inputRange) {
        return dot8.exactForEveryInput()
                ? DotEight.exactVnni(l.weights, inputRange)
                : DotEight.exact(l.weights, l.outC, l.inCg, l.kh, l.kw, cp, inputRange);
    }

    /** The number of blocks of {@code ob} output channels. */
    private static int blocks(Layer l, TensorStorage y, int ob) {
        int nb = (y.paddedChannels() + ob - 1) / ob;
        if (nb * ob > MAX_CHANNELS) {
            throw new LoweringException("node '" + l.name + "' has " + nb * ob
                    + " (padded) output channels; the native " + "kernels take at most " + MAX_CHANNELS);
        }
        return nb;
    }

    /** Reserves the halo-padded input copy (qt_x16) in the padded and the compact layout. */
    private static void needWideInput(Layer l, TensorStorage x, TensorStorage y, int cc, EmitContext ctx) {
        int cp = x.paddedChannels();
        int hp =
                paddedExtent(x.height(), l.window.padTop(), y.height(), l.window.strideH(), l.kh, l.window.dilationH());
        int wp = paddedExtent(x.width(), l.window.padLeft(), y.width(), l.window.strideW(), l.kw, l.window.dilationW());
        ctx.needWideInput(Math.max((long) hp * wp * cp, (long) hp * wp * cc + COMPACT_SLACK));
    }

    /**
     * The bias less what the kernel adds to each input: dot 8 reads i8 as u8 (+128); NEON's sdot
     * ({@code signedDot}) reads that as s8 (-128).
     */
    private static int[] offsetBias(Layer l, TensorStorage x, int dot, boolean signedDot) {
        int inputOffset = (dot == 8 && x.dtype() == DType.I8 ? 128 : 0) - (signedDot && dot == 8 ? 128 : 0);
        return inputOffset == 0 ? l.bias : DotEight.offsetBias(l.bias, l.weights, l.outC, -inputOffset);
    }

    /** The blocks, tiles and dot width of one layer. */
    private record Schedule(int dot, int ob, int owt) {}

    /**
     * The layer's schedule: the configured one, or, for a layer the config gives no schedule, its
     * task's tuned one where the log has it; recorded as used and in the speed key.
     */
    private static Schedule schedule(Layer l, TensorStorage y, LayerTask task, Knob dotKnob, EmitContext ctx) {
        Optional<Map<String, Integer>> tuned = ctx.schedule().layers().containsKey(l.name)
                ? Optional.empty()
                : ctx.tuning().best(task.key()).filter(task.candidates()::contains);
        int dot = tuned.map(t -> t.get(ConvSchedules.DOT))
                .orElseGet(() -> ctx.schedule().value(l.name, dotKnob));
        List<Knob> knobs = ConvSchedules.space(y.paddedChannels(), y.width(), ctx.lanes, dot);
        int ob = tuned.map(t -> t.get(knobs.get(0).name()))
                .orElseGet(() -> ctx.schedule().value(l.name, knobs.get(0)));
        int owt = tuned.map(t -> t.get(knobs.get(1).name()))
                .orElseGet(() -> ctx.schedule().value(l.name, knobs.get(1)));
        ctx.used(l.name, knobs.get(0).name(), ob);
        ctx.used(l.name, knobs.get(1).name(), owt);
        ctx.used(l.name, dotKnob.name(), dot);
        ctx.speed(task.key() + " dot=" + dot + " ob=" + ob + " owt=" + owt + " rounding=" + l.rq.rounding());
        return new Schedule(dot, ob, owt);
    }

    /**
     * The weights in the kernel's order: blocks of {@code ob} output channels, kernel rows of
     * {@code rowLength} elements ({@code cc} channels per column), {@code group} elements per output.
     */
    private static int[] packWeights(Layer l, int nb, int ob, int cc, int rowLength, int group) {
        int[] packed = new int[nb * l.kh * rowLength * ob];
        for (int o = 0; o < l.outC; o++) {
            for (int c = 0; c < l.inCg; c++) {
                for (int kh = 0; kh < l.kh; kh++) {
                    for (int kw = 0; kw < l.kw; kw++) {
                        int j = kw * cc + c; // the element's place in the kernel row as the kernel reads it
                        int at = ((((o / ob) * l.kh + kh) * rowLength + (j - j % group)) * ob)
                                + group * (o % ob)
                                + j % group;
                        packed[at] = l.weights[((o * l.inCg + c) * l.kh + kh) * l.kw + kw];
                    }
                }
            }
        }
        return packed;
    }

    /**
     * The layer's tuning task: everything its kernel's speed depends on (kernel, operand kinds,
     * shapes, window, zero points, whether the 8-bit dot and the compact pairs are exact), and
     * every schedule it may take: each dot's blocks x tiles.
     */
    private static LayerTask task(
            Layer l,
            TensorStorage x,
            TensorStorage y,
            boolean wide,
            boolean dot8Exact,
            boolean pairsExact,
            Knob dotKnob,
            EmitContext ctx) {
        String key = String.format(
                Locale.ROOT,
                "conv%s x=%s:%dx%dx%d/%d y=%s:%dx%dx%d k=%dx%d s=%dx%d p=%dx%d d=%dx%d" + " dot8=%b pairs=%b zx=%b",
                wide ? "_wide" : "",
                x.dtype(),
                x.height(),
                x.width(),
                x.paddedChannels(),
                l.inCg,
                y.dtype(),
                y.height(),
                y.width(),
                y.paddedChannels(),
                l.kh,
                l.kw,
                l.window.strideH(),
                l.window.strideW(),
                l.window.padTop(),
                l.window.padLeft(),
                l.window.dilationH(),
                l.window.dilationW(),
                dot8Exact,
                pairsExact,
                l.zx != 0);
        return new LayerTask(key, candidates(y, dotKnob, ctx));
    }

    /** Every schedule a layer may take: each dot's blocks x tiles. */
    private static List<Map<String, Integer>> candidates(TensorStorage y, Knob dotKnob, EmitContext ctx) {
        List<Map<String, Integer>> candidates = new ArrayList<>();
        for (int dot : dotKnob.candidates()) {
            List<Knob> knobs = ConvSchedules.space(y.paddedChannels(), y.width(), ctx.lanes, dot);
            for (int ob : knobs.get(0).candidates()) {
                for (int owt : knobs.get(1).candidates()) {
                    candidates.add(Map.of(
                            ConvSchedules.DOT,
                            dot,
                            knobs.get(0).name(),
                            ob,
                            knobs.get(1).name(),
                            owt));
                }
            }
        }
        return candidates;
    }

    /**
     * The channel stride of the halo-padded input copy: the layer's real input channels where they
     * are fewer than the stored (padded) ones and the kernel row of {@code kw x channels} elements
     * then needs fewer groups of {@code group} (qt_pad_compact: a first layer of 1 or 3 channels,
     * which the padded layout reads as 4), else the stored count. Only the SIMD kernels
     * read the compact copy, and only with dilation 1 (the taps of a kernel row contiguous).
     */
    private static int compactChannels(Layer l, int cp, boolean fast, int group) {
        boolean fewer = l.group == 1 && l.inCg < cp && roundUp(l.kw * l.inCg, group) < l.kw * cp;
        return fast && fewer && l.window.dilationW() == 1 ? l.inCg : cp;
    }

    /** Elements after a compact copy that a kernel row's last group may reach (kept as padding). */
    private static final int COMPACT_SLACK = 4;

    private static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    /**
     * The row of {@code cp} input elements that the portable direct kernel reads for a pixel in the
     * padding: the input zero point in the dot layout's element type (u8, i8 offset by +128, for
     * dot 8; int16 for dot 16). All zeros is the shared {@code qt_zero}, else a constant of the layer.
     */
    private static String padRow(Layer l, TensorStorage x, int dot, int cp, EmitContext ctx) {
        int pad = l.zx + (dot == 8 && x.dtype() == DType.I8 ? 128 : 0);
        if (pad == 0) {
            ctx.needZeroBytes(2L * cp);
            return "qt_zero";
        }
        return ctx.declarePadRow(dot == 8 ? "uint8_t" : "int16_t", cp, pad);
    }

    /**
     * Rows (or columns) of the halo-padded input the AVX2 kernel reads: {@code qt_padded_extent}
     * of the kernel library, the image plus its leading padding or the last window's reach.
     */
    static int paddedExtent(int n, int p0, int out, int stride, int k, int dilation) {
        int need = (out - 1) * stride + (k - 1) * dilation + 1;
        return Math.max(need, n + p0);
    }

    private static String depthwise(Layer l, TensorStorage x, TensorStorage y, EmitContext ctx) {
        int cp = x.paddedChannels();
        int taps = l.kh * l.kw;
        if (ctx.features.isa().depthwiseTakes(cp)) {
            return depthwiseAvx2(l, x, y, ctx);
        }
        int[] packed = new int[taps * cp];
        for (int c = 0; c < l.outC; c++) {
            for (int t = 0; t < taps; t++) {
                packed[t * cp + c] = l.weights[c * taps + t];
            }
        }
        String args = ctx.declareStruct(
                "qt_conv_args",
                List.of(
                        inputFields(l, x, ctx),
                        weightFields(ctx.declare("int16_t", packed), l, l.bias, cp, ctx),
                        outputFields(l, y, ctx),
                        windowFields(l),
                        ".zx = " + l.zx));
        return String.format("    qt_conv_depthwise(&%s);%n", args);
    }

    /**
     * The AVX2 depthwise kernel: halo-padded unsigned 8-bit (or int16) input as for dot 8, weights as
     * int32 [taps][CP] holding the int16 pair (w, 0), so vpmaddwd gives x * w exactly.
     */
    private static String depthwiseAvx2(Layer l, TensorStorage x, TensorStorage y, EmitContext ctx) {
        int cp = x.paddedChannels();
        int taps = l.kh * l.kw;
        int[] packed = new int[taps * cp];
        for (int c = 0; c < l.outC; c++) {
            for (int t = 0; t < taps; t++) {
                packed[t * cp + c] = l.weights[c * taps + t] & 0xffff;
            }
        }
        int hp =
                paddedExtent(x.height(), l.window.padTop(), y.height(), l.window.strideH(), l.kh, l.window.dilationH());
        int wp = paddedExtent(x.width(), l.window.padLeft(), y.width(), l.window.strideW(), l.kw, l.window.dilationW());
        ctx.needWideInput((long) hp * wp * cp);
        int[] bias = x.dtype() == DType.I8 ? DotEight.offsetBias(l.bias, l.weights, l.outC, -128) : l.bias;
        String args = ctx.declareStruct(
                "qt_conv_args",
                List.of(
                        inputFields(l, x, ctx),
                        weightFields(ctx.declare("int32_t", packed), l, bias, cp, ctx),
                        outputFields(l, y, ctx),
                        windowFields(l),
                        ".scratch = qt_x16, .zx = " + l.zx));
        String work = ctx.work(String.format("    qt_depthwise_part(&%s, w0, w1);%n", args));
        return String.format(
                "    qt_depthwise_prepare(&%s);%n    qt_parallel(%s, in, out, %d);%n", args, work, y.height());
    }

    private static String grouped(Layer l, TensorStorage x, TensorStorage y, boolean wide, EmitContext ctx) {
        int taps = l.kh * l.kw;
        int[] packed = new int[l.outC * taps * l.inCg];
        for (int o = 0; o < l.outC; o++) {
            for (int c = 0; c < l.inCg; c++) {
                for (int t = 0; t < taps; t++) {
                    packed[(o * taps + t) * l.inCg + c] = l.weights[(o * l.inCg + c) * taps + t];
                }
            }
        }
        String args = ctx.declareStruct(
                "qt_conv_args",
                List.of(
                        inputFields(l, x, ctx) + ", .C = " + x.channels(),
                        weightFields(ctx.declare("int16_t", packed), l, l.bias, l.outC, ctx),
                        outputFields(l, y, ctx) + ", .OC = " + l.outC,
                        windowFields(l) + ", .group = " + l.group,
                        ".zx = " + l.zx));
        return String.format("    %s(&%s);%n", wide ? "qt_conv_grouped_wide" : "qt_conv_grouped", args);
    }

    /** The input fields of a {@code qt_conv_args}: buffer, kind, height, width, stored channels. */
    private static String inputFields(Layer l, TensorStorage x, EmitContext ctx) {
        return String.format(
                ".x = %s, .xk = %s, .H = %d, .W = %d, .CP = %d",
                ctx.staticBuffer(l.input), EmitContext.kind(x.dtype()), x.height(), x.width(), x.paddedChannels());
    }

    /**
     * The weight and output-stage fields: the packed weights {@code wpk}, then bias, mantissas and
     * shifts as per-channel arrays of {@code n} entries (zeros past the channels), rounding, clamp
     * bounds and zy, the output zero point.
     */
    private static String weightFields(String wpk, Layer l, int[] layerBias, int n, EmitContext ctx) {
        int[] bias = new int[n];
        int[] mant = new int[n];
        int[] shift = new int[n];
        for (int o = 0; o < l.outC; o++) {
            bias[o] = layerBias == null ? 0 : layerBias[o];
            FixedPointMultiplier m = l.rq.multiplier(o);
            mant[o] = m.mantissa();
            shift[o] = m.shift();
        }
        return String.format(
                ".wpk = %s, .bias = %s, .mant = %s, .shift = %s, .rounding = %s, .lo = %d, .hi = %d, " + ".zy = %d",
                wpk,
                ctx.declare("int32_t", bias),
                ctx.declare("int32_t", mant),
                ctx.declare("int8_t", shift),
                rounding(l.rq.rounding()),
                l.rq.range().min(),
                l.rq.range().max(),
                l.rq.zeroPoint());
    }

    /** The output fields: buffer, kind, height, width, stored channels. */
    private static String outputFields(Layer l, TensorStorage y, EmitContext ctx) {
        return String.format(
                ".y = %s, .yk = %s, .OH = %d, .OW = %d, .OCP = %d",
                ctx.staticBuffer(l.output), EmitContext.kind(y.dtype()), y.height(), y.width(), y.paddedChannels());
    }

    /** The window fields: kernel, stride, leading padding and dilation. */
    private static String windowFields(Layer l) {
        Window2d w = l.window;
        return String.format(
                ".KH = %d, .KW = %d, .SH = %d, .SW = %d, .PT = %d, .PL = %d, .DH = %d, .DW = %d",
                l.kh, l.kw, w.strideH(), w.strideW(), w.padTop(), w.padLeft(), w.dilationH(), w.dilationW());
    }

    static String rounding(Rounding r) {
        return r == Rounding.UPWARD ? "QT_UPWARD" : "QT_TONEAREST";
    }
}
