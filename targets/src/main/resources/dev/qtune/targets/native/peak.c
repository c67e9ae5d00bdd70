/*
 * qtune peak microbenchmark: sustained multiply-accumulate rates of one core, in GMAC/s, for
 *   fp32  fused multiply-add (vfmadd231ps ymm/zmm, fmla on NEON, or plain C a*b+c),
 *   int8  u8 x s8 products with the target's best instruction (vpdpbusd zmm on AVX-512 VNNI,
 *         vpmaddubsw+vpmaddwd+vpaddd ymm on AVX2, sdot on NEON dotprod, plain C otherwise),
 *   int16 the exact 16-bit path of the target's kernels (vpdpwssd zmm on AVX-512 VNNI,
 *         vpmaddwd+vpaddd ymm on AVX2, smlal2 on NEON, plain C otherwise).
 * A MAC is one multiply-add of one element pair: vpdpbusd zmm = 64, vpdpwssd zmm = 32, vpmaddubsw
 * ymm = 32 (the vpmaddwd that reduces its pairs is not counted again), vpmaddwd ymm = 16,
 * vfmadd231ps ymm = 8.
 *
 * Every kernel runs 12 independent dependency chains (enough to cover latency x throughput on
 * current cores) whose values feed the next step, so the compiler can neither hoist nor fold the
 * work, and every result ends in a volatile sink. KEEP, an empty asm statement after each step,
 * pins the steps in source order: without it GCC issues all multiplies of an iteration first and
 * spills the chains to the stack.
 *
 * Usage: peak [SECONDS_PER_KIND]  (default 0.3). Prints one line of JSON:
 *   {"fp32_gmacs": 50.8, "int8_gmacs": 85.9, "int16_gmacs": 43.0, "int8_instruction": "vpmaddubsw+vpmaddwd"}
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if (defined(__AVX512VNNI__) && defined(__AVX512BW__)) || (defined(__AVX2__) && defined(__FMA__))
#include <immintrin.h>
#endif
#if defined(__aarch64__) && defined(__ARM_FEATURE_DOTPROD)
#include <arm_neon.h>
#endif

#define CHAINS 12
#define REP12(X, ...)                                                                                  \
    X(0, __VA_ARGS__) X(1, __VA_ARGS__) X(2, __VA_ARGS__) X(3, __VA_ARGS__) X(4, __VA_ARGS__)          \
    X(5, __VA_ARGS__) X(6, __VA_ARGS__) X(7, __VA_ARGS__) X(8, __VA_ARGS__) X(9, __VA_ARGS__)          \
    X(10, __VA_ARGS__) X(11, __VA_ARGS__)
#define CHAIN_INIT(k, T, INIT, STEP) T acc##k = INIT(k);
#define CHAIN_STEP(k, T, INIT, STEP) acc##k = STEP(acc##k); KEEP(acc##k);
#define CHAIN_FOLD(k, ADD) s = ADD(s, acc##k);

/*
 * The SIMD kernels, one per ISA and kind: CHAIN_KERNEL(NAME, MACS, T, INIT, STEP, ADD, ZERO, SINK,
 * REDUCE, constants...) declares the constants, starts chain k (of type T) at INIT(k), runs `iters`
 * steps acc = STEP(acc) of every chain in turn, then sums the chains with ADD from ZERO and adds
 * REDUCE of the sum to SINK; a step of one chain is MACS multiply-accumulates.
 */
#define CHAIN_KERNEL(NAME, MACS, T, INIT, STEP, ADD, ZERO, SINK, REDUCE, ...)                          \
    __attribute__((noinline)) static uint64_t NAME(uint64_t iters) {                                   \
        const __VA_ARGS__;                                                                             \
        REP12(CHAIN_INIT, T, INIT, STEP)                                                               \
        for (uint64_t i = 0; i < iters; i++) { REP12(CHAIN_STEP, T, INIT, STEP) }                      \
        T s = ZERO;                                                                                    \
        REP12(CHAIN_FOLD, ADD)                                                                         \
        SINK += REDUCE(s);                                                                             \
        return iters * CHAINS * (MACS);                                                                \
    }

