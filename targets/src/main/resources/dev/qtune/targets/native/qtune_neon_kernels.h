/*
 * AArch64 NEON dot-product kernels (included by qtune_int_kernels.h when the target has the
 * Armv8.2-A dot-product extension): the direct convolution's dot 8 with sdot.
 *
 * sdot multiplies four signed 8-bit pairs and adds the four products to an int32 lane, exactly.
 * The kernel reads the dot 8 layout of the other SIMD kernels (the halo-padded unsigned copy u:
 * u8 as stored, i8 offset by +128; weights int8 [ceil(OCP/OB)][KH][row][OB][4]) and makes each
 * input signed on the fly, s = u ^ 0x80 = u - 128, so that every 8-bit input times every int8
 * weight is exact; the code generator gives the layer the bias that takes the offset back:
 * sum(u * w) = sum(s * w) + 128 * sum(w) (IntConvEmitter). A tile is T output pixels x OB/4
 * vectors of 4 output channels (int32x4 accumulators, 32 Q registers); per group of four input
 * channels the weight vectors are loaded once and each pixel's four inputs broadcast once. The
 * epilogue is the portable one, per lane.
 */
#ifndef QTUNE_NEON_KERNELS_H
#define QTUNE_NEON_KERNELS_H

#include <arm_neon.h>

#define QT_NEON_MAX_NV 8

#define QT_NEON_TILE_STEP(xp, wp)                                                                       \
    do {                                                                                                 \
        int8x16_t wv[QT_NEON_MAX_NV];                                                                    \
        for (int v = 0; v < NV; v++) {                                                                   \
            wv[v] = vld1q_s8((wp) + 16 * v);                                                             \
        }                                                                                                \
        for (int t = 0; t < T; t++) {                                                                    \
            uint32_t group;                                                                              \
            memcpy(&group, (xp) + (size_t) t * XS, sizeof group);                                        \
            const int8x16_t a = vreinterpretq_s8_u32(vdupq_n_u32(group ^ 0x80808080u));                  \
            for (int v = 0; v < NV; v++) {                                                               \
                acc[t][v] = vdotq_s32(acc[t][v], wv[v], a);                                              \
            }                                                                                            \
        }                                                                                                \
    } while (0)

QT_INLINE void qt_conv8_neon_tile(const uint8_t *xt, int XS, int RS, int CP, int KH, int KW, int DH, int DW,
                                  const int8_t *wb, int NV, int T, const int32_t *bias, int ch0, int count,
                                  const int32_t *mant, const int8_t *shift, int rounding, int lo, int hi, int zy,
                                  void *y, int yk, size_t ybase, int OCP) {
    const int OB = 4 * NV;
    const int KWC = qt_kernel_row(KW, CP, 4);
    int32x4_t acc[QT_MAX_OWT][QT_NEON_MAX_NV];
    for (int t = 0; t < T; t++) {
        for (int v = 0; v < NV; v++) {
            acc[t][v] = vld1q_s32(bias + ch0 + 4 * v);
        }
    }
    for (int kh = 0; kh < KH; kh++) {
        const uint8_t *xr = xt + (size_t) kh * DH * RS;
        const int8_t *wr = wb + (size_t) kh * KWC * OB;
        if (DW == 1) {
            for (int j = 0; j < KWC; j += 4) {
                QT_NEON_TILE_STEP(xr + j, wr + (size_t) j * OB);
            }
        } else {
            for (int kw = 0; kw < KW; kw++) {
                for (int c = 0; c < CP; c += 4) {
                    QT_NEON_TILE_STEP(xr + (size_t) kw * DW * CP + c, wr + (size_t) (kw * CP + c) * OB);
                }
            }
        }
    }
    for (int t = 0; t < T; t++) {
        for (int v = 0; v < NV; v++) {
            int32_t sums[4];
            vst1q_s32(sums, acc[t][v]);
            for (int o = 0; o < 4 && 4 * v + o < count; o++) {
                const int ch = ch0 + 4 * v + o;
                qt_store(y, yk, ybase + (size_t) t * OCP + 4 * v + o,
                         qt_clamp_zp(qt_apply(sums[o], mant[ch], shift[ch], rounding), zy, lo, hi));
            }
        }
    }
}

/* The NEON dot 8 kernel on work items [w0, w1) (item = output-channel block x output row). */
QT_INLINE void qt_conv8_neon(const uint8_t *xp, int WP, int CP, const int8_t *wpk, const int32_t *bias,
                             const int32_t *mant, const int8_t *shift, int rounding, int lo, int hi, int zy, void *y,
                             int yk, int OH, int OW, int OCP, int KH, int KW, int SH, int SW, int DH, int DW, int OB,
                             int OWT, int w0, int w1) {
    const int NV = OB / 4;
    const int RS = WP * CP;
    const int XS = SW * CP;
    const int full = OW / OWT * OWT;
    for (int w = w0; w < w1; w++) {
        const int ob = w / OH;
        const int oh = w % OH;
        const uint8_t *xr = xp + (size_t) oh * SH * RS;
        const int8_t *wb = wpk + (size_t) ob * KH * qt_kernel_row(KW, CP, 4) * OB;
        const int count = OCP - ob * OB < OB ? OCP - ob * OB : OB;
        const size_t yrow = (size_t) oh * OW * OCP + (size_t) ob * OB;
        for (int ow0 = 0; ow0 < full; ow0 += OWT) {
            qt_conv8_neon_tile(xr + (size_t) ow0 * XS, XS, RS, CP, KH, KW, DH, DW, wb, NV, OWT, bias, ob * OB, count,
                               mant, shift, rounding, lo, hi, zy, y, yk, yrow + (size_t) ow0 * OCP, OCP);
        }
        if (full < OW) {
            qt_conv8_neon_tile(xr + (size_t) full * XS, XS, RS, CP, KH, KW, DH, DW, wb, NV, OW - full, bias, ob * OB,
                               count, mant, shift, rounding, lo, hi, zy, y, yk, yrow + (size_t) full * OCP, OCP);
        }
    }
}

#endif
