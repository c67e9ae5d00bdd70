/*
 * fp32 kernels (included by qtune_kernels.h) for the layers a config leaves in fp32. The exact
 * ones follow the Java fp32 interpreter's order of operations (compiler/.../interp: Im2col, Sgemm,
 * PoolKernels, ElementwiseKernels), so that with -ffp-contract=off a module's fp32 islands give
 * the same bits as the interpreter; the fast ones (below, x86 with FMA) do not, within
 * docs/codegen.md's tolerance. All fp32 tensors are NCHW.
 */
#ifndef QTUNE_FP32_KERNELS_H
#define QTUNE_FP32_KERNELS_H

#include "qtune_common.h"

/*
 * c[i][0..n) += sum over p < k of a[i*k + p] * b[p][0..n), four taps at a time, grouped as
 * ((a0*b0 + a1*b1) + a2*b2) + a3*b3 and then added to c: the order of interp/Sgemm.
 */
QT_INLINE void qt_sgemm(int m, int n, int k, const float *a, const float *b, float *c) {
    for (int i = 0; i < m; i++) {
        float *acc = c + (size_t) i * n;
        const float *ar = a + (size_t) i * k;
        int p = 0;
        for (; p + 3 < k; p += 4) {
            const float a0 = ar[p], a1 = ar[p + 1], a2 = ar[p + 2], a3 = ar[p + 3];
            const float *b0 = b + (size_t) p * n, *b1 = b0 + n, *b2 = b1 + n, *b3 = b2 + n;
            for (int j = 0; j < n; j++) {
                acc[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
            }
        }
        for (; p < k; p++) {
            const float a0 = ar[p];
            const float *b0 = b + (size_t) p * n;
            for (int j = 0; j < n; j++) {
                acc[j] += a0 * b0[j];
            }
        }
    }
}

/* Unfolds one group of one image: row (c*KH + ki)*KW + kj holds the OH*OW inputs tap (ki, kj) sees. */
QT_INLINE void qt_im2col(const float *x, int C, int H, int W, int KH, int KW, int SH, int SW, int PT, int PL, int DH,
                         int DW, int OH, int OW, float *col) {
    size_t row = 0;
    for (int c = 0; c < C; c++) {
        for (int ki = 0; ki < KH; ki++) {
            for (int kj = 0; kj < KW; kj++, row++) {
                float *dst = col + row * (size_t) OH * OW;
                for (int oh = 0; oh < OH; oh++) {
                    const int ih = oh * SH - PT + ki * DH;
                    for (int ow = 0; ow < OW; ow++) {
                        const int iw = ow * SW - PL + kj * DW;
                        dst[oh * OW + ow] = ih >= 0 && ih < H && iw >= 0 && iw < W
                                ? x[((size_t) c * H + ih) * W + iw] : 0.0f;
                    }
                }
            }
        }
    }
}

/* fp32 convolution: per group, im2col then the Sgemm order, each output row starting at the bias. */
QT_INLINE void qt_conv_f32(const float *x, int C, int H, int W, const float *w, const float *bias, float *y, int OC,
                           int OH, int OW, int KH, int KW, int SH, int SW, int PT, int PL, int DH, int DW, int group,
                           float *col) {
    const int cg = C / group;
    const int mg = OC / group;
    const int kk = cg * KH * KW;
    const int p = OH * OW;
    for (int g = 0; g < group; g++) {
        qt_im2col(x + (size_t) g * cg * H * W, cg, H, W, KH, KW, SH, SW, PT, PL, DH, DW, OH, OW, col);
        float *yg = y + (size_t) g * mg * p;
        for (int m = 0; m < mg; m++) {
            const float b = bias ? bias[g * mg + m] : 0.0f;
            for (int j = 0; j < p; j++) {
                yg[(size_t) m * p + j] = b;
            }
        }
        qt_sgemm(mg, p, kk, w + (size_t) g * mg * kk, col, yg);
    }
}

/*
 * fp32 Gemm / MatMul: y[m][n] = A[m][k] x B, B given as k rows of n (transposed at build time when
 * transB), then y *= alpha when alpha != 1, then y += beta * broadcast(bias) (bias_index gives, per
 * output element, the bias element it reads).
 */
QT_INLINE void qt_gemm_f32(const float *a, const float *b, const float *bias, const int32_t *bias_index, float *y,
                           int m, int n, int k, float alpha, float beta) {
    for (size_t i = 0; i < (size_t) m * n; i++) {
        y[i] = 0.0f;
    }
    qt_sgemm(m, n, k, a, b, y);
    if (alpha != 1.0f) {
        for (size_t i = 0; i < (size_t) m * n; i++) {
            y[i] *= alpha;
        }
    }
    if (bias) {
        for (size_t i = 0; i < (size_t) m * n; i++) {
            y[i] += beta * bias[bias_index[i]];
        }
    }
}

/* Max or average pool over NCHW planes, in the interpreter's window order (PoolGeometry). */
QT_INLINE void qt_pool_f32(const float *x, float *y, int planes, int H, int W, int OH, int OW, int KH, int KW, int SH,
                           int SW, int PT, int PL, int PB, int PR, int DH, int DW, int is_max, int count_pad) {
    for (int pl = 0; pl < planes; pl++) {
        const float *xp = x + (size_t) pl * H * W;
        for (int oh = 0; oh < OH; oh++) {
            for (int ow = 0; ow < OW; ow++) {
                float acc = is_max ? -INFINITY : 0.0f;
                int n = 0;
                int padded = 0;
                for (int ki = 0; ki < KH; ki++) {
                    const int ih = oh * SH - PT + ki * DH;
                    for (int kj = 0; kj < KW; kj++) {
                        const int iw = ow * SW - PL + kj * DW;
                        if (ih < H + PB && iw < W + PR) {
                            padded++;
                        }
                        if (ih >= 0 && ih < H && iw >= 0 && iw < W) {
                            const float v = xp[ih * W + iw];
                            acc = is_max ? qt_jmax(acc, v) : acc + v;
                            n++;
                        }
                    }
                }
                y[((size_t) pl * OH + oh) * OW + ow] =
                        is_max ? acc : acc / (float) (count_pad ? padded : (n > 0 ? n : 1));
            }
        }
    }
}

/* Global average pool: the sum in double, then (float)(sum / size). */
QT_INLINE void qt_global_avg_pool_f32(const float *x, float *y, int planes, int size) {
    for (int p = 0; p < planes; p++) {
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += x[(size_t) p * size + i];
        }
        y[p] = (float) (sum / size);
    }
}