static volatile int seed = 1;          /* read at run time: the compiler cannot know the inputs */
static volatile double sink_f;
static volatile int64_t sink_i;

typedef uint64_t (*kernel_fn)(uint64_t iters); /* runs iters steps, returns the MACs done */

#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
/* ---------------------------------------------------------------- AVX-512 VNNI, zmm */
#define INT8_INSTRUCTION "vpdpbusd"
#define KEEP(v) __asm__ volatile("" : "+v"(v))
#define FP32_INIT(k) _mm512_set1_ps((float)(k))
#define FP32_STEP(x) _mm512_fmadd_ps(a, b, x)
#define INT8_INIT(k) _mm512_set1_epi32(k)
#define INT8_STEP(x) _mm512_dpbusd_epi32(x, a, w)
#define INT16_INIT(k) _mm512_set1_epi32(k + seed)
/* vpdpwssd, as the int16 kernels use on this target (vpmaddwd+vpaddd measured 92 GMAC/s on a
 * Sapphire Rapids core where the vpdpwssd conv kernels ran 134: the peak must be the best path) */
#define INT16_STEP(x) _mm512_dpwssd_epi32(x, a, w)

CHAIN_KERNEL(fp32_kernel, 16, __m512, FP32_INIT, FP32_STEP, _mm512_add_ps, _mm512_setzero_ps(), sink_f,
             _mm512_reduce_add_ps, __m512 a = _mm512_set1_ps(1e-3f * (float)seed),
             b = _mm512_set1_ps(1e-4f * (float)seed))
CHAIN_KERNEL(int8_kernel, 64, __m512i, INT8_INIT, INT8_STEP, _mm512_add_epi32, _mm512_setzero_si512(), sink_i,
             _mm512_reduce_add_epi32, __m512i a = _mm512_set1_epi8((char)(seed + 2)),
             w = _mm512_set1_epi8((char)(seed - 3)))
CHAIN_KERNEL(int16_kernel, 32, __m512i, INT16_INIT, INT16_STEP, _mm512_add_epi32, _mm512_setzero_si512(), sink_i,
             _mm512_reduce_add_epi32, __m512i a = _mm512_set1_epi16((short)(seed + 2)),
             w = _mm512_set1_epi16((short)(seed + 1)))

#elif defined(__AVX2__) && defined(__FMA__)
/* ---------------------------------------------------------------- AVX2 + FMA, ymm */
#define INT8_INSTRUCTION "vpmaddubsw+vpmaddwd"
#define KEEP(v) __asm__ volatile("" : "+x"(v))

static int64_t hsum_epi32(__m256i v) {
    int32_t out[8];
    _mm256_storeu_si256((__m256i *)out, v);
    int64_t s = 0;
    for (int j = 0; j < 8; j++) s += out[j];
    return s;
}

static float hsum_ps(__m256 v) {
    float out[8];
    _mm256_storeu_ps(out, v);
    return out[0] + out[1] + out[2] + out[3] + out[4] + out[5] + out[6] + out[7];
}

/*
 * An int8 step is vpmaddubsw (32 u8*s8 products, summed in pairs), vpmaddwd by 1 (pairs of pairs
 * into int32) and vpaddd, as in a real kernel; the u8 operand is the chain's own value. An int16
 * step is vpmaddwd (16 s16*s16 products, summed in pairs into int32) and vpaddd. Each chain is
 * updated in place, so 12 chains plus the two constants fit the 16 ymm registers without spills.
 */
