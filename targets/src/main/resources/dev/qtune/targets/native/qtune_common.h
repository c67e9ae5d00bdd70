/*
 * qtune kernel library, common part: what every kernel header shares. It reads the compiler's ISA
 * macros once (QT_AVX2, QT_VNNI, QT_NEON_DOT below, each 0 or 1, the only place that looks at
 * __AVX2__, __AVX512VNNI__, __ARM_FEATURE_DOTPROD...), and holds the shared helpers: element
 * access, requantization (docs/integer-semantics.md), Java's max/min on floats, the layout
 * boundaries (quantize, dequantize, flatten), the thread split, and the convolution layer's
 * arguments (qt_conv_args), its input layouts and the work-item loop of the direct kernels.
 *
 * The kernel headers include this one and add kernels only: qtune_int_kernels.h (portable integer
 * kernels, which define the arithmetic), qtune_avx2_kernels.h, qtune_vnni_kernels.h (which builds
 * on the AVX2 one) and qtune_neon_kernels.h, each compiling on its own with its target's flags.
 * qtune_kernels.h, which generated code includes, picks the ISA header in one #if/#elif chain.
 *
 * Every kernel is always_inline, and generated code calls it with literal shapes and schedule
 * values, so each call site is specialised by the C compiler (loop bounds, unrolling, vector
 * widths). Element kinds: QT_U8 = uint8_t, QT_I8 = int8_t, QT_I16 = int16_t.
 *
 * Layouts: integer 4-D tensors are NHWC with the channel count padded to a multiple of 4 (the
 * padding holds zeros and meets zero weights); integer 2-D tensors are flat, padded likewise;
 * fp32 tensors are NCHW as in ONNX.
 */
#ifndef QTUNE_COMMON_H
#define QTUNE_COMMON_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The target's ISA, from the compiler's own macros (that is, from the target's -m/-march flags):
 * QT_AVX2 for x86 AVX2; QT_VNNI for AVX-512 VNNI with BW and VL as the VNNI kernels need them
 * (the x86-avx512-vnni target, which has AVX2 too); QT_NEON_DOT for AArch64 with the dot product
 * (Armv8.2-A+dotprod). Defined here only, to 0 or 1; everything else tests these.
 */
#if defined(__AVX2__)
#define QT_AVX2 1
#else
#define QT_AVX2 0
#endif
#if QT_AVX2 && defined(__AVX512VNNI__) && defined(__AVX512BW__) && defined(__AVX512VL__)
#define QT_VNNI 1
#else
#define QT_VNNI 0
#endif
/* The fast fp32 kernels (qtune_fp32_kernels.h): 512-bit FMA with AVX-512F, else 256-bit with AVX2 and FMA. */
#if defined(__AVX512F__) && defined(__FMA__)
#define QT_F32_AVX512 1
#else
#define QT_F32_AVX512 0
#endif
#if QT_AVX2 && defined(__FMA__)
#define QT_F32_AVX2 1
#else
#define QT_F32_AVX2 0
#endif
#if defined(__aarch64__) && defined(__ARM_FEATURE_DOTPROD)
#define QT_NEON_DOT 1
#else
#define QT_NEON_DOT 0
#endif

#if QT_AVX2
#include <immintrin.h>
#endif

#define QT_INLINE static inline __attribute__((always_inline))
#define QT_U8 0
#define QT_I8 1
#define QT_I16 2
#define QT_UPWARD 0
#define QT_TONEAREST 1
#define QT_MAX_OB 64
#define QT_MAX_OWT 8
/* Most output channels of one integer layer (padded). */
#define QT_MAX_CHANNELS 8192

/* Threads used by the parallel loops; the runner sets it. */
extern int qt_threads;

/* A layer's work function (generated, every shape a literal): computes its work items [w0, w1). */
typedef void (*qt_work_fn)(const float *in, float *out, int w0, int w1);

/*
 * Runs n work items as qt_threads contiguous ranges, one per OpenMP thread, or all on this
 * thread. The split is done here, outside the kernels, because GCC outlines an OpenMP region
 * into a function of its own that no longer sees the caller's literal shapes: kernels called
 * from inside one are not specialised (measured 1.5-2x slower).
 */