/* Java's Math.min(Math.max(x, lo), hi) element-wise (Relu, Clip). */
QT_INLINE void qt_clamp_f32(const float *x, float *y, size_t n, float lo, float hi) {
    size_t i0 = 0;
#if QT_AVX2
    /*
     * vmaxps / vminps return their second operand on NaN and on two zeros: with x second, NaN
     * passes as in Java; equal operands (two zeros of either sign) take the AND (max: +0 wins) or
     * the OR (min: -0 wins) of their bits, which for equal non-zero values is the value itself.
     */
    const __m256 vlo = _mm256_set1_ps(lo);
    const __m256 vhi = _mm256_set1_ps(hi);
    i0 = n / 8 * 8;
    for (size_t i = 0; i < i0; i += 8) {
        const __m256 v = _mm256_loadu_ps(x + i);
        __m256 r = _mm256_blendv_ps(_mm256_max_ps(vlo, v), _mm256_and_ps(v, vlo), _mm256_cmp_ps(v, vlo, _CMP_EQ_OQ));
        r = _mm256_blendv_ps(_mm256_min_ps(vhi, r), _mm256_or_ps(r, vhi), _mm256_cmp_ps(r, vhi, _CMP_EQ_OQ));
        _mm256_storeu_ps(y + i, r);
    }
#endif
    for (size_t i = i0; i < n; i++) {
        y[i] = qt_jmin(qt_jmax(x[i], lo), hi);
    }
}

