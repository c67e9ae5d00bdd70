package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Requantize;

/**
 * Accumulators wider than int32, for the layers whose worst case does not fit (16-bit
 * activations): docs/integer-semantics.md makes the sum exact either way, in int32 when for every
 * output o, max|x| * sum over k of |w[o][k]| + |bias[o]| <= 2^31 - 1 (max|x| from the input's
 * storage type, the weights and bias from the constants; every partial sum is bounded by the same
 * number, in any order), in int64 otherwise.
 */
public final class WideAccumulation {
    private WideAccumulation() {}

    /**
     * Whether a layer with these operands needs int64 accumulators; {@code weights} holds one row of
     * {@code k} per output (conv [oc][c/g][kh][kw], dense [n][k]) and {@code bias} one per output.
     */
    public static boolean needed(int k, DType input, int[] weights, int[] bias) {
        long maxX = Math.max(Math.abs(input.min()), input.max());
        if (k <= 0 || weights.length % k != 0 || bias != null && bias.length != weights.length / k) {
            return worstCase(k, maxX, weights, bias);
        }
        for (int o = 0; o < weights.length / k; o++) {
            long sum = 0;
            for (int i = o * k; i < (o + 1) * k; i++) {
                sum += Math.abs((long) weights[i]);
            }
            if (maxX * sum + (bias == null ? 0 : Math.abs((long) bias[o])) > Integer.MAX_VALUE) {
                return true;
            }
        }
        return false;
    }

    /** The bound without the per-output rows: K * max|x| * max|w| + max|bias|. */
    private static boolean worstCase(int k, long maxX, int[] weights, int[] bias) {
        long maxW = 0;
        for (int w : weights) {
            maxW = Math.max(maxW, Math.abs((long) w));
        }
        long maxB = 0;
        if (bias != null) {
            for (int b : bias) {
                maxB = Math.max(maxB, Math.abs((long) b));
            }
        }
        return k * maxX * maxW + maxB > Integer.MAX_VALUE;
    }

    /** C += A x B with int64 rows of C, in the row layout of {@link Igemm}. */
    static void multiplyAdd(int m, int n, int k, int[] a, int aOff, int lda, int[][] b, long[][] c) {
        for (int i = 0; i < m; i++) {
            long[] acc = c[i];
            int ar = aOff + i * lda;
            for (int p = 0; p < k; p++) {
                long a0 = a[ar + p];
                int[] b0 = b[p];
                for (int j = 0; j < n; j++) {
                    acc[j] += a0 * b0[j];
                }
            }
        }
    }

    /** dst[dOff + i] = clamp(M_channel(src[sOff + i]) + zero point) for i < n, from int64 accumulators. */
    static void requantize(long[] src, int sOff, int[] dst, int dOff, int n, Requantize rq, int channel) {
        for (int i = 0; i < n; i++) {
            dst[dOff + i] = rq.apply(src[sOff + i], channel);
        }
    }
}
