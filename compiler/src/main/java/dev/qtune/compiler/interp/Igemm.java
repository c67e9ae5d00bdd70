package dev.qtune.compiler.interp;

import java.util.Arrays;

/**
 * Exact integer matrix multiply-accumulate, C += A x B, in the row layout of {@link Sgemm} (A flat
 * row-major, B and C as row arrays) so that C2 vectorises the inner loop. int32 accumulation:
 * callers guarantee that no sum leaves the int32 range (see docs/integer-semantics.md).
 */
final class Igemm {
    private Igemm() {}

    static void multiplyAdd(int m, int n, int k, int[] a, int aOff, int lda, int[][] b, int[][] c) {
        for (int i = 0; i < m; i++) {
            int[] acc = c[i];
            int ar = aOff + i * lda;
            int p = 0;
            for (; p + 3 < k; p += 4) {
                fused4(acc, a, ar + p, b, p, n);
            }
            for (; p < k; p++) {
                int a0 = a[ar + p];
                int[] b0 = b[p];
                for (int j = 0; j < n; j++) {
                    acc[j] += a0 * b0[j];
                }
            }
        }
    }

    /** acc[0..n) += a[ap + q] * b[p + q][0..n) for q < 4, in one pass over acc. */
    private static void fused4(int[] acc, int[] a, int ap, int[][] b, int p, int n) {
        int a0 = a[ap], a1 = a[ap + 1], a2 = a[ap + 2], a3 = a[ap + 3];
        int[] b0 = b[p], b1 = b[p + 1], b2 = b[p + 2], b3 = b[p + 3];
        for (int j = 0; j < n; j++) {
            acc[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
        }
    }

    static int[][] rows(int[] flat, int off, int rows, int cols) {
        int[][] r = new int[rows][];
        for (int i = 0; i < rows; i++) {
            r[i] = Arrays.copyOfRange(flat, off + i * cols, off + (i + 1) * cols);
        }
        return r;
    }
}