/* Softmax over an axis: max, a double sum of exp(x - max), then exp(x - max) / sum per element. */
QT_INLINE void qt_softmax_f32(const float *x, float *y, int outer, int len, int inner) {
    for (int o = 0; o < outer; o++) {
        for (int i = 0; i < inner; i++) {
            const size_t base = (size_t) o * len * inner + i;
            float max = -INFINITY;
            for (int k = 0; k < len; k++) {
                max = qt_jmax(max, x[base + (size_t) k * inner]);
            }
            double sum = 0;
            for (int k = 0; k < len; k++) {
                sum += exp((double) (x[base + (size_t) k * inner] - max));
            }
            for (int k = 0; k < len; k++) {
                y[base + (size_t) k * inner] = (float) (exp((double) (x[base + (size_t) k * inner] - max)) / sum);
            }
        }
    }
}

/*
 * ---- Fast fp32 kernels (x86 with FMA: AVX2 or AVX-512) ----
 *
 * These do not follow the interpreter's order: they multiply-add with FMA (one rounding per step)
 * and sum a convolution's taps in the order c, ki, kj. Their outputs match the interpreter within
 * the tolerance stated in docs/codegen.md ("fp32 tolerance"), not bit for bit.
 *
 * Convolution (strides SH, SW, dilation 1) as an implicit GEMM over a phase-split padded input:
 * for each channel and phase (pi, pj) < (SH, SW), plane[a][b] = x[a*SH + pi - PT][b*SW + pj - PL]
 * (the fill value outside the image), HH x WH elements at a stride of PS floats. Output pixel
 * (oh, ow) then reads, for tap (ki, kj), plane (ki % SH, kj % SW) at (oh + ki / SH, ow + kj / SW): consecutive
 * ow read consecutive floats, whatever the stride. The kernels compute a "wide" output of OH rows
 * of WH pixels (the columns past OW are discarded), so one run of vector loads crosses rows
 * without a gather: the tap of weight k sits off[k] floats from the pixel's base, a table made at
 * build time. Register tile: MR output channels (weights broadcast) x NV vectors of wide pixels.
 */
#if QT_F32_AVX512
typedef __m512 qt_fv;
#define QT_FLANES 16
#define qt_fv_set1 _mm512_set1_ps
#define qt_fv_load _mm512_loadu_ps
#define qt_fv_store _mm512_storeu_ps
#define qt_fv_fma _mm512_fmadd_ps
#define qt_fv_max _mm512_max_ps
#define qt_fv_min _mm512_min_ps
#define QT_FAST_FP32 1
#elif QT_F32_AVX2
typedef __m256 qt_fv;
#define QT_FLANES 8
#define qt_fv_set1 _mm256_set1_ps
#define qt_fv_load _mm256_loadu_ps
#define qt_fv_store _mm256_storeu_ps
#define qt_fv_fma _mm256_fmadd_ps
#define qt_fv_max _mm256_max_ps
#define qt_fv_min _mm256_min_ps
#define QT_FAST_FP32 1
#endif

#if defined(QT_FAST_FP32)

/*
 * Register tiles are fixed-size arrays indexed by constants once the loops unroll, so GCC keeps
 * them in registers (a variable-length array would live on the stack): MR <= QT_F_MR (QT_F_CVR for
 * the channel-vector tile), NV <= QT_F_NV.
 */
#define QT_F_MR 8
#define QT_F_NV 4
#define QT_F_CVR 12

