/*
 * AVX2 kernels (included by qtune_int_kernels.h when the target has AVX2). The 16-bit path:
 * a broadcast pair of int16 input channels times OB/8 vectors of int16 weight pairs, summed by
 * vpmaddwd into int32 lanes (one per output channel). A pair sum of two int16 products always fits
 * int32, so this path is exact for every operand range, unlike vpmaddubsw's saturating int16 sums.
 */
#ifndef QTUNE_AVX2_KERNELS_H
#define QTUNE_AVX2_KERNELS_H

#include <immintrin.h>

QT_INLINE void qt_conv_avx2(const int16_t *x16, int H, int W, int CP, const int16_t *wpk, const int32_t *bias,
                            const int32_t *mant, const int8_t *shift, int rounding, int lo, int hi, void *y, int yk,
                            int OH, int OW, int OCP, int KH, int KW, int SH, int SW, int PT, int PL, int DH, int DW,
                            int OB, int OWT, const int16_t *zero) {
    const int NB = (OCP + OB - 1) / OB;
    const int NV = OB / 8;
    _Pragma("omp parallel for collapse(2) schedule(static) num_threads(qt_threads) if(qt_threads > 1)")
    for (int oh = 0; oh < OH; oh++) {
        for (int ob = 0; ob < NB; ob++) {
            const int16_t *wb = wpk + (size_t) ob * KH * KW * CP * OB;
            const int oend = OCP - ob * OB < OB ? OCP - ob * OB : OB;
            for (int ow0 = 0; ow0 < OW; ow0 += OWT) {
                const int nt = OW - ow0 < OWT ? OW - ow0 : OWT;
                __m256i acc[QT_MAX_OWT][4];
                for (int t = 0; t < OWT; t++) {
                    for (int v = 0; v < NV; v++) {
                        acc[t][v] = _mm256_loadu_si256((const __m256i *) (bias + ob * OB + 8 * v));
                    }
                }
                for (int kh = 0; kh < KH; kh++) {
                    for (int kw = 0; kw < KW; kw++) {
                        const int16_t *row[QT_MAX_OWT];
                        qt_tile_rows(x16, zero, H, W, CP, oh, ow0, nt, kh, kw, SH, SW, PT, PL, DH, DW, OWT, row);
                        const int16_t *wk = wb + (size_t) (kh * KW + kw) * CP * OB;
                        for (int c = 0; c < CP; c += 2) {
                            const int16_t *wc = wk + (size_t) c * OB;
                            __m256i wv[4];
                            for (int v = 0; v < NV; v++) {
                                wv[v] = _mm256_loadu_si256((const __m256i *) (wc + 16 * v));
                            }
                            for (int t = 0; t < OWT; t++) {
                                int32_t pair;
                                memcpy(&pair, row[t] + c, sizeof pair);
                                const __m256i a = _mm256_set1_epi32(pair);
                                for (int v = 0; v < NV; v++) {
                                    acc[t][v] = _mm256_add_epi32(acc[t][v], _mm256_madd_epi16(a, wv[v]));
                                }
                            }
                        }
                    }
                }
                for (int t = 0; t < nt; t++) {
                    int32_t sums[32] __attribute__((aligned(32)));
                    for (int v = 0; v < NV; v++) {
                        _mm256_store_si256((__m256i *) (sums + 8 * v), acc[t][v]);
                    }
                    const size_t base = ((size_t) oh * OW + ow0 + t) * OCP + (size_t) ob * OB;
                    for (int o = 0; o < oend; o++) {
                        const int ch = ob * OB + o;
                        qt_store(y, yk, base + o, qt_clamp(qt_apply(sums[o], mant[ch], shift[ch], rounding), lo, hi));
                    }
                }
            }
        }
    }
}

/*
 * The 8-bit path (dot 8): a broadcast group of four unsigned input channels times OB/8 vectors of
 * four int8 weights per output channel; vpmaddubsw sums adjacent u8*s8 products into int16 with
 * saturation, vpmaddwd by ones sums those pairs into int32. Exact only where no pair sum leaves
 * int16: the code generator checks the layer's weights against its input range before choosing it.
 */
QT_INLINE void qt_conv8_avx2(const uint8_t *x8, int H, int W, int CP, const int8_t *wpk, const int32_t *bias,
                             const int32_t *mant, const int8_t *shift, int rounding, int lo, int hi, void *y, int yk,
                             int OH, int OW, int OCP, int KH, int KW, int SH, int SW, int PT, int PL, int DH, int DW,
                             int OB, int OWT, const uint8_t *zero) {
    const int NB = (OCP + OB - 1) / OB;
    const int NV = OB / 8;
    const __m256i ones = _mm256_set1_epi16(1);
    _Pragma("omp parallel for collapse(2) schedule(static) num_threads(qt_threads) if(qt_threads > 1)")
    for (int oh = 0; oh < OH; oh++) {
        for (int ob = 0; ob < NB; ob++) {
            const int8_t *wb = wpk + (size_t) ob * KH * KW * CP * OB;
            const int oend = OCP - ob * OB < OB ? OCP - ob * OB : OB;
            for (int ow0 = 0; ow0 < OW; ow0 += OWT) {
                const int nt = OW - ow0 < OWT ? OW - ow0 : OWT;
                __m256i acc[QT_MAX_OWT][4];
                for (int t = 0; t < OWT; t++) {
                    for (int v = 0; v < NV; v++) {
                        acc[t][v] = _mm256_loadu_si256((const __m256i *) (bias + ob * OB + 8 * v));
                    }
                }
                for (int kh = 0; kh < KH; kh++) {
                    const int ih = oh * SH - PT + kh * DH;
                    for (int kw = 0; kw < KW; kw++) {
                        const uint8_t *row[QT_MAX_OWT];
                        for (int t = 0; t < OWT; t++) {
                            const int iw = (ow0 + t) * SW - PL + kw * DW;
                            row[t] = t < nt && ih >= 0 && ih < H && iw >= 0 && iw < W
                                    ? x8 + ((size_t) ih * W + iw) * CP : zero;
                        }
                        const int8_t *wk = wb + (size_t) (kh * KW + kw) * CP * OB;
                        for (int c = 0; c < CP; c += 4) {
                            const int8_t *wc = wk + (size_t) c * OB;
                            __m256i wv[4];
                            for (int v = 0; v < NV; v++) {
                                wv[v] = _mm256_loadu_si256((const __m256i *) (wc + 32 * v));
                            }
                            for (int t = 0; t < OWT; t++) {
                                int32_t quad;
                                memcpy(&quad, row[t] + c, sizeof quad);
                                const __m256i a = _mm256_set1_epi32(quad);
                                for (int v = 0; v < NV; v++) {
                                    acc[t][v] = _mm256_add_epi32(acc[t][v],
                                            _mm256_madd_epi16(_mm256_maddubs_epi16(a, wv[v]), ones));
                                }
                            }
                        }
                    }
                }
                for (int t = 0; t < nt; t++) {
                    int32_t sums[32] __attribute__((aligned(32)));
                    for (int v = 0; v < NV; v++) {
                        _mm256_store_si256((__m256i *) (sums + 8 * v), acc[t][v]);
                    }
                    const size_t base = ((size_t) oh * OW + ow0 + t) * OCP + (size_t) ob * OB;
                    for (int o = 0; o < oend; o++) {
                        const int ch = ob * OB + o;
                        qt_store(y, yk, base + o, qt_clamp(qt_apply(sums[o], mant[ch], shift[ch], rounding), lo, hi));
                    }
                }
            }
        }
    }
}

#endif
