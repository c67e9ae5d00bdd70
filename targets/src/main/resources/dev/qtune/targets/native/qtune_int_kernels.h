/*
 * Integer kernels (included by qtune_kernels.h). Accumulation is exact: int32 where the layer's
 * worst case fits (docs/integer-semantics.md, "Exact accumulation"), int64 otherwise (the _wide
 * variants), and the summation order is free.
 */
#ifndef QTUNE_INT_KERNELS_H
#define QTUNE_INT_KERNELS_H

/*
 * Convolution (group 1) and dense layers, NHWC, direct: for each output row, tiles of OWT output
 * pixels x OB output channels are accumulated in registers over (kh, kw, input channel groups).
 * Two layouts of the inner product ("dot", chosen per layer by the code generator):
 *
 * - dot 16: the input is widened to int16 (scratch, unless it is int16 already) and weights are
 *   packed int16 [ceil(OCP/OB)][KH*KW][CP/2][OB][2]: a pair of input channels times OB weight
 *   pairs, one vpmaddwd on AVX2; exact for any operands (a pair sum of int16 products fits int32).
 * - dot 8: inputs are unsigned 8-bit (u8 as stored; i8 offset by +128 into scratch, the bias
 *   carrying -128 * sum(w) so the sum is unchanged, padding reading zx + 128) and weights
 *   packed int8 [ceil(OCP/OB)][KH*KW][CP/4][OB][4]: vpmaddubsw + vpmaddwd on AVX2. Chosen only
 *   where no int16 pair sum can saturate (the generator checks weights against the input range).
 *
 * Bias, mantissa and shift arrays have ceil(OCP/OB)*OB entries. Input pixels outside the image
 * read the pad row ("zero": CP elements of the input's zero point zx in the dot layout's type, so
 * zx + 128 for an i8 input on dot 8); the epilogue adds the output zero point zy after the
 * multiplier (qt_clamp_zp). The portable versions below define the arithmetic; AVX2 ones are fast.
 */
QT_INLINE const int16_t *qt_widen(const void *x, int xk, size_t n, int16_t *x16, int copy) {
    if (xk == QT_I16 || !copy) {
        return xk == QT_I16 ? (const int16_t *) x : x16;
    }
    for (size_t i = 0; i < n; i++) {
        x16[i] = (int16_t) qt_load(x, xk, i);
    }
    return x16;
}

/* Unsigned 8-bit input for dot 8: u8 as is, i8 offset by +128 into scratch. */
QT_INLINE const uint8_t *qt_unsigned8(const void *x, int xk, size_t n, uint8_t *x8, int copy) {
    if (xk == QT_U8 || !copy) {
        return xk == QT_U8 ? (const uint8_t *) x : x8;
    }
    for (size_t i = 0; i < n; i++) {
        x8[i] = (uint8_t) (((const int8_t *) x)[i] + 128);
    }
    return x8;
}

/*
 * Rows (or columns) of the halo-padded input that the AVX2 kernel reads: the image's n plus the
 * leading padding p0, or more where the last output's window reaches further (trailing padding).
 * The code generator sizes the scratch buffer with the same formula.
 */
QT_INLINE int qt_padded_extent(int n, int p0, int out, int stride, int k, int dil) {
    const int need = (out - 1) * stride + (k - 1) * dil + 1;
    return need > n + p0 ? need : n + p0;
}

/*
 * One convolution (or dense) layer as the convolution entries take it. Generated code declares
 * one `static const qt_conv_args` per layer, every field a literal or the address of a static
 * buffer, and passes its address to the always_inline entries: GCC reads the fields of a const
 * object with a constant initialiser as constants, so each call site is still specialised to its
 * shapes and schedule. Fields a kernel does not read are left zero.
 */