/* v clamped to [lo, hi] when clamp is set (max then min, NaN kept as Java's Math.max/min keep it), else v. */
QT_INLINE qt_fv qt_f32_clamp(qt_fv v, int clamp, float lo, float hi) {
    return clamp ? qt_fv_min(qt_fv_set1(hi), qt_fv_max(qt_fv_set1(lo), v)) : v;
}

/* Writes the C x SH x SW phase planes of x (NCHW, C x H x W) for a layer of strides (SH, SW) into xp. */
QT_INLINE void qt_f32_phases(const float *x, int C, int H, int W, int SH, int SW, int PT, int PL, int HH, int WH,
                             int PS, float fill, float *xp) {
    for (int c = 0; c < C; c++) {
        const float *xc = x + (size_t) c * H * W;
        for (int pi = 0; pi < SH; pi++) {
            for (int pj = 0; pj < SW; pj++) {
                float *plane = xp + ((size_t) (c * SH + pi) * SW + pj) * PS;
                for (int a = 0; a < HH; a++) {
                    const int ih = a * SH + pi - PT;
                    float *row = plane + (size_t) a * WH;
                    if (ih < 0 || ih >= H) {
                        for (int b = 0; b < WH; b++) {
                            row[b] = fill;
                        }
                        continue;
                    }
                    const float *xr = xc + (size_t) ih * W;
                    if (SW == 1) {
                        /* b - PL in [0, W): a copy between two runs of the fill value */
                        const int b0 = PL < WH ? PL : WH;
                        const int b1 = W + PL < WH ? W + PL : WH;
                        for (int b = 0; b < b0; b++) {
                            row[b] = fill;
                        }
                        memcpy(row + b0, xr + (b0 - PL), sizeof(float) * (size_t) (b1 - b0));
                        for (int b = b1; b < WH; b++) {
                            row[b] = fill;
                        }
                    } else {
                        /* b in [b0, b1) reads iw = b*SW + pj - PL in [0, W) */
                        int b0 = PL - pj > 0 ? (PL - pj + SW - 1) / SW : 0;
                        int b1 = W - 1 + PL - pj >= 0 ? (W - 1 + PL - pj) / SW + 1 : 0;
                        b0 = b0 < WH ? b0 : WH;
                        b1 = b1 < WH ? (b1 > b0 ? b1 : b0) : WH;
                        for (int b = 0; b < b0; b++) {
                            row[b] = fill;
                        }
                        for (int b = b0; b < b1; b++) {
                            row[b] = xr[b * SW + pj - PL];
                        }
                        for (int b = b1; b < WH; b++) {
                            row[b] = fill;
                        }
                    }
                }
            }
        }
    }
}

/*
 * MR output channels x wide pixels [j0, j1): yw[r][j] = bias[r] + sum over k < K of wp[k*MR + r] *
 * xp[off[k] + j], NV vectors of pixels at a time (a last partial tile runs into yw's padding),
 * clamped to [lo, hi] when CLAMP (max then min, NaN kept as Java's Math.max/min keep it).
 */
QT_INLINE void qt_f32_panel(const float *xp, const int32_t *off, int K, const float *wp, const float *bias,
                            float *yw, int j0, int j1, int NWP, int MR, int NV, int CLAMP, float lo, float hi) {
    for (int j = j0; j < j1; j += NV * QT_FLANES) {
        qt_fv acc[QT_F_MR][QT_F_NV];
#pragma GCC unroll 16
        for (int r = 0; r < MR; r++) {
#pragma GCC unroll 4
            for (int v = 0; v < NV; v++) {
                acc[r][v] = qt_fv_set1(bias[r]);
            }
        }
        const float *xj = xp + j;
        for (int k = 0; k < K; k++) {
            const float *b = xj + off[k];
            qt_fv bv[QT_F_NV];
#pragma GCC unroll 4
            for (int v = 0; v < NV; v++) {
                bv[v] = qt_fv_load(b + v * QT_FLANES);
            }
#pragma GCC unroll 16
            for (int r = 0; r < MR; r++) {
                const qt_fv a = qt_fv_set1(wp[(size_t) k * MR + r]);
#pragma GCC unroll 4
                for (int v = 0; v < NV; v++) {
                    acc[r][v] = qt_fv_fma(a, bv[v], acc[r][v]);
                }
            }
        }
#pragma GCC unroll 16
        for (int r = 0; r < MR; r++) {
#pragma GCC unroll 4
            for (int v = 0; v < NV; v++) {
                qt_fv_store(yw + (size_t) r * NWP + j + v * QT_FLANES, qt_f32_clamp(acc[r][v], CLAMP, lo, hi));
            }
        }
    }
}

