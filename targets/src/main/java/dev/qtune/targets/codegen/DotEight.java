package dev.qtune.targets.codegen;

import dev.qtune.compiler.ir.AvgPool2dNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.FlattenNode;
import dev.qtune.compiler.ir.GlobalAvgPoolNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.IdentityNode;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QAddNode;
import dev.qtune.compiler.ir.QConcatNode;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.QDenseNode;
import dev.qtune.compiler.ir.QuantizeNode;
import dev.qtune.compiler.ir.ReshapeNode;
import dev.qtune.compiler.quant.IntRange;
import java.util.Optional;

/**
 * When the 8-bit dot kernel (vpmaddubsw + vpmaddwd) is exact for a layer. Inputs enter it
 * unsigned: u8 as stored, i8 offset by +128. vpmaddubsw saturates each sum of two adjacent
 * products to int16, so the layer qualifies only if for every pair of adjacent input channels and
 * every output channel, max_input * max(sum of the pair's positive weights, sum of its negative
 * weights' magnitudes) <= 32767. With 8-bit unsigned inputs that holds for weights of at most
 * 7 bits (|w| <= 64); with 7-bit inputs for any int8 weights: the search can choose either.
 *
 * Zero points change none of this: the kernel multiplies the stored integers, so the ranges are
 * storage ranges, to which only the padding value (the input zero point) and an average pool's
 * result (which lies between its inputs and their zero point) are added.
 */
final class DotEight {
    private static final int INT16_MAX = 32767;

    private DotEight() {}

    /**
     * The unsigned range [lo, hi] the kernel sees for an input value whose padding reads
     * {@code pad} (its zero point), or empty when it cannot take it (16-bit).
     */
    static Optional<IntRange> inputRange(Graph g, String value, int pad) {
        DType d = g.type(value).dtype();
        if (d != DType.U8 && d != DType.I8) {
            return Optional.empty();
        }
        IntRange r = span(produced(g, value).orElse(new IntRange((int) d.min(), (int) d.max())), pad);
        int offset = d == DType.I8 ? 128 : 0;
        return Optional.of(new IntRange(r.min() + offset, r.max() + offset));
    }

    /** The smallest range holding {@code r} and {@code v}. */
    private static IntRange span(IntRange r, int v) {
        return new IntRange(Math.min(r.min(), v), Math.max(r.max(), v));
    }

    /** The saturation range of the integer op that produced a value (through pools and reshapes). */
    private static Optional<IntRange> produced(Graph g, String value) {
        Optional<Node> p = g.producer(value);
        if (p.isEmpty()) {
            return Optional.empty();
        }
        Node n = p.get();
        if (n instanceof QConv2dNode q) {
            return Optional.of(q.requantize().range());
        } else if (n instanceof QDenseNode q) {
            return Optional.of(q.requantize().range());
        } else if (n instanceof QAddNode q) {
            return Optional.of(q.requantize().range());
        } else if (n instanceof QConcatNode q) {
            return Optional.of(q.requantize().range());
        } else if (n instanceof QuantizeNode q) {
            return Optional.of(q.range());
        } else if (n instanceof AvgPool2dNode pool) {
            // z + round(mean of (q - z) with pads as 0) lies between the inputs and z.
            return produced(g, n.inputs().get(0)).map(r -> span(r, pool.zeroPoint()));
        } else if (n instanceof GlobalAvgPoolNode pool) {
            return produced(g, n.inputs().get(0)).map(r -> span(r, pool.zeroPoint()));
        } else if (n instanceof MaxPool2dNode
                || n instanceof FlattenNode
                || n instanceof ReshapeNode
                || n instanceof IdentityNode) {
            // Max pools and reshapes keep the range of their input.
            return produced(g, n.inputs().get(0));
        }
        return Optional.empty();
    }

    /**
     * Whether the weights are int8 (a pre-quantized model's weights less their zero point may be
     * 9-bit, stored as int16) and vpmaddubsw's int16 pair sums stay exact. The kernel reads each
     * kernel row as {@code kw x stride} elements, tap-major (element j is channel j % stride of tap
     * j / stride; a zero weight past the real {@code inC}), and sums elements 2i and 2i + 1 in int16.
     * {@code stride} is the stored channel count (a multiple of 4: the pairs are neighbouring
     * channels of one tap) or, in a first layer's compact copy (IntConvEmitter), the real
     * {@code inC}, where a pair may be neighbouring taps of one channel.
     */
    static boolean exact(int[] weights, int outC, int inC, int kh, int kw, int stride, Optional<IntRange> input) {
        if (!eightBitOperands(weights, input)) {
            return false;
        }
        long maxA = input.get().max();
        int row = kw * stride;
        for (int o = 0; o < outC; o++) {
            for (int h = 0; h < kh; h++) {
                for (int j = 0; j < row; j += 2) {
                    int w0 = rowWeight(weights, o, inC, kh, kw, stride, h, j);
                    int w1 = j + 1 < row ? rowWeight(weights, o, inC, kh, kw, stride, h, j + 1) : 0;
                    long pos = Math.max(w0, 0) + Math.max(w1, 0);
                    long neg = Math.max(-w0, 0) + Math.max(-w1, 0);
                    if (maxA * Math.max(pos, neg) > INT16_MAX) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** The OIHW weight at element {@code j} of kernel row {@code h} as {@link #exact} reads it. */
    private static int rowWeight(int[] weights, int o, int inC, int kh, int kw, int stride, int h, int j) {
        int c = j % stride;
        return c < inC ? weights[((o * inC + c) * kh + h) * kw + j / stride] : 0;
    }

    /**
     * Whether vpdpbusd (AVX-512 VNNI) is exact for the layer: it adds four u8 x s8 products to an
     * int32 lane with no int16 step, so any 8-bit input (its kernel range within [0, 255]) times
     * int8 weights is; only 9-bit weights (int16 storage) are not.
     */
    static boolean exactVnni(int[] weights, Optional<IntRange> input) {
        return eightBitOperands(weights, input);
    }

    /** Whether the kernel's input lies in [0, 255] and every weight fits int8. */
    private static boolean eightBitOperands(int[] weights, Optional<IntRange> input) {
        if (input.isEmpty() || input.get().min() < 0 || input.get().max() > 255) {
            return false;
        }
        for (int w : weights) {
            if (w < Byte.MIN_VALUE || w > Byte.MAX_VALUE) {
                return false;
            }
        }
        return true;
    }

    /**
     * bias + offset * sum(w) per output channel: an input offset by -offset (i8 read as u8: +128,
     * offset -128; u8 read as s8 by sdot: -128, offset +128) leaves the sum unchanged (int32
     * wrap-around).
     */
    static int[] offsetBias(int[] bias, int[] weights, int outC, int offset) {
        int[] b = new int[outC];
        int per = weights.length / outC;
        for (int o = 0; o < outC; o++) {
            long sum = 0;
            for (int i = 0; i < per; i++) {
                sum += weights[o * per + i];
            }
            b[o] = (int) ((bias == null ? 0 : bias[o]) + offset * sum);
        }
        return b;
    }
}