#define FP32_INIT(k) _mm256_set1_ps((float)(k))
#define FP32_STEP(x) _mm256_fmadd_ps(a, b, x)
#define INT_INIT(k) _mm256_set1_epi32(k + seed)
#define INT8_STEP(x) _mm256_add_epi32(_mm256_madd_epi16(_mm256_maddubs_epi16(x, w), ones), ones)
#define INT16_STEP(x) _mm256_add_epi32(_mm256_madd_epi16(x, w), w)

CHAIN_KERNEL(fp32_kernel, 8, __m256, FP32_INIT, FP32_STEP, _mm256_add_ps, _mm256_setzero_ps(), sink_f, hsum_ps,
             __m256 a = _mm256_set1_ps(1e-3f * (float)seed), b = _mm256_set1_ps(1e-4f * (float)seed))
CHAIN_KERNEL(int8_kernel, 32, __m256i, INT_INIT, INT8_STEP, _mm256_add_epi32, _mm256_setzero_si256(), sink_i,
             hsum_epi32, __m256i w = _mm256_set1_epi8((char)(seed - 3)), ones = _mm256_set1_epi16(1))
CHAIN_KERNEL(int16_kernel, 16, __m256i, INT_INIT, INT16_STEP, _mm256_add_epi32, _mm256_setzero_si256(), sink_i,
             hsum_epi32, __m256i w = _mm256_set1_epi16((short)(seed + 1)))

#elif defined(__aarch64__) && defined(__ARM_FEATURE_DOTPROD)
/* ---------------------------------------------------------------- AArch64 NEON + dotprod, 128-bit */
#define INT8_INSTRUCTION "sdot"
#define KEEP(v) __asm__ volatile("" : "+w"(v))

/*
 * The int16 step: acc += widen(high half of acc as s16) * w, smlal2, 4 MACs; the multiplicand is
 * the chain's own value.
 */
#define FP32_INIT(k) vdupq_n_f32((float)(k))
#define FP32_STEP(x) vfmaq_f32(x, a, b)
#define INT8_INIT(k) vdupq_n_s32(k)
#define INT8_STEP(x) vdotq_s32(x, a, w)
#define INT16_INIT(k) vdupq_n_s32(k + seed)
#define INT16_STEP(x) vmlal_high_s16(x, vreinterpretq_s16_s32(x), w)

CHAIN_KERNEL(fp32_kernel, 4, float32x4_t, FP32_INIT, FP32_STEP, vaddq_f32, vdupq_n_f32(0.0f), sink_f, vaddvq_f32,
             float32x4_t a = vdupq_n_f32(1e-3f * (float)seed), b = vdupq_n_f32(1e-4f * (float)seed))
CHAIN_KERNEL(int8_kernel, 16, int32x4_t, INT8_INIT, INT8_STEP, vaddq_s32, vdupq_n_s32(0), sink_i, vaddvq_s32,
             int8x16_t a = vdupq_n_s8((int8_t)(seed + 2)), w = vdupq_n_s8((int8_t)(seed - 3)))
CHAIN_KERNEL(int16_kernel, 4, int32x4_t, INT16_INIT, INT16_STEP, vaddq_s32, vdupq_n_s32(0), sink_i, vaddvq_s32,
             int16x8_t w = vdupq_n_s16((int16_t)(seed + 1)))

#else
/* ---------------------------------------------------------------- portable C, compiler-vectorised */
#define INT8_INSTRUCTION "c"
#define FP32_LANES 48
#define INT_LANES 32

static uint8_t act8[INT_LANES];
static int8_t wgt8[INT_LANES];
static int16_t act16[INT_LANES];
static int16_t wgt16[INT_LANES];

__attribute__((noinline)) static uint64_t fp32_kernel(uint64_t iters) {
    const float a = 0.5f * (float)seed, b = 1.0f * (float)seed;
    float acc[FP32_LANES];
    for (int j = 0; j < FP32_LANES; j++) acc[j] = (float)j;
    for (uint64_t i = 0; i < iters; i++) {
        for (int j = 0; j < FP32_LANES; j++) acc[j] = acc[j] * a + b;
    }
    float s = 0.0f;
    for (int j = 0; j < FP32_LANES; j++) s += acc[j];
    sink_f += s;
    return iters * FP32_LANES;
}