typedef struct {
    const void *x;          /* input, NHWC [H][W][CP], of kind xk */
    int xk, H, W, CP;
    int CC;                 /* channel stride of the halo-padded copy (direct kernel): CP, or a first layer's real channels */
    int C;                  /* real input channels (grouped kernel) */
    const void *wpk;        /* weights, packed for the kernel */
    const int32_t *bias;    /* per output channel: bias, fixed-point mantissa and shift */
    const int32_t *mant;
    const int8_t *shift;
    int rounding, lo, hi;   /* the output stage: QT_UPWARD or QT_TONEAREST, clamp bounds, */
    int zy;                 /* and the output zero point */
    void *y;                /* output, NHWC [OH][OW][OCP], of kind yk; OC real channels (grouped kernel) */
    int yk, OH, OW, OC, OCP;
    int KH, KW, SH, SW, PT, PL, DH, DW; /* window: kernel, stride, leading padding, dilation */
    int group;              /* groups (grouped kernel) */
    int OB, OWT, DOT;       /* schedule of the direct kernel: oc_block, ow_tile, dot (8 or 16) */
    int16_t *scratch;       /* the converted or halo-padded input */
    const void *zero;       /* the pad row the portable direct kernel reads (CP elements of zx in its type) */
    int zx;                 /* the input zero point, which padding holds */
} qt_conv_args;

/* The input rows (pixel pointers, or the pad row) of a tile of T pixels at tap (kh, kw); esize bytes per element. */
QT_INLINE void qt_tile_rows(const qt_conv_args *a, const void *x, int esize, int oh, int ow0, int T, int kh, int kw,
                            const void **row) {
    const int ih = oh * a->SH - a->PT + kh * a->DH;
    for (int t = 0; t < T; t++) {
        const int iw = (ow0 + t) * a->SW - a->PL + kw * a->DW;
        row[t] = ih >= 0 && ih < a->H && iw >= 0 && iw < a->W
                ? (const char *) x + ((size_t) ih * a->W + iw) * a->CP * esize : a->zero;
    }
}

/*
 * The work-item loop of the direct kernels, written once for all of them (portable, AVX2, VNNI,
 * NEON): item w of [w0, w1) is output-channel block w / OH times output row w % OH (block-major, so
 * that one thread's items share weights). A row runs as tiles of OWT pixels and one narrower tile
 * for the rest, so that where the kernel is inlined every tile's width T is a literal.
 * TILE(a, ..., ob, oh, ow0, T) computes one tile; the arguments in ... (the input the kernel reads,
 * its constants) are passed through.
 */
#define QT_CONV_ITEMS(a, w0, w1, TILE, ...)                                                              \
    do {                                                                                                 \
        const int full_ = (a)->OW / (a)->OWT * (a)->OWT;                                                 \
        for (int w_ = (w0); w_ < (w1); w_++) {                                                           \
            const int ob_ = w_ / (a)->OH;                                                                \
            const int oh_ = w_ % (a)->OH;                                                                \
            for (int ow0_ = 0; ow0_ < full_; ow0_ += (a)->OWT) {                                         \
                TILE((a), __VA_ARGS__, ob_, oh_, ow0_, (a)->OWT);                                        \
            }                                                                                            \
            if (full_ < (a)->OW) {                                                                       \
                TILE((a), __VA_ARGS__, ob_, oh_, full_, (a)->OW - full_);                                \
            }                                                                                            \
        }                                                                                                \
    } while (0)

/*
 * The portable direct kernel (DOT the dot layout: a->DOT, or 16 for the wide variant): one tile of
 * T pixels x OB channels accumulated in ACC_T, reading the input x (converted, not padded) through
 * row pointers, pixels in the padding reading the pad row a->zero.
 */
