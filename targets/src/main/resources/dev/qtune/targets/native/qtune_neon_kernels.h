/*
 * AArch64 NEON dot-product kernels (aarch64-neon-dot; qtune_kernels.h includes this header where
 * QT_NEON_DOT holds: the Armv8.2-A dot-product extension): the direct convolution's dot 8 with sdot.
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

#include "qtune_common.h"

#if !QT_NEON_DOT
#error "qtune_neon_kernels.h needs AArch64 with the dot product (the flags of aarch64-neon-dot)"
#endif

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
            const int8x16_t xv = vreinterpretq_s8_u32(vdupq_n_u32(group ^ 0x80808080u));                 \
            for (int v = 0; v < NV; v++) {                                                               \
                acc[t][v] = vdotq_s32(acc[t][v], wv[v], xv);                                             \
            }                                                                                            \
        }                                                                                                \
    } while (0)

QT_INLINE void qt_conv8_neon_tile(const qt_conv_args *a, const uint8_t *xp, int ob, int oh, int ow0, int T) {
    const int CP = a->CC, KH = a->KH, KW = a->KW, DH = a->DH, DW = a->DW, OB = a->OB;
    const int NV = OB / 4;
    const int KWC = qt_kernel_row(KW, CP, 4);
    const size_t XS = (size_t) a->SW * CP;
    const size_t RS = (size_t) qt_padded_extent(a->W, a->PL, a->OW, a->SW, KW, DW) * CP;
    const uint8_t *xt = xp + (size_t) oh * a->SH * RS + (size_t) ow0 * XS;
    const int8_t *wb = (const int8_t *) a->wpk + (size_t) ob * KH * KWC * OB;
    const int ch0 = ob * OB;
    const int count = a->OCP - ch0 < OB ? a->OCP - ch0 : OB;
    const size_t ybase = ((size_t) oh * a->OW + ow0) * a->OCP + ch0;
    int32x4_t acc[QT_MAX_OWT][QT_NEON_MAX_NV];
    for (int t = 0; t < T; t++) {
        for (int v = 0; v < NV; v++) {
            acc[t][v] = vld1q_s32(a->bias + ch0 + 4 * v);
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
                qt_store(a->y, a->yk, ybase + (size_t) t * a->OCP + 4 * v + o,
                         qt_clamp_zp(qt_apply(sums[o], a->mant[ch], a->shift[ch], a->rounding), a->zy, a->lo, a->hi));
            }
        }
    }
}

/* The NEON dot 8 kernel on work items [w0, w1), reading the halo-padded input xp. */
QT_INLINE void qt_conv8_neon(const qt_conv_args *a, const uint8_t *xp, int w0, int w1) {
    QT_CONV_ITEMS(a, w0, w1, qt_conv8_neon_tile, xp);
}

/* ---- the hooks of the integer entries (QT_DEFINE_INT_ENTRIES, qtune_int_kernels.h) ---- */

/* Whether the NEON sdot kernel runs the layer: dot 8 with oc_block a multiple of 4 up to 32. */
QT_INLINE int qt_conv_takes_neon(const qt_conv_args *a) {
    return a->DOT == 8 && a->OB % 4 == 0 && a->OB <= 32;
}

/* That kernel on work items [w0, w1), reading the halo-padded input xp. */
QT_INLINE void qt_conv_items_neon(const qt_conv_args *a, const void *xp, int w0, int w1) {
    qt_conv8_neon(a, (const uint8_t *) xp, w0, w1);
}

/* qt_add has no NEON head yet: the portable loop does every element. */
#define qt_add_head_neon(...) ((size_t) 0)

#endif