/*
 * The int kernels: products of the activations A (element type TA) and the weights W (TW) summed
 * into 32-bit lanes. The asm statements make the input pointers opaque each step, so the products
 * are recomputed.
 */
#define INT_KERNEL(NAME, TA, A, TW, W)                                                                 \
    __attribute__((noinline)) static uint64_t NAME(uint64_t iters) {                                   \
        uint32_t acc[INT_LANES] = {0};                                                                 \
        const TA *pa = A;                                                                              \
        const TW *pw = W;                                                                              \
        for (uint64_t i = 0; i < iters; i++) {                                                         \
            __asm__ volatile("" : "+r"(pa), "+r"(pw));                                                 \
            for (int j = 0; j < INT_LANES; j++) acc[j] += (uint32_t)((int32_t)pa[j] * (int32_t)pw[j]); \
        }                                                                                              \
        uint32_t s = 0;                                                                                \
        for (int j = 0; j < INT_LANES; j++) s += acc[j];                                               \
        sink_i += s;                                                                                   \
        return iters * INT_LANES;                                                                      \
    }

INT_KERNEL(int8_kernel, uint8_t, act8, int8_t, wgt8)
INT_KERNEL(int16_kernel, int16_t, act16, int16_t, wgt16)

static void init_inputs(void) {
    for (int j = 0; j < INT_LANES; j++) {
        act8[j] = (uint8_t)(j * 7 + seed);
        wgt8[j] = (int8_t)(j * 5 - 60);
        act16[j] = (int16_t)(j * 97 + seed);
        wgt16[j] = (int16_t)(j * 31 - 500);
    }
}
#endif

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/*
 * GMAC/s of one kernel: size a chunk to ~1 ms, warm up for 50 ms, then run chunks for `seconds`
 * in WINDOWS windows and report the best window (on a shared or virtual machine a neighbour's
 * burst lowers one window, not the result).
 */
#define WINDOWS 5
static double measure(kernel_fn kernel, double seconds) {
    uint64_t iters = 256;
    for (;;) {
        double t = now();
        kernel(iters);
        if (now() - t >= 1e-3 || iters >= ((uint64_t)1 << 40)) break;
        iters *= 2;
    }
    double warm = now();
    while (now() - warm < 0.05) kernel(iters);
    double best = 0.0;
    for (int w = 0; w < WINDOWS; w++) {
        uint64_t macs = 0;
        double start = now(), elapsed;
        do {
            macs += kernel(iters);
            elapsed = now() - start;
        } while (elapsed < seconds / WINDOWS);
        double rate = (double)macs / elapsed / 1e9;
        if (rate > best) best = rate;
    }
    return best;
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 0.3;
    if (!(seconds > 0.0 && seconds <= 60.0)) {
        fprintf(stderr, "peak: seconds per kind must be in (0, 60], but was '%s'\n", argc > 1 ? argv[1] : "");
        return 2;
    }
#if !(defined(__AVX512VNNI__) && defined(__AVX512BW__)) && !(defined(__AVX2__) && defined(__FMA__)) \
    && !(defined(__aarch64__) && defined(__ARM_FEATURE_DOTPROD))
    init_inputs();
#endif
    double fp32 = measure(fp32_kernel, seconds);
    double int8 = measure(int8_kernel, seconds);
    double int16 = measure(int16_kernel, seconds);
    printf("{\"fp32_gmacs\": %.1f, \"int8_gmacs\": %.1f, \"int16_gmacs\": %.1f, \"int8_instruction\": \"%s\"}\n",
           fp32, int8, int16, INT8_INSTRUCTION);
    return 0;
}