/* Copies rows [m0, m1) of the wide output (OH rows of WH pixels, rows NWP apart) to y (NCHW, OH x OW per channel). */
QT_INLINE void qt_f32_compact(const float *yw, float *y, int m0, int m1, int OH, int OW, int WH, int NWP) {
    for (int m = m0; m < m1; m++) {
        for (int oh = 0; oh < OH; oh++) {
            memcpy(y + ((size_t) m * OH + oh) * OW, yw + (size_t) m * NWP + (size_t) oh * WH, sizeof(float) * (size_t) OW);
        }
    }
}

/*
 * The panels [p0, p1) of a group-1 convolution: panel p holds output channels [p*MR, p*MR + MR)
 * (the last one MRT = M % MR channels; MRT is 0 when MR divides M) with weights packed [K][MR] from
 * w + p*MR*K. The input (phase planes, or x itself) is in xp. Wide pixels run in blocks of NB so
 * that a block of the input stays in cache across the panels. The wide output goes to yw, then
 * (COMPACT) to y; without COMPACT, yw is y (no extra columns, NWP = OH * OW).
 */
QT_INLINE void qt_conv_f32_fast_part(const float *xp, const int32_t *off, const float *w, const float *bias, float *yw,
                                     float *y, int M, int K, int OH, int OW, int WH, int NWP, int NB, int MR, int MRT,
                                     int NV, int COMPACT, int CLAMP, float lo, float hi, int p0, int p1) {
    const int full = M / MR;
    const int nw = OH * WH;
    for (int jb = 0; jb < nw; jb += NB) {
        const int je = jb + NB < nw ? jb + NB : nw;
        for (int p = p0; p < p1; p++) {
            const int m0 = p * MR;
            if (p < full) {
                qt_f32_panel(xp, off, K, w + (size_t) m0 * K, bias + m0, yw + (size_t) m0 * NWP, jb, je, NWP, MR, NV,
                             CLAMP, lo, hi);
            } else if (MRT > 0) {
                qt_f32_panel(xp, off, K, w + (size_t) m0 * K, bias + m0, yw + (size_t) m0 * NWP, jb, je, NWP, MRT, NV,
                             CLAMP, lo, hi);
            }
        }
    }
    if (COMPACT) {
        const int m1 = p1 * MR < M ? p1 * MR : M;
        qt_f32_compact(yw, y, p0 * MR, m1, OH, OW, WH, NWP);
    }
}

/*
 * The other orientation, for layers with few pixels (the extra columns of wide rows and the
 * rounding of pixels to vectors would waste a quarter or more of the work there): NV vectors of
 * output channels x MR pixels in registers. Weights are packed [M/(NV*L)][K][NV*L] (channels
 * padded with zeros to whole vectors), each step loads NV weight vectors and broadcasts MR input
 * values, so only real pixels are computed. Pixel p of the output reads plane offset pix[p]
 * (its (oh, ow) in wide coordinates); a tile is written to y (NCHW) through a small transposed
 * buffer.
 */