#define QT_DEFINE_CONV(NAME, ACC_T, APPLY, DOT_OF_A)                                                    \
    QT_INLINE void NAME##_tile(const qt_conv_args *a, const void *x, int ob, int oh, int ow0, int T) {   \
        const int DOT = (DOT_OF_A);                                                                      \
        const int G = DOT == 8 ? 4 : 2;                                                                  \
        const int OB = a->OB, CP = a->CP, KH = a->KH, KW = a->KW;                                        \
        const size_t wb = (size_t) ob * KH * KW * CP * OB;                                               \
        const int oend = a->OCP - ob * OB < OB ? a->OCP - ob * OB : OB;                                  \
        ACC_T acc[QT_MAX_OWT][QT_MAX_OB];                                                                \
        for (int t = 0; t < T; t++) {                                                                    \
            for (int o = 0; o < OB; o++) {                                                               \
                acc[t][o] = a->bias[ob * OB + o];                                                        \
            }                                                                                            \
        }                                                                                                \
        for (int kh = 0; kh < KH; kh++) {                                                                \
            for (int kw = 0; kw < KW; kw++) {                                                            \
                const void *row[QT_MAX_OWT];                                                             \
                qt_tile_rows(a, x, DOT == 8 ? 1 : 2, oh, ow0, T, kh, kw, row);                           \
                const size_t wk = wb + (size_t) (kh * KW + kw) * CP * OB;                                \
                for (int c = 0; c < CP; c += G) {                                                        \
                    const size_t wc = wk + (size_t) c * OB;                                              \
                    for (int t = 0; t < T; t++) {                                                        \
                        if (DOT == 8) {                                                                  \
                            const uint8_t *r = (const uint8_t *) row[t] + c;                             \
                            const int8_t *w8 = (const int8_t *) a->wpk + wc;                             \
                            for (int o = 0; o < OB; o++) {                                               \
                                acc[t][o] += (ACC_T) r[0] * w8[4 * o] + r[1] * w8[4 * o + 1]             \
                                        + r[2] * w8[4 * o + 2] + r[3] * w8[4 * o + 3];                   \
                            }                                                                            \
                        } else {                                                                         \
                            const int16_t *r = (const int16_t *) row[t] + c;                             \
                            const int16_t *w16 = (const int16_t *) a->wpk + wc;                          \
                            for (int o = 0; o < OB; o++) {                                               \
                                acc[t][o] += (ACC_T) r[0] * w16[2 * o] + (ACC_T) r[1] * w16[2 * o + 1];  \
                            }                                                                            \
                        }                                                                                \
                    }                                                                                    \
                }                                                                                        \
            }                                                                                            \
        }                                                                                                \
        for (int t = 0; t < T; t++) {                                                                    \
            const size_t base = ((size_t) oh * a->OW + ow0 + t) * a->OCP + (size_t) ob * OB;            \
            for (int o = 0; o < oend; o++) {                                                             \
                const int ch = ob * OB + o;                                                              \
                qt_store(a->y, a->yk, base + o, qt_clamp_zp(APPLY(acc[t][o], a->mant[ch], a->shift[ch],  \
                                                                  a->rounding), a->zy, a->lo, a->hi));   \
            }                                                                                            \
        }                                                                                                \
    }                                                                                                    \
    QT_INLINE void NAME(const qt_conv_args *a, const void *x, int w0, int w1) {                          \
        QT_CONV_ITEMS(a, w0, w1, NAME##_tile, x);                                                        \
    }

QT_DEFINE_CONV(qt_conv_generic, int32_t, qt_apply, a->DOT)
QT_DEFINE_CONV(qt_conv_wide_generic, int64_t, qt_apply_wide, 16)

/*
 * Elements of one kernel row as the SIMD kernels read it: KW taps of CC channels, rounded up to
 * whole groups of G (4 for dot 8, 2 for dot 16); the packed weights are zero past KW * CC.
 */
QT_INLINE int qt_kernel_row(int KW, int CC, int G) {
    return (KW * CC + G - 1) / G * G;
}

/* n elements of esize bytes (1 or 2), each the value pad. */
QT_INLINE void qt_fill_pad(char *d, size_t n, int esize, int pad) {
    if (esize == 1 || pad == 0) {
        memset(d, pad, n * esize);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        ((int16_t *) d)[i] = (int16_t) pad;
    }
}

/*
 * The compact halo-padded input of a layer whose real input channels CC are fewer than the
 * stored CP (a first layer: 1 or 3 channels padded to 4): HP x WP pixels of CC channels, so that
 * the taps of one kernel row are KW * CC contiguous elements, which the direct kernel reads in
 * groups of G = 4 (dot 8) or 2 (dot 16) against zero weights past KW * CC (a 7x7 layer of 3
 * channels takes 6 groups of 4 per row instead of 7 of the padded layout). The G elements after
 * the image hold pad too, for the last group's reach.
 */
QT_INLINE void qt_pad_compact(const void *x, int xk, int H, int W, int CP, int CC, int PT, int PL, int HP, int WP,
                              int DOT, int pad, void *scratch) {
    const int esize = DOT == 8 ? 1 : 2;
    const size_t rowp = (size_t) WP * CC;
    char *d = (char *) scratch;
    qt_fill_pad(d, PT * rowp, esize, pad);
    qt_fill_pad(d + (PT + H) * rowp * esize, (HP - PT - H) * rowp + 4, esize, pad);
    for (int h = 0; h < H; h++) {
        char *r = d + (PT + h) * rowp * esize;
        qt_fill_pad(r, (size_t) PL * CC, esize, pad);
        qt_fill_pad(r + (size_t) (PL + W) * CC * esize, (size_t) (WP - PL - W) * CC, esize, pad);
        const size_t src = (size_t) h * W * CP;
        const size_t dst = (size_t) PL * CC;
        if (DOT == 8 && xk != QT_I16) {
            const uint8_t *s = (const uint8_t *) x + src;
            const uint8_t flip = xk == QT_I8 ? 0x80 : 0; /* i8 + 128 as u8 */
            uint8_t *o = (uint8_t *) r + dst;
            for (int w = 0; w < W; w++) {
                for (int c = 0; c < CC; c++) {
                    o[w * CC + c] = (uint8_t) (s[w * CP + c] ^ flip);
                }
            }
        } else {
            int16_t *o = (int16_t *) r + dst;
            for (int w = 0; w < W; w++) {
                for (int c = 0; c < CC; c++) {
                    o[w * CC + c] = (int16_t) qt_load(x, xk, src + (size_t) w * CP + c);
                }
            }
        }
    }
}

/*
 * The halo-padded input of the direct kernel: HP x WP pixels of CP channels, the image at rows
 * PT.. and columns PL.., padding elsewhere, holding the input zero point zx (real 0); int16 for
 * dot 16, unsigned 8-bit for dot 8 (i8 offset by +128, padding zx + 128). Returns x itself when no
 * copy is needed, else scratch, which it fills only when copy is set (so the work items can ask
 * where their input is).
 */
QT_INLINE const void *qt_pad_input(const void *x, int xk, int H, int W, int CP, int CC, int PT, int PL, int HP,
                                   int WP, int DOT, int zx, void *scratch, int copy) {
    const int esize = DOT == 8 ? 1 : 2;
    if (CC == CP && PT == 0 && PL == 0 && HP == H && WP == W && (DOT == 8 ? xk == QT_U8 : xk == QT_I16)) {
        return x;
    }
    if (!copy) {
        return scratch;
    }
    const int pad = zx + (DOT == 8 && xk == QT_I8 ? 128 : 0);
    if (CC != CP) {
        qt_pad_compact(x, xk, H, W, CP, CC, PT, PL, HP, WP, DOT, pad, scratch);
        return scratch;
    }
    const size_t rowp = (size_t) WP * CP;
    const size_t left = (size_t) PL * CP;
    const size_t n = (size_t) W * CP;
    for (int r = 0; r < HP; r++) {
        const int ih = r - PT;
        char *d = (char *) scratch + r * rowp * esize;
        if (ih < 0 || ih >= H) {
            qt_fill_pad(d, rowp, esize, pad);
            continue;
        }
        qt_fill_pad(d, left, esize, pad);
        qt_fill_pad(d + (left + n) * esize, rowp - left - n, esize, pad);
        const size_t s0 = (size_t) ih * n;
        if (DOT == 8) {
            uint8_t *o = (uint8_t *) d + left;
            if (xk == QT_U8) {
                memcpy(o, (const uint8_t *) x + s0, n);
            } else {
                const uint8_t *s = (const uint8_t *) x + s0;
                for (size_t i = 0; i < n; i++) {
                    o[i] = (uint8_t) (s[i] ^ 0x80);
                }
            }
        } else {
            int16_t *o = (int16_t *) d + left;
            if (xk == QT_U8) {
                const uint8_t *s = (const uint8_t *) x + s0;
                for (size_t i = 0; i < n; i++) {
                    o[i] = s[i];
                }
            } else if (xk == QT_I8) {
                const int8_t *s = (const int8_t *) x + s0;
                for (size_t i = 0; i < n; i++) {
                    o[i] = s[i];
                }
            } else {
                memcpy(o, (const int16_t *) x + s0, n * 2);
            }
        }
    }
    return scratch;
}

#if defined(__AVX2__)
#include "qtune_avx2_kernels.h"
#endif
#if defined(__ARM_FEATURE_DOTPROD)
#include "qtune_neon_kernels.h"
#endif

/*
 * Entry of the direct kernel, in two steps so that the generated code can split the work items
 * (ceil(OCP/OB) channel blocks x OH output rows, block-major) over threads with every shape still
 * a literal in the caller: qt_conv_prepare converts (and for the AVX2 kernel halo-pads) the input
 * into scratch once; qt_conv_part computes items [w0, w1). Both take the same arguments.
 */
/* Whether the VNNI kernel runs a dot 8 layer with this oc_block (else the AVX2 or the portable one). */
QT_INLINE int qt_conv_vnni(int OB, int DOT) {
#if defined(QT_VNNI)
    return DOT == 8 && OB % 16 == 0 && OB <= 64;
#else
    (void) OB, (void) DOT;
    return 0;
#endif
}

/* Whether the NEON sdot kernel runs a dot 8 layer with this oc_block. */
QT_INLINE int qt_conv_neon(int OB, int DOT) {
#if defined(__ARM_FEATURE_DOTPROD)
    return DOT == 8 && OB % 4 == 0 && OB <= 32;
#else
    (void) OB, (void) DOT;
    return 0;
#endif
}

/* Whether a SIMD kernel (VNNI, AVX2 or NEON, reading the halo-padded copy) runs the layer. */
QT_INLINE int qt_conv_fast(int OB, int DOT) {
#if defined(__AVX2__)
    return qt_conv_vnni(OB, DOT) || (OB % 8 == 0 && OB <= 32);
#else
    return qt_conv_neon(OB, DOT);
#endif
}

/* The input the kernel reads (x itself or scratch); fills scratch when copy is set. */
QT_INLINE const void *qt_conv_input(const qt_conv_args *a, int copy) {
    if (qt_conv_fast(a->OB, a->DOT)) {
        return qt_pad_input(a->x, a->xk, a->H, a->W, a->CP, a->CC, a->PT, a->PL,
                            qt_padded_extent(a->H, a->PT, a->OH, a->SH, a->KH, a->DH),
                            qt_padded_extent(a->W, a->PL, a->OW, a->SW, a->KW, a->DW), a->DOT, a->zx, a->scratch, copy);
    }
    const size_t n = (size_t) a->H * a->W * a->CP;
    return a->DOT == 8 ? (const void *) qt_unsigned8(a->x, a->xk, n, (uint8_t *) a->scratch, copy)
                       : (const void *) qt_widen(a->x, a->xk, n, a->scratch, copy);
}

QT_INLINE void qt_conv_prepare(const qt_conv_args *a) {
    qt_conv_input(a, 1);
}

QT_INLINE void qt_conv_part(const qt_conv_args *a, int w0, int w1) {
    const void *in = qt_conv_input(a, 0);
#if defined(__ARM_FEATURE_DOTPROD)
    if (qt_conv_neon(a->OB, a->DOT)) {
        qt_conv8_neon(a, (const uint8_t *) in, w0, w1);
        return;
    }
#endif
#if defined(__AVX2__)
#if defined(QT_VNNI)
    if (qt_conv_vnni(a->OB, a->DOT)) {
        qt_conv8_vnni(a, (const uint8_t *) in, w0, w1);
        return;
    }
#endif
    if (qt_conv_fast(a->OB, a->DOT)) {
        qt_conv_avx2(a, in, w0, w1);
        return;
    }
#endif
    qt_conv_generic(a, in, w0, w1);
}

/* The same with int64 accumulators (dot 16 only, portable kernel): layers whose worst case overflows int32. */
QT_INLINE void qt_conv_wide_prepare(const qt_conv_args *a) {
    qt_widen(a->x, a->xk, (size_t) a->H * a->W * a->CP, a->scratch, 1);
}

QT_INLINE void qt_conv_wide_part(const qt_conv_args *a, int w0, int w1) {
    qt_conv_wide_generic(a, qt_widen(a->x, a->xk, (size_t) a->H * a->W * a->CP, a->scratch, 0), w0, w1);
}

/* Both steps on one thread (tools and tests; generated code splits the items over threads). */
QT_INLINE void qt_conv(const qt_conv_args *a) {
    qt_conv_prepare(a);
    qt_conv_part(a, 0, (a->OCP + a->OB - 1) / a->OB * a->OH);
}

/*
 * Grouped convolution (depthwise included), NHWC, one output channel at a time: the general
 * case. Weights are int16 [OC][KH*KW][C/group] (OIHW with the taps before the channels): int8, or a
 * pre-quantized model's 8-bit weights less a zero point that leaves them 9-bit. Taps in the
 * padding read the input zero point zx; the output stage adds zy. The fields are read into locals
 * before the OpenMP region, so the outlined region receives them by value, as scalars.
 */
#define QT_DEFINE_CONV_GROUPED(NAME, ACC_T, APPLY)                                                      \
    QT_INLINE void NAME(const qt_conv_args *a) {                                                          \
        const void *x = a->x;                                                                                \
        const int xk = a->xk, H = a->H, W = a->W, CP = a->CP;                                                \
        const int16_t *w = (const int16_t *) a->wpk;                                                         \
        const int32_t *bias = a->bias, *mant = a->mant;                                                      \
        const int8_t *shift = a->shift;                                                                      \
        const int rounding = a->rounding, lo = a->lo, hi = a->hi, zy = a->zy;                                \
        void *y = a->y;                                                                                      \
        const int yk = a->yk, OH = a->OH, OW = a->OW, OC = a->OC, OCP = a->OCP;                              \
        const int KH = a->KH, KW = a->KW, SH = a->SH, SW = a->SW, PT = a->PT, PL = a->PL, DH = a->DH, DW = a->DW; \
        const int zx = a->zx;                                                                                \
        const int cg = a->C / a->group;                                                                      \
        const int mg = OC / a->group;                                                                        \
        _Pragma("omp parallel for schedule(static) num_threads(qt_threads) if(qt_threads > 1)")             \
        for (int oh = 0; oh < OH; oh++) {                                                                    \
            for (int ow = 0; ow < OW; ow++) {                                                                \
                const size_t obase = ((size_t) oh * OW + ow) * OCP;                                          \
                for (int o = 0; o < OC; o++) {                                                               \
                    const int c0 = (o / mg) * cg;                                                            \
                    ACC_T acc = bias[o];                                                                     \
                    for (int kh = 0; kh < KH; kh++) {                                                        \
                        const int ih = oh * SH - PT + kh * DH;                                               \
                        if ((ih < 0 || ih >= H) && zx == 0) {                                                \
                            continue;                                                                        \
                        }                                                                                    \
                        for (int kw = 0; kw < KW; kw++) {                                                    \
                            const int iw = ow * SW - PL + kw * DW;                                           \
                            const int16_t *wt = w + ((size_t) o * KH * KW + kh * KW + kw) * cg;              \
                            if (ih < 0 || ih >= H || iw < 0 || iw >= W) {                                    \
                                for (int c = 0; c < cg && zx != 0; c++) {                                    \
                                    acc += (ACC_T) zx * wt[c];                                               \
                                }                                                                            \
                                continue;                                                                    \
                            }                                                                                \
                            const size_t xb = ((size_t) ih * W + iw) * CP + c0;                              \
                            for (int c = 0; c < cg; c++) {                                                   \
                                acc += (ACC_T) qt_load(x, xk, xb + c) * wt[c];                               \
                            }                                                                                \
                        }                                                                                    \
                    }                                                                                        \
                    qt_store(y, yk, obase + o, qt_clamp_zp(APPLY(acc, mant[o], shift[o], rounding), zy, lo, hi)); \
                }                                                                                            \
                for (int o = OC; o < OCP; o++) {                                                             \
                    qt_store(y, yk, obase + o, 0);                                                           \
                }                                                                                            \
            }                                                                                                \
        }                                                                                                    \
    }

QT_DEFINE_CONV_GROUPED(qt_conv_grouped, int32_t, qt_apply)
QT_DEFINE_CONV_GROUPED(qt_conv_grouped_wide, int64_t, qt_apply_wide)

/*
 * Depthwise convolution (group = C = OC), NHWC, vectorised over channels. Weights are int16
 * [KH*KW][CP] (zeros at padded channels). Taps in the padding read the input zero point zx.
 */
QT_INLINE void qt_conv_depthwise(const qt_conv_args *a) {
    const void *x = a->x;
    const int xk = a->xk, H = a->H, W = a->W, CP = a->CP;
    const int16_t *w = (const int16_t *) a->wpk;
    const int32_t *bias = a->bias, *mant = a->mant;
    const int8_t *shift = a->shift;
    const int rounding = a->rounding, lo = a->lo, hi = a->hi, zy = a->zy;
    void *y = a->y;
    const int yk = a->yk, OH = a->OH, OW = a->OW;
    const int KH = a->KH, KW = a->KW, SH = a->SH, SW = a->SW, PT = a->PT, PL = a->PL, DH = a->DH, DW = a->DW;
    const int zx = a->zx;
    _Pragma("omp parallel for schedule(static) num_threads(qt_threads) if(qt_threads > 1)")
    for (int oh = 0; oh < OH; oh++) {
        int32_t acc[CP];
        for (int ow = 0; ow < OW; ow++) {
            for (int c = 0; c < CP; c++) {
                acc[c] = bias[c];
            }
            for (int kh = 0; kh < KH; kh++) {
                const int ih = oh * SH - PT + kh * DH;
                if ((ih < 0 || ih >= H) && zx == 0) {
                    continue;
                }
                for (int kw = 0; kw < KW; kw++) {
                    const int iw = ow * SW - PL + kw * DW;
                    const int16_t *wt = w + (size_t) (kh * KW + kw) * CP;
                    if (ih < 0 || ih >= H || iw < 0 || iw >= W) {
                        for (int c = 0; c < CP && zx != 0; c++) {
                            acc[c] += zx * (int32_t) wt[c];
                        }
                        continue;
                    }
                    const size_t xb = ((size_t) ih * W + iw) * CP;
                    for (int c = 0; c < CP; c++) {
                        acc[c] += qt_load(x, xk, xb + c) * (int32_t) wt[c];
                    }
                }
            }
            const size_t ob = ((size_t) oh * OW + ow) * CP;
            for (int c = 0; c < CP; c++) {
                qt_store(y, yk, ob + c, qt_clamp_zp(qt_apply(acc[c], mant[c], shift[c], rounding), zy, lo, hi));
            }
        }
    }
}

/* y = clamp(apply(Ma, a - za) + apply(Mb, b - zb) + zy) element-wise (QAdd). */
/*
 * QAdd (integer-semantics.md, "Add and Concat"): each input less its zero point times its
 * multiplier, which carries k extra bits (ma 2^-na is M_a 2^k), the sum rounded once by k.
 */
QT_INLINE void qt_add(const void *a, int ak, const void *b, int bk, void *y, int yk, size_t n, int32_t ma, int na,
                      int32_t mb, int nb, int k, int rounding, int lo, int hi, int za, int zb, int zy) {
    size_t i0 = 0;
#if defined(QT_VNNI)
    if (rounding == QT_UPWARD) {
        i0 = n / 16 * 16;
        qt_add_upward_vnni(a, ak, b, bk, y, yk, i0, ma, na, mb, nb, k, lo, hi, za, zb, zy);
    }
#elif defined(__AVX2__)
    if (rounding == QT_UPWARD) {
        i0 = n / 8 * 8;
        qt_add_upward_avx2(a, ak, b, bk, y, yk, i0, ma, na, mb, nb, k, lo, hi, za, zb, zy);
    }
#endif
    for (size_t i = i0; i < n; i++) {
        int64_t sum = qt_apply(qt_load(a, ak, i) - za, ma, na, rounding)
                + qt_apply(qt_load(b, bk, i) - zb, mb, nb, rounding);
        int64_t v = rounding == QT_UPWARD || sum >= 0 ? qt_round_shift(sum, k) : -qt_round_shift(-sum, k);
        qt_store(y, yk, i, qt_clamp_zp(v, zy, lo, hi));
    }
}

/*
 * One input of a channel concat (QConcat, axis 1): its C channels land at channel offset c0, as
 * clamp(apply(M, x - zx) + zy).
 */
QT_INLINE void qt_concat_part(const void *x, int xk, int C, int CP, void *y, int yk, int YCP, int c0, int HW,
                              int32_t m, int n, int rounding, int lo, int hi, int zx, int zy) {
    for (int i = 0; i < HW; i++) {
        for (int c = 0; c < C; c++) {
            int64_t v = qt_apply(qt_load(x, xk, (size_t) i * CP + c) - zx, m, n, rounding);
            qt_store(y, yk, (size_t) i * YCP + c0 + c, qt_clamp_zp(v, zy, lo, hi));
        }
    }
}

/* max(q, 0) element-wise (an unfused integer Relu). */
QT_INLINE void qt_relu_int(const void *x, void *y, int kind, size_t n) {
    for (size_t i = 0; i < n; i++) {
        int32_t v = qt_load(x, kind, i);
        qt_store(y, kind, i, v > 0 ? v : 0);
    }
}

/* round(sum / count), ties away from zero (integer-semantics.md, "Pools"). */
QT_INLINE int32_t qt_rounded_divide(int64_t sum, int count) {
    int64_t mag = sum < 0 ? -sum : sum;
    int64_t q = (2 * mag + count) / (2 * (int64_t) count);
    return (int32_t) (sum < 0 ? -q : q);
}

/*
 * Max or average pool, NHWC. Padding never wins a max; an average is z + round(S / count) with S
 * the sum of (q - z) over the window's image elements (padding is real 0 and adds nothing) and the
 * window's element count (count_include_pad: the positions inside the explicit pads count too);
 * z is the input's zero point (a max ignores it).
 */
QT_INLINE void qt_pool_int(const void *x, void *y, int kind, int H, int W, int CP, int OH, int OW, int KH, int KW,
                           int SH, int SW, int PT, int PL, int PB, int PR, int DH, int DW, int is_max,
                           int count_pad, int z) {
    for (int oh = 0; oh < OH; oh++) {
        for (int ow = 0; ow < OW; ow++) {
            const size_t ob = ((size_t) oh * OW + ow) * CP;
            for (int c = 0; c < CP; c++) {
                int64_t acc = is_max ? INT64_MIN : 0;
                int n = 0;
                int padded = 0;
                for (int kh = 0; kh < KH; kh++) {
                    const int ih = oh * SH - PT + kh * DH;
                    for (int kw = 0; kw < KW; kw++) {
                        const int iw = ow * SW - PL + kw * DW;
                        if (ih < H + PB && iw < W + PR) {
                            padded++;
                        }
                        if (ih >= 0 && ih < H && iw >= 0 && iw < W) {
                            int32_t v = qt_load(x, kind, ((size_t) ih * W + iw) * CP + c);
                            acc = is_max ? (v > acc ? v : acc) : acc + (v - z);
                            n++;
                        }
                    }
                }
                int32_t r;
                if (is_max) {
                    r = (int32_t) acc;
                } else {
                    r = z + qt_rounded_divide(acc, count_pad ? padded : (n > 0 ? n : 1));
                }
                qt_store(y, kind, ob + c, r);
            }
        }
    }
}

/* Global average pool, NHWC [HW][CP] to [CP]: z + round(sum of (q - z) / HW), z the zero point. */
QT_INLINE void qt_global_avg_pool_int(const void *x, void *y, int kind, int HW, int CP, int z) {
    for (int c = 0; c < CP; c++) {
        int64_t sum = 0;
        for (int i = 0; i < HW; i++) {
            sum += qt_load(x, kind, (size_t) i * CP + c) - z;
        }
        qt_store(y, kind, c, z + qt_rounded_divide(sum, HW));
    }
}

#endif