QT_INLINE void qt_parallel(qt_work_fn fn, const float *in, float *out, int n) {
    const int t = qt_threads < n ? qt_threads : n;
    if (t <= 1) {
        fn(in, out, 0, n);
        return;
    }
    _Pragma("omp parallel for schedule(static) num_threads(t)")
    for (int i = 0; i < t; i++) {
        fn(in, out, (int) ((long) n * i / t), (int) ((long) n * (i + 1) / t));
    }
}

QT_INLINE int32_t qt_load(const void *p, int kind, size_t i) {
    return kind == QT_U8 ? ((const uint8_t *) p)[i] : kind == QT_I8 ? ((const int8_t *) p)[i] : ((const int16_t *) p)[i];
}

QT_INLINE void qt_store(void *p, int kind, size_t i, int32_t v) {
    if (kind == QT_U8) {
        ((uint8_t *) p)[i] = (uint8_t) v;
    } else if (kind == QT_I8) {
        ((int8_t *) p)[i] = (int8_t) v;
    } else {
        ((int16_t *) p)[i] = (int16_t) v;
    }
}

QT_INLINE int qt_size(int kind) {
    return kind == QT_I16 ? 2 : 1;
}

/* ---- requantization (integer-semantics.md, "Fixed-point multipliers") ---- */

/* floor((p + 2^(n-1)) / 2^n) for p >= 0 or rounding upward: arithmetic shifts. */
QT_INLINE int64_t qt_round_shift(int64_t p, int n) {
    return n == 0 ? p : (p >> n) + ((p >> (n - 1)) & 1);
}

/*
 * The constants of the vectorised upward rounding by n bits (qtune_avx2_kernels.h): floor((p +
 * 2^(n-1)) / 2^n) + z is done as a logical shift of p + qt_upward_add(n) minus qt_upward_sub(n, z),
 * that is p + 2^(n-1) + 2^63, shifted, minus 2^(63-n) - z (modulo 2^64).
 */
QT_INLINE uint64_t qt_upward_add(int n) {
    return (n > 0 ? (uint64_t) 1 << (n - 1) : 0) + ((uint64_t) 1 << 63);
}

QT_INLINE uint64_t qt_upward_sub(int n, int z) {
    return (((uint64_t) 1 << 63) >> n) - (uint64_t) (int64_t) z;
}

/* apply(M, a) without saturation for |a| < 2^32 (any int32 accumulator). */
QT_INLINE int64_t qt_apply(int64_t a, int32_t m, int n, int rounding) {
    int64_t p = a * (int64_t) m;
    return rounding == QT_UPWARD || p >= 0 ? qt_round_shift(p, n) : -qt_round_shift(-p, n);
}

/* apply(M, a) for any int64 a (wide accumulators), exact through a 128-bit product. */
QT_INLINE int64_t qt_apply_wide(int64_t a, int32_t m, int n, int rounding) {
    if (a < ((int64_t) 1 << 32) && a > -((int64_t) 1 << 32)) {
        return qt_apply(a, m, n, rounding);
    }
    __int128 p = (__int128) a * m;
    int neg = rounding == QT_TONEAREST && p < 0;
    if (neg) {
        p = -p;
    }
    if (n > 0) {
        p = (p + ((__int128) 1 << (n - 1))) >> n;
    }
    if (neg) {
        p = -p;
    }
    return p > INT64_MAX ? INT64_MAX : p < INT64_MIN ? INT64_MIN : (int64_t) p;
}

QT_INLINE int32_t qt_clamp(int64_t v, int lo, int hi) {
    return (int32_t) (v < lo ? lo : v > hi ? hi : v);
}

/*
 * The output stage with zero point z (integer-semantics.md, "Zero points"): clamp(v + z, lo, hi),
 * computed as clamp(v, lo - z, hi - z) + z so that no v (a saturated wide one included) overflows.
 * With z a literal 0 it is qt_clamp.
 */
QT_INLINE int32_t qt_clamp_zp(int64_t v, int z, int lo, int hi) {
    return qt_clamp(v, lo - z, hi - z) + z;
}