QT_INLINE void qt_f32_cv_tile(const float *xp, const int32_t *off, int K, const float *wb, const float *bias,
                              const int32_t *pix, float *y, int P, int m0, int M, int p0, int MR, int NV, int CLAMP,
                              float lo, float hi) {
    qt_fv acc[QT_F_CVR][QT_F_NV];
    const float *xr[QT_F_CVR];
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++) {
        xr[r] = xp + pix[p0 + r];
#pragma GCC unroll 4
        for (int v = 0; v < NV; v++) {
            acc[r][v] = qt_fv_load(bias + m0 + v * QT_FLANES);
        }
    }
    for (int k = 0; k < K; k++) {
        qt_fv wv[QT_F_NV];
#pragma GCC unroll 4
        for (int v = 0; v < NV; v++) {
            wv[v] = qt_fv_load(wb + ((size_t) k * NV + v) * QT_FLANES);
        }
        const int o = off[k];
#pragma GCC unroll 16
        for (int r = 0; r < MR; r++) {
            const qt_fv a = qt_fv_set1(xr[r][o]);
#pragma GCC unroll 4
            for (int v = 0; v < NV; v++) {
                acc[r][v] = qt_fv_fma(a, wv[v], acc[r][v]);
            }
        }
    }
    float buf[QT_F_CVR][QT_F_NV * QT_FLANES] __attribute__((aligned(64)));
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++) {
#pragma GCC unroll 4
        for (int v = 0; v < NV; v++) {
            qt_fv_store(buf[r] + v * QT_FLANES, qt_f32_clamp(acc[r][v], CLAMP, lo, hi));
        }
    }
    const int mn = M - m0 < NV * QT_FLANES ? M - m0 : NV * QT_FLANES;
    for (int c = 0; c < mn; c++) {
        float *yc = y + (size_t) (m0 + c) * P + p0;
#pragma GCC unroll 16
        for (int r = 0; r < MR; r++) {
            yc[r] = buf[r][c];
        }
    }
}

/*
 * Channel blocks [b0, b1) of NV*L output channels of a group-1 convolution over all P output
 * pixels, MR at a time (the last MRT = P % MR). bias is padded to whole blocks.
 */
QT_INLINE void qt_conv_f32_cv_part(const float *xp, const int32_t *off, const int32_t *pix, const float *w,
                                   const float *bias, float *y, int M, int K, int P, int MR, int MRT, int NV, int CLAMP,
                                   float lo, float hi, int b0, int b1) {
    for (int b = b0; b < b1; b++) {
        const float *wb = w + (size_t) b * K * NV * QT_FLANES;
        const int m0 = b * NV * QT_FLANES;
        int p = 0;
        for (; p + MR <= P; p += MR) {
            qt_f32_cv_tile(xp, off, K, wb, bias, pix, y, P, m0, M, p, MR, NV, CLAMP, lo, hi);
        }
        if (MRT > 0) {
            qt_f32_cv_tile(xp, off, K, wb, bias, pix, y, P, m0, M, p, MRT, NV, CLAMP, lo, hi);
        }
    }
}

/*
 * Depthwise channels [c0, c1) (one output channel per input channel): yw[c][j] = bias[c] + sum
 * over taps t of w[c*T + t] * xp[c*CS + off[t] + j], NV vectors at a time, clamped to [lo, hi]
 * when CLAMP, then compacted to y.
 */
