/*
 * AVX-512 VNNI kernels (included by qtune_avx2_kernels.h when the target has AVX-512 VNNI, BW and
 * VL): the direct convolution's dot 8 on 512-bit vectors with vpdpbusd.
 *
 * vpdpbusd multiplies four unsigned 8-bit inputs by four signed 8-bit weights and adds the four
 * products to an int32 lane, with no intermediate int16 (unlike vpmaddubsw, which saturates pair
 * sums): exact for every u8 input and int8 weight, so on this target dot 8 needs no check of the
 * weights against the input range (docs/integer-semantics.md, "Accumulation"; the int32 bound of
 * the layer is checked as for every kernel). The non-saturating form is used (vpdpbusd, not
 * vpdpbusds): the int32 accumulator cannot overflow where the code generator chose int32.
 *
 * Layouts are those of the AVX2 dot 8 kernel (halo-padded unsigned 8-bit input; weights int8
 * [ceil(OCP/OB)][KH*KW][CP/4][OB][4]), so one 64-byte load is 16 output channels x 4 input
 * channels: one zmm of weights. A tile is T output pixels x NV = OB/16 vectors of 16 output
 * channels, T * NV zmm accumulators (32 zmm registers); per group of four input channels the NV
 * weight vectors are loaded once and each pixel's four inputs broadcast once. The epilogue
 * requantizes each 16-lane accumulator as two halves of 8 with the AVX2 epilogue.
 */
#ifndef QTUNE_VNNI_KERNELS_H
#define QTUNE_VNNI_KERNELS_H

#include <immintrin.h>

#define QT_VNNI_TILE_STEP(xp, wp)                                                                       \
    do {                                                                                                 \
        __m512i wv[4];                                                                                   \
        for (int v = 0; v < NV; v++) {                                                                   \
            wv[v] = _mm512_loadu_si512((const void *) ((wp) + 64 * v));                                  \
        }                                                                                                \
        for (int t = 0; t < T; t++) {                                                                    \
            int32_t group;                                                                               \
            memcpy(&group, (xp) + (size_t) t * XS, sizeof group);                                        \
            const __m512i a = _mm512_set1_epi32(group);                                                  \
            for (int v = 0; v < NV; v++) {                                                               \
                acc[t][v] = _mm512_dpbusd_epi32(acc[t][v], a, wv[v]);                                    \
            }                                                                                            \
        }                                                                                                \
    } while (0)

QT_INLINE void qt_conv8_vnni_tile(const uint8_t *xt, int XS, int RS, int CP, int KH, int KW, int DH, int DW,
                                  const int8_t *wb, int NV, int T, const int32_t *bias, int ch0, int count,
                                  const int32_t *mant, const int8_t *shift, const uint64_t *radd, const uint64_t *rsub,
                                  const uint64_t *rsft, int rounding, int lo, int hi, int zy, void *y, int yk,
                                  size_t ybase, int OCP) {
    const int OB = 16 * NV;
    __m512i acc[QT_MAX_OWT][4];
    for (int t = 0; t < T; t++) {
        for (int v = 0; v < NV; v++) {
            acc[t][v] = _mm512_loadu_si512((const void *) (bias + ch0 + 16 * v));
        }
    }
    for (int kh = 0; kh < KH; kh++) {
        const uint8_t *xr = xt + (size_t) kh * DH * RS;
        const int8_t *wr = wb + (size_t) kh * KW * CP * OB;
        if (DW == 1) {
            QT_NO_UNROLL
            for (int j = 0; j < KW * CP; j += 4) {
                QT_VNNI_TILE_STEP(xr + j, wr + (size_t) j * OB);
            }
        } else {
            for (int kw = 0; kw < KW; kw++) {
                QT_NO_UNROLL
                for (int c = 0; c < CP; c += 4) {
                    QT_VNNI_TILE_STEP(xr + (size_t) kw * DW * CP + c, wr + (size_t) (kw * CP + c) * OB);
                }
            }
        }
    }
    for (int t = 0; t < T; t++) {
        for (int v = 0; v < NV; v++) {
            const int c0 = 16 * v;
            const size_t at = ybase + (size_t) t * OCP + c0;
            qt_epilogue8_avx2(_mm512_castsi512_si256(acc[t][v]), ch0 + c0, count - c0, mant, shift, radd, rsub, rsft,
                              rounding, lo, hi, zy, y, yk, at);
            qt_epilogue8_avx2(_mm512_extracti64x4_epi64(acc[t][v], 1), ch0 + c0 + 8, count - c0 - 8, mant, shift, radd,
                              rsub, rsft, rounding, lo, hi, zy, y, yk, at + 8);
        }
    }
}

/* The VNNI dot 8 kernel on work items [w0, w1) (item = output-channel block x output row), as qt_conv_avx2. */
QT_INLINE void qt_conv8_vnni(const uint8_t *xp, int WP, int CP, const int8_t *wpk, const int32_t *bias,
                             const int32_t *mant, const int8_t *shift, int rounding, int lo, int hi, int zy, void *y,
                             int yk, int OH, int OW, int OCP, int KH, int KW, int SH, int SW, int DH, int DW, int OB,
                             int OWT, int w0, int w1) {
    const int NB = (OCP + OB - 1) / OB;
    const int NV = OB / 16;
    const int RS = WP * CP;
    const int XS = SW * CP;
    const int full = OW / OWT * OWT;
    uint64_t radd[NB * OB], rsub[NB * OB], rsft[NB * OB];
    qt_upward_constants(shift, NB * OB, zy, radd, rsub, rsft);
    for (int w = w0; w < w1; w++) {
        const int ob = w / OH;
        const int oh = w % OH;
        const uint8_t *xr = xp + (size_t) oh * SH * RS;
        const int8_t *wb = wpk + (size_t) ob * KH * KW * CP * OB;
        const int count = OCP - ob * OB < OB ? OCP - ob * OB : OB;
        const size_t yrow = (size_t) oh * OW * OCP + (size_t) ob * OB;
        for (int ow0 = 0; ow0 < full; ow0 += OWT) {
            qt_conv8_vnni_tile(xr + (size_t) ow0 * XS, XS, RS, CP, KH, KW, DH, DW, wb, NV, OWT, bias, ob * OB, count,
                               mant, shift, radd, rsub, rsft, rounding, lo, hi, zy, y, yk, yrow + (size_t) ow0 * OCP,
                               OCP);
        }
        if (full < OW) {
            qt_conv8_vnni_tile(xr + (size_t) full * XS, XS, RS, CP, KH, KW, DH, DW, wb, NV, OW - full, bias, ob * OB,
                               count, mant, shift, radd, rsub, rsft, rounding, lo, hi, zy, y, yk,
                               yrow + (size_t) full * OCP, OCP);
        }
    }
}

#endif