/* ---- fp32 helpers with Java's Math.max / Math.min semantics (NaN wins, +0 > -0) ---- */

QT_INLINE float qt_jmax(float a, float b) {
    if (a != a) {
        return a;
    }
    if (b != b) {
        return b;
    }
    if (a == 0.0f && b == 0.0f) {
        return signbit(a) ? b : a;
    }
    return a >= b ? a : b;
}

QT_INLINE float qt_jmin(float a, float b) {
    if (a != a) {
        return a;
    }
    if (b != b) {
        return b;
    }
    if (a == 0.0f && b == 0.0f) {
        return signbit(a) ? a : b;
    }
    return a <= b ? a : b;
}

/* ---- boundaries ---- */

/* One element of qt_quantize: clamp(rint(x / s), zlo, zhi) + z, NaN -> qnan. */
QT_INLINE int32_t qt_quantize1(float x, float s, int zlo, int zhi, int z, int32_t qnan) {
    float r = x / s;
    if (r != r) {
        return qnan;
    }
    r = rintf(r);
    return (r < (float) zlo ? zlo : r > (float) zhi ? zhi : (int32_t) r) + z;
}

/*
 * q = clamp(rint(x / s) + z), NaN -> clamp(z); from fp32 NCHW [C][HW] to integer NHWC [HW][CP].
 * Blocks of 8 pixels by up to 16 channels: each channel's 8 pixels are computed as one vector (on
 * AVX2: the same arithmetic, IEEE division, round to nearest even, NaN to clamp(z), clamp), then
 * stored pixel by pixel, so the NHWC output is written in order rather than once per channel
 * with a stride of CP (which made ResNet-18's input 0.15 ms).
 */
QT_INLINE void qt_quantize(const float *x, void *y, int kind, int C, int HW, int CP, float s, int z, int lo, int hi) {
    /* rint(x / s) is clamped to [lo - z, hi - z] (small integers, exact as floats), then z added. */
    const int zlo = lo - z;
    const int zhi = hi - z;
    const int32_t qnan = qt_clamp(z, lo, hi);
    int i0 = 0;
#if QT_AVX2
    const __m256 vs = _mm256_set1_ps(s);
    const __m256 vlo = _mm256_set1_ps((float) zlo);
    const __m256 vhi = _mm256_set1_ps((float) zhi);
    const __m256i vz = _mm256_set1_epi32(z);
    const __m256i vnan = _mm256_set1_epi32(qnan);
    i0 = HW / 8 * 8;
    for (int i = 0; i < i0; i += 8) {
        for (int c0 = 0; c0 < C; c0 += 16) {
            const int cn = C - c0 < 16 ? C - c0 : 16;
            int32_t v[16][8] __attribute__((aligned(32)));
            for (int c = 0; c < cn; c++) {
                const __m256 r = _mm256_div_ps(_mm256_loadu_ps(x + (size_t) (c0 + c) * HW + i), vs);
                const __m256i okm = _mm256_castps_si256(_mm256_cmp_ps(r, r, _CMP_ORD_Q));
                const __m256 q = _mm256_min_ps(
                    _mm256_max_ps(_mm256_round_ps(r, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC), vlo), vhi);
                const __m256i qz = _mm256_add_epi32(_mm256_cvttps_epi32(q), vz);
                _mm256_store_si256((__m256i *) v[c],
                                   _mm256_or_si256(_mm256_and_si256(qz, okm), _mm256_andnot_si256(okm, vnan)));
            }
            for (int k = 0; k < 8; k++) {
                for (int c = 0; c < cn; c++) {
                    qt_store(y, kind, (size_t) (i + k) * CP + c0 + c, v[c][k]);
                }
            }
        }
    }
#endif
    for (int i = i0; i < HW; i++) {
        for (int c = 0; c < C; c++) {
            qt_store(y, kind, (size_t) i * CP + c, qt_quantize1(x[(size_t) c * HW + i], s, zlo, zhi, z, qnan));
        }
    }
}