QT_INLINE void qt_depthwise_f32_fast_part(const float *xp, const int32_t *off, int T, int CS, const float *w,
                                          const float *bias, float *yw, float *y, int OH, int OW, int WH, int NWP,
                                          int NV, int CLAMP, float lo, float hi, int c0, int c1) {
    const int NW = OH * WH;
    for (int c = c0; c < c1; c++) {
        const float *xc = xp + (size_t) c * CS;
        float *yc = yw + (size_t) c * NWP;
        for (int j0 = 0; j0 < NW; j0 += NV * QT_FLANES) {
            qt_fv acc[QT_F_NV];
#pragma GCC unroll 8
            for (int v = 0; v < NV; v++) {
                acc[v] = qt_fv_set1(bias[c]);
            }
#pragma GCC unroll 49
            for (int t = 0; t < T; t++) {
                const qt_fv a = qt_fv_set1(w[c * T + t]);
                const float *b = xc + off[t] + j0;
#pragma GCC unroll 8
                for (int v = 0; v < NV; v++) {
                    acc[v] = qt_fv_fma(a, qt_fv_load(b + v * QT_FLANES), acc[v]);
                }
            }
#pragma GCC unroll 8
            for (int v = 0; v < NV; v++) {
                qt_fv_store(yc + j0 + v * QT_FLANES, qt_f32_clamp(acc[v], CLAMP, lo, hi));
            }
        }
        qt_f32_compact(yw, y, c, c + 1, OH, OW, WH, NWP);
    }
}

/*
 * Max pool over the phase planes of its input (written with fill -inf), vectorised over wide
 * pixels: yw[c][j] = max over taps of xp[c*CS + off[t] + j], then compacted. vmaxps differs from
 * Java's Math.max on NaN and signed zeros only.
 */
QT_INLINE void qt_max_pool_f32_fast_part(const float *xp, const int32_t *off, int T, int CS, float *yw, float *y,
                                         int OH, int OW, int WH, int NWP, int c0, int c1) {
    const int NW = OH * WH;
    for (int c = c0; c < c1; c++) {
        const float *xc = xp + (size_t) c * CS;
        float *yc = yw + (size_t) c * NWP;
        for (int j0 = 0; j0 < NW; j0 += QT_FLANES) {
            qt_fv acc = qt_fv_load(xc + off[0] + j0);
#pragma GCC unroll 9
            for (int t = 1; t < T; t++) {
                acc = qt_fv_max(acc, qt_fv_load(xc + off[t] + j0));
            }
            qt_fv_store(yc + j0, acc);
        }
        qt_f32_compact(yw, y, c, c + 1, OH, OW, WH, NWP);
    }
}

/*
 * y[i][0..n) = alpha * (a[i] x b)[0..n) + beta * bias (as qt_gemm_f32), with FMA: NV vectors of n
 * at a time, then a scalar tail.
 */
QT_INLINE void qt_gemm_f32_fast(const float *a, const float *b, const float *bias, const int32_t *bias_index, float *y,
                                int m, int n, int k, float alpha, float beta, int NV) {
    for (int i = 0; i < m; i++) {
        const float *ar = a + (size_t) i * k;
        float *yr = y + (size_t) i * n;
        int j0 = 0;
        for (; j0 + NV * QT_FLANES <= n; j0 += NV * QT_FLANES) {
            qt_fv acc[QT_F_NV];
#pragma GCC unroll 8
            for (int v = 0; v < NV; v++) {
                acc[v] = qt_fv_set1(0.0f);
            }
            for (int p = 0; p < k; p++) {
                const qt_fv av = qt_fv_set1(ar[p]);
                const float *br = b + (size_t) p * n + j0;
#pragma GCC unroll 8
                for (int v = 0; v < NV; v++) {
                    acc[v] = qt_fv_fma(av, qt_fv_load(br + v * QT_FLANES), acc[v]);
                }
            }
#pragma GCC unroll 8
            for (int v = 0; v < NV; v++) {
                qt_fv_store(yr + j0 + v * QT_FLANES, acc[v]);
            }
        }
        for (int j = j0; j < n; j++) {
            float s = 0.0f;
            for (int p = 0; p < k; p++) {
                s = fmaf(ar[p], b[(size_t) p * n + j], s);
            }
            yr[j] = s;
        }
        for (int j = 0; j < n; j++) {
            const float v = alpha != 1.0f ? yr[j] * alpha : yr[j];
            yr[j] = bias ? v + beta * bias[bias_index[(size_t) i * n + j]] : v;
        }
    }
}

#endif

#endif