/* x = (float) (q - z) * s; from integer NHWC [HW][CP] to fp32 NCHW [C][HW]. */
QT_INLINE void qt_dequantize(const void *x, int kind, float *y, int C, int HW, int CP, float s, int z) {
    for (int c = 0; c < C; c++) {
        int i0 = 0;
#if QT_AVX2
        i0 = HW / 8 * 8;
        for (int i = 0; i < i0; i += 8) {
            int32_t v[8] __attribute__((aligned(32)));
            for (int k = 0; k < 8; k++) {
                v[k] = qt_load(x, kind, (size_t) (i + k) * CP + c);
            }
            const __m256i q = _mm256_sub_epi32(_mm256_load_si256((const __m256i *) v), _mm256_set1_epi32(z));
            _mm256_storeu_ps(y + (size_t) c * HW + i, _mm256_mul_ps(_mm256_cvtepi32_ps(q), _mm256_set1_ps(s)));
        }
#endif
        for (int i = i0; i < HW; i++) {
            y[(size_t) c * HW + i] = (float) (qt_load(x, kind, (size_t) i * CP + c) - z) * s;
        }
    }
}

/* Integer NHWC [HW][CP] to a flat NCHW-ordered vector (Flatten of an integer tensor). */
QT_INLINE void qt_flatten_int(const void *x, void *y, int kind, int C, int HW, int CP) {
    for (int c = 0; c < C; c++) {
        for (int i = 0; i < HW; i++) {
            qt_store(y, kind, (size_t) c * HW + i, qt_load(x, kind, (size_t) i * CP + c));
        }
    }
}

/* ---- the convolution layer ---- */

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
    int CC;                 /* channel stride of the halo-padded copy: CP, or a first layer's real channels */
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

/* The input widened to int16 for dot 16 (into x16 when copy is set), or the input itself when it is int16. */
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
 * Rows (or columns) of the halo-padded input that the SIMD kernels read: the image's n plus the
 * leading padding p0, or more where the last output's window reaches further (trailing padding).
 * The code generator sizes the scratch buffer with the same formula.
 */
QT_INLINE int qt_padded_extent(int n, int p0, int out, int stride, int k, int dil) {
    const int need = (out - 1) * stride + (k - 1) * dil + 1;
    return need > n + p0 ? need : n + p0;
}

/*
 * Elements of one kernel row as the SIMD kernels read it: KW taps of CC channels, rounded up to
 * whole groups of G (4 for dot 8, 2 for dot 16); the packed weights are zero past KW * CC.
 */
QT_INLINE int qt_kernel_row(int KW, int CC, int G) {
    return (KW * CC + G - 1) / G * G;
}

/*
 * The geometry of one tile of the SIMD direct kernels, declared at the top of a tile function
 * (a the layer, xp the halo-padded input, ob the output-channel block, oh the output row, ow0 the
 * tile's first output column): the window and block (CP, KH, KW, DH, DW, OB); NV vectors of
 * LANES output channels in a block; KWC elements of a packed kernel row, in groups of G input
 * channels; XS input elements between neighbouring output pixels and RS between padded input rows;
 * the tile's input xt and weights wb; its first output channel ch0, the count of real channels from
 * there (at most OB), and ybase, the output index of its first pixel.
 */
#define QT_TILE_GEOMETRY(IN_T, W_T, G, LANES)                                                            \
    const int CP = a->CC, KH = a->KH, KW = a->KW, DH = a->DH, DW = a->DW, OB = a->OB;                   \
    const int NV = OB / (LANES);                                                                        \
    const int KWC = qt_kernel_row(KW, CP, G);                                                           \
    const size_t XS = (size_t) a->SW * CP;                                                              \
    const size_t RS = (size_t) qt_padded_extent(a->W, a->PL, a->OW, a->SW, KW, DW) * CP;                \
    const IN_T *xt = xp + (size_t) oh * a->SH * RS + (size_t) ow0 * XS;                                 \
    const W_T *wb = (const W_T *) a->wpk + (size_t) ob * KH * KWC * OB;                                 \
    const int ch0 = ob * OB;                                                                            \
    const int count = a->OCP - ch0 < OB ? a->OCP - ch0 : OB;                                            \
    const size_t ybase = ((size_t) oh * a->OW + ow0) * a->OCP + ch0

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

#endif
