/* The warp's kernels (alignment/dtw.py): distances, the recurrence, the backtrack and
 * the calibration's match costs, in plain C, loaded by ctypes.
 *
 * Compiled once when the package is built (setup.py), they replace kernels that numba
 * compiled at run time: numba cost every process 0.7-0.8 s of a core and 110 MB to load
 * (and a first run after installing 5 s to compile). No Python headers: the functions
 * take pointers and sizes, and ctypes frees the GIL while they run.
 *
 * The arithmetic is dtw.py's, operation for operation, in the precision it states
 * (float32, or float64 where it says so) and without contracting a product and a sum
 * into one rounding (-ffp-contract=off), so every machine finds the same path. The loops
 * over states have no branches the compiler cannot turn into selects, and are
 * vectorised; x86-64 machines with AVX2 get a second version of the two hot ones,
 * chosen at the first call. dtw.py holds the model (the chain of states, the moves, the
 * windows); tests/alignment/test_dtw.py writes the recurrence out plainly and checks
 * both versions against it. */

#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#endif

#define MAX_STEP 3
#define SKIP_CHOICE (MAX_STEP + 1)

#define BODY static inline __attribute__((always_inline))

/* A second version of the two hot kernels for x86-64 with AVX2 (8 floats a vector),
 * chosen at the first call; any other machine runs the plain C, which the compiler
 * vectorises as it can. Both do the same operations in the same order: the same path. */
#if defined(__GNUC__) && defined(__x86_64__)
#define FAST_CPU 1
#define FAST_TARGET __attribute__((target("avx2")))

static int fast_allowed = 1;

static int fast_cpu(void) {
    static int known = -1;
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx2");
    }
    return known && fast_allowed;
}
#endif

/* Whether the AVX2 versions run where the machine has them (1, the default) or the
 * plain C everywhere (0): the tests check both against the recurrence. Returns whether
 * they will run. */
int tp_use_fast(int allowed) {
#ifdef FAST_CPU
    fast_allowed = allowed != 0;
    return fast_cpu();
#else
    (void)allowed;
    return 0;
#endif
}

static const float INF = 1e30f;
/* an int32 that may alias a float: the distances read as the integers of their bits */
typedef int32_t __attribute__((may_alias)) alias_i32;

static int32_t bits_of(float x) {
    int32_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

static float float_of(int32_t b) {
    float x;
    memcpy(&x, &b, sizeof x);
    return x;
}

/* States the band holds at row i of a window: it widens as the window goes on, at twice
 * the average pace plus room for skipped text, so early rows look at few. */
static int64_t band(int64_t i, int64_t w, double base, double slope) {
    int64_t hi = (int64_t)(base + slope * (double)(i + 1));
    return hi < w ? hi : w;
}

/* Mean squared differences of rows [r0, r1) of `real` (n x d) to the band's reading
 * frames (`feats_t`, d x w), into out (rows x w), and each row's least over the
 * sentences' states into lows. Five coefficients at a time, each state's sum in a
 * register, added in the order of one coefficient at a time: a fifth of the loads and
 * stores of the sums, where the plain C runs (machines without AVX2, ARM). */
static void distances_plain(const float *real, int64_t d, const float *feats_t, int64_t w,
                            const uint8_t *is_gap, int64_t r0, int64_t r1, double base,
                            double slope, float *out, float *lows) {
    const int32_t inf_bits = bits_of(INF);
    /* The mean as a product by 1/d in double precision, rounded to float: the float
     * that dividing gives, for any d up to 2^24 (the product lies within 2^-51 of the
     * quotient, which lies at least 2^-25 / d from any point halfway between two
     * floats), at a fraction of the division's time. */
    const double inverse = 1.0 / (double)d;
    for (int64_t i = r0; i < r1; i++) {
        int64_t hi = band(i, w, base, slope);
        float *restrict o = out + (i - r0) * w;
        const float *r = real + i * d;
        int64_t j = 0;
        for (; j + 5 <= d; j += 5) {
            const float r_0 = r[j], r_1 = r[j + 1], r_2 = r[j + 2], r_3 = r[j + 3],
                        r_4 = r[j + 4];
            const float *restrict f_0 = feats_t + j * w, *restrict f_1 = f_0 + w,
                        *restrict f_2 = f_1 + w, *restrict f_3 = f_2 + w,
                        *restrict f_4 = f_3 + w;
            const int first = j == 0;
            for (int64_t q = 0; q < hi; q++) {
                float acc = first ? 0.0f : o[q];
                float t = r_0 - f_0[q];
                acc += t * t;
                t = r_1 - f_1[q];
                acc += t * t;
                t = r_2 - f_2[q];
                acc += t * t;
                t = r_3 - f_3[q];
                acc += t * t;
                t = r_4 - f_4[q];
                acc += t * t;
                o[q] = acc;
            }
        }
        if (j == 0)
            for (int64_t q = 0; q < hi; q++)
                o[q] = 0.0f;
        for (; j < d; j++) {
            const float rj = r[j];
            const float *restrict f = feats_t + j * w;
            for (int64_t q = 0; q < hi; q++) {
                float t = rj - f[q];
                o[q] += t * t;
            }
        }
        /* the least by the bits: distances are never negative, so they order as their
         * bits do (the sign bit dropped, so a NaN of either sign is passed over), and a
         * least of integers runs on vectors */
        for (int64_t q = 0; q < hi; q++)
            o[q] = (float)((double)o[q] * inverse);
        const alias_i32 *ob = (const alias_i32 *)o;
        int32_t low = inf_bits;
        for (int64_t q = 0; q < hi; q++) {
            int32_t b = is_gap[q] ? inf_bits : (ob[q] & 0x7FFFFFFF);
            low = b < low ? b : low;
        }
        lows[i - r0] = float_of(low);
    }
}

#ifdef FAST_CPU
/* distances_plain in AVX2, 32 states a step, each state's sum in a register over all
 * the coefficients: the same sums in the same order */
FAST_TARGET static void distances_fast(const float *real, int64_t d, const float *feats_t,
                                       int64_t w, const uint8_t *is_gap, int64_t r0,
                                       int64_t r1, double base, double slope, float *out,
                                       float *lows) {
    const int32_t inf_bits = bits_of(INF);
    const double inverse = 1.0 / (double)d;  /* as in distances_plain */
    const __m256d vinverse = _mm256_set1_pd(inverse);
    const __m256i vinf = _mm256_set1_epi32(inf_bits), no_sign = _mm256_set1_epi32(0x7FFFFFFF),
                  zero = _mm256_setzero_si256();
    for (int64_t i = r0; i < r1; i++) {
        int64_t hi = band(i, w, base, slope);
        float *o = out + (i - r0) * w;
        const float *r = real + i * d;
        __m256i vlow = vinf;
        int64_t q = 0;
        for (; q + 32 <= hi; q += 32) {
            __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
            const float *f = feats_t + q;
            for (int64_t j = 0; j < d; j++, f += w) {
                __m256 rj = _mm256_broadcast_ss(r + j);
                __m256 t0 = _mm256_sub_ps(rj, _mm256_loadu_ps(f));
                __m256 t1 = _mm256_sub_ps(rj, _mm256_loadu_ps(f + 8));
                __m256 t2 = _mm256_sub_ps(rj, _mm256_loadu_ps(f + 16));
                __m256 t3 = _mm256_sub_ps(rj, _mm256_loadu_ps(f + 24));
                a0 = _mm256_add_ps(a0, _mm256_mul_ps(t0, t0));
                a1 = _mm256_add_ps(a1, _mm256_mul_ps(t1, t1));
                a2 = _mm256_add_ps(a2, _mm256_mul_ps(t2, t2));
                a3 = _mm256_add_ps(a3, _mm256_mul_ps(t3, t3));
            }
            __m256 sums[4] = {a0, a1, a2, a3};
            for (int k = 0; k < 4; k++) {
                __m256d lo = _mm256_mul_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(sums[k])),
                                           vinverse);
                __m256d up = _mm256_mul_pd(_mm256_cvtps_pd(_mm256_extractf128_ps(sums[k], 1)),
                                           vinverse);
                __m256 mean = _mm256_set_m128(_mm256_cvtpd_ps(up), _mm256_cvtpd_ps(lo));
                _mm256_storeu_ps(o + q + 8 * k, mean);
                __m256i gap = _mm256_cvtepu8_epi32(
                    _mm_loadl_epi64((const __m128i *)(is_gap + q + 8 * k)));
                __m256i bits = _mm256_and_si256(_mm256_castps_si256(mean), no_sign);
                bits = _mm256_blendv_epi8(bits, vinf, _mm256_cmpgt_epi32(gap, zero));
                vlow = _mm256_min_epi32(vlow, bits);
            }
        }
        int32_t lanes[8];
        _mm256_storeu_si256((__m256i *)lanes, vlow);
        int32_t low = inf_bits;
        for (int k = 0; k < 8; k++)
            low = lanes[k] < low ? lanes[k] : low;
        for (; q < hi; q++) {  /* the last states, one at a time */
            float acc = 0.0f;
            for (int64_t j = 0; j < d; j++) {
                float t = r[j] - feats_t[j * w + q];
                acc += t * t;
            }
            o[q] = (float)((double)acc * inverse);
            int32_t b = is_gap[q] ? inf_bits : (bits_of(o[q]) & 0x7FFFFFFF);
            low = b < low ? b : low;
        }
        lows[i - r0] = float_of(low);
    }
}
#endif

void tp_distances(const float *real, int64_t d, const float *feats_t, int64_t w,
                  const uint8_t *is_gap, int64_t r0, int64_t r1, double base, double slope,
                  float *out, float *lows) {
#ifdef FAST_CPU
    if (fast_cpu()) {
        distances_fast(real, d, feats_t, w, is_gap, r0, r1, base, slope, out, lows);
        return;
    }
#endif
    distances_plain(real, d, feats_t, w, is_gap, r0, r1, base, slope, out, lows);
}

/* One state's cost and choice by the recurrence written out plainly, for the first
 * states of a row (whose moves would reach before the window) and the skips' targets.
 * `best` is double: the three-state step is summed in double precision, and the others
 * convert to it exactly. */
BODY float state(int64_t q, const float *row, float low, float gi, float qq,
                   const float *prev, const uint8_t *is_gap, const float *filler,
                   int64_t src, float skip_cost, float stay_cost, float jump_cost,
                   float match_scale, uint8_t *choice_out) {
    float c;
    if (is_gap[q])
        c = gi * filler[q];
    else
        c = (row[q] - low) * match_scale + qq;
    double best = is_gap[q] ? (double)prev[q] : (double)(prev[q] + stay_cost);
    uint8_t choice = 0;
    if (q >= 1 && (double)prev[q - 1] < best) {
        best = prev[q - 1];
        choice = 1;
    }
    /* steps over 2 or 3 states may not jump over a gap: every boundary visits one */
    if (q >= 2 && !is_gap[q - 1]) {
        double v = (double)(prev[q - 2] + jump_cost);
        if (v < best) {
            best = v;
            choice = 2;
        }
        if (q >= 3 && !is_gap[q - 2]) {
            v = (double)prev[q - 3] + 2.0 * (double)jump_cost;
            if (v < best) {
                best = v;
                choice = 3;
            }
        }
    }
    if (src >= 0) {
        double v = (double)(prev[src] + skip_cost);
        if (v < best) {
            best = v;
            choice = SKIP_CHOICE;
        }
    }
    *choice_out = choice;
    return (float)(best + (double)c);
}

/* States [from, hi) of a row (from >= MAX_STEP), skips aside, each move's condition
 * folded into its cost (stay_add, add2, add3: dtw._moves), so the loop has no branches */
BODY void row_states(const float *restrict prev, float *restrict cur,
                     uint8_t *restrict choices, const float *restrict row, float low,
                     float gi, float qq, const uint8_t *restrict is_gap,
                     const float *restrict filler, const float *restrict stay_add,
                     const float *restrict add2, const double *restrict add3,
                     float match_scale, int64_t from, int64_t hi) {
    for (int64_t q = from; q < hi; q++) {
        /* every move's cost, then selects: the first of equals is kept, as in state() */
        float best = prev[q] + stay_add[q];
        float v1 = prev[q - 1];
        float v2 = prev[q - 2] + add2[q];
        double v3 = (double)prev[q - 3] + add3[q];
        uint8_t choice = 0;
        int take = v1 < best;
        best = take ? v1 : best;
        choice = take ? 1 : choice;
        take = v2 < best;
        best = take ? v2 : best;
        choice = take ? 2 : choice;
        double best64 = best;
        take = v3 < best64;
        best64 = take ? v3 : best64;
        choice = take ? 3 : choice;
        float gap_c = gi * filler[q];
        float match_c = (row[q] - low) * match_scale + qq;
        float c = is_gap[q] ? gap_c : match_c;
        cur[q] = (float)(best64 + (double)c);
        choices[q] = choice;
    }
}

#ifdef FAST_CPU
/* row_states eight states at a time in AVX2, the same operations in the same precision
 * (the compiler, left to vectorise the loop above, takes 32 states a step for the
 * choices' bytes and spills its registers: 1.5 times the time) */
FAST_TARGET static void row_states_fast(
        const float *restrict prev, float *restrict cur, uint8_t *restrict choices,
        const float *restrict row, float low, float gi, float qq,
        const uint8_t *restrict is_gap, const float *restrict filler,
        const float *restrict stay_add, const float *restrict add2,
        const double *restrict add3, float match_scale, int64_t hi) {
    const __m256 vlow = _mm256_set1_ps(low), vscale = _mm256_set1_ps(match_scale),
                 vqq = _mm256_set1_ps(qq), vgi = _mm256_set1_ps(gi);
    const __m256i one = _mm256_set1_epi32(1), two = _mm256_set1_epi32(2),
                  three = _mm256_set1_epi32(3), zero = _mm256_setzero_si256();
    const __m256i even = _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6);
    const __m256i low_bytes = _mm256_setr_epi8(
        0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    int64_t q = MAX_STEP;
    for (; q + 8 <= hi; q += 8) {
        __m256 best = _mm256_add_ps(_mm256_loadu_ps(prev + q), _mm256_loadu_ps(stay_add + q));
        __m256 v = _mm256_loadu_ps(prev + q - 1);
        __m256 take = _mm256_cmp_ps(v, best, _CMP_LT_OQ);
        best = _mm256_blendv_ps(best, v, take);
        __m256i choice = _mm256_blendv_epi8(zero, one, _mm256_castps_si256(take));
        v = _mm256_add_ps(_mm256_loadu_ps(prev + q - 2), _mm256_loadu_ps(add2 + q));
        take = _mm256_cmp_ps(v, best, _CMP_LT_OQ);
        best = _mm256_blendv_ps(best, v, take);
        choice = _mm256_blendv_epi8(choice, two, _mm256_castps_si256(take));
        /* three states back, in double precision: the first four states, the last four */
        __m256d b_lo = _mm256_cvtps_pd(_mm256_castps256_ps128(best));
        __m256d b_hi = _mm256_cvtps_pd(_mm256_extractf128_ps(best, 1));
        __m256d v_lo = _mm256_add_pd(_mm256_cvtps_pd(_mm_loadu_ps(prev + q - 3)),
                                     _mm256_loadu_pd(add3 + q));
        __m256d v_hi = _mm256_add_pd(_mm256_cvtps_pd(_mm_loadu_ps(prev + q + 1)),
                                     _mm256_loadu_pd(add3 + q + 4));
        __m256d t_lo = _mm256_cmp_pd(v_lo, b_lo, _CMP_LT_OQ);
        __m256d t_hi = _mm256_cmp_pd(v_hi, b_hi, _CMP_LT_OQ);
        b_lo = _mm256_blendv_pd(b_lo, v_lo, t_lo);
        b_hi = _mm256_blendv_pd(b_hi, v_hi, t_hi);
        __m128i k_lo = _mm256_castsi256_si128(
            _mm256_permutevar8x32_epi32(_mm256_castpd_si256(t_lo), even));
        __m128i k_hi = _mm256_castsi256_si128(
            _mm256_permutevar8x32_epi32(_mm256_castpd_si256(t_hi), even));
        choice = _mm256_blendv_epi8(choice, three, _mm256_set_m128i(k_hi, k_lo));
        /* the state's own cost: the filler's in a gap, else the match's */
        __m256 gap_c = _mm256_mul_ps(vgi, _mm256_loadu_ps(filler + q));
        __m256 match_c = _mm256_add_ps(
            _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(row + q), vlow), vscale), vqq);
        __m256i gap = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(is_gap + q)));
        __m256 c = _mm256_blendv_ps(match_c, gap_c,
                                    _mm256_castsi256_ps(_mm256_cmpgt_epi32(gap, zero)));
        __m256d o_lo = _mm256_add_pd(b_lo, _mm256_cvtps_pd(_mm256_castps256_ps128(c)));
        __m256d o_hi = _mm256_add_pd(b_hi, _mm256_cvtps_pd(_mm256_extractf128_ps(c, 1)));
        _mm256_storeu_ps(cur + q, _mm256_set_m128(_mm256_cvtpd_ps(o_hi),
                                                  _mm256_cvtpd_ps(o_lo)));
        __m256i packed = _mm256_shuffle_epi8(choice, low_bytes);
        uint64_t eight = (uint32_t)_mm256_extract_epi32(packed, 0) |
                         (uint64_t)(uint32_t)_mm256_extract_epi32(packed, 4) << 32;
        memcpy(choices + q, &eight, sizeof eight);
    }
    row_states(prev, cur, choices, row, low, gi, qq, is_gap, filler, stay_add, add2, add3,
               match_scale, q, hi);
}
#endif

/* The recurrence through rows [r0, r1) from the costs of the row before (`prev`, w
 * states), choices into bp (rows of the window x w). A state's cost in a row depends
 * only on the row before, so the states of a row are computed as vectors, without the
 * skips, which are then put right at their few targets. Returns 1 when the last row's
 * costs are in `cur` (an odd number of rows), else 0. */
int tp_dp(const float *dist, const float *lows, int64_t r0, int64_t r1,
          const float *gap_cost, const uint8_t *is_gap, const float *stay_add,
          const float *add2, const double *add3, const int64_t *skip_from,
          const int64_t *skip_to, const float *skip_pen, int64_t skips, uint8_t *bp,
          const float *quiet, const float *filler, float quiet_cost, float stay_cost,
          float jump_cost, float match_scale, double base, double slope, float *prev,
          float *cur, int64_t w) {
#ifdef FAST_CPU
    const int fast = fast_cpu();
#endif
    int swapped = 0;
    for (int64_t i = r0; i < r1; i++) {
        int64_t hi = band(i, w, base, slope);
        const float *row = dist + (i - r0) * w;
        uint8_t *choices = bp + i * w;
        /* each frame's costs are taken relative to its best match in the band, so noise
         * or an odd voice, which raise every cost, do not make the filler look cheap */
        float low = lows[i - r0];
        float gi = gap_cost[i];
        float qq = quiet_cost * quiet[i];
        int64_t first = hi < MAX_STEP ? hi : MAX_STEP;
        for (int64_t q = 0; q < first; q++)
            cur[q] = state(q, row, low, gi, qq, prev, is_gap, filler, -1, 0.0f,
                           stay_cost, jump_cost, match_scale, &choices[q]);
        if (hi > MAX_STEP) {
#ifdef FAST_CPU
            if (fast)
                row_states_fast(prev, cur, choices, row, low, gi, qq, is_gap, filler,
                                stay_add, add2, add3, match_scale, hi);
            else
#endif
                row_states(prev, cur, choices, row, low, gi, qq, is_gap, filler,
                           stay_add, add2, add3, match_scale, MAX_STEP, hi);
        }
        for (int64_t k = 0; k < skips; k++) {
            int64_t q = skip_to[k];
            if (q < hi)
                cur[q] = state(q, row, low, gi, qq, prev, is_gap, filler, skip_from[k],
                               skip_pen[k], stay_cost, jump_cost, match_scale,
                               &choices[q]);
        }
        float *t = prev;
        prev = cur;
        cur = t;
        swapped ^= 1;
    }
    return swapped;
}

/* The window's states (n rows), read back from the choices in bp */
void tp_backtrack(const uint8_t *bp, int64_t n, int64_t w, int64_t end,
                  const int64_t *skip_src, int64_t *states) {
    int64_t q = end;
    for (int64_t i = n - 1; i >= 0; i--) {
        states[i] = q;
        uint8_t c = bp[i * w + q];
        q = c == SKIP_CHOICE ? skip_src[q] : q - c;
    }
}

/* numpy's sum of a short float32 row, in its order: eight partial sums from eight
 * elements on, then the rest one by one */
static float pairwise_sum(const float *a, int64_t n) {
    if (n < 8) {
        float s = 0.0f;
        for (int64_t i = 0; i < n; i++)
            s += a[i];
        return s;
    }
    float r[8];
    for (int k = 0; k < 8; k++)
        r[k] = a[k];
    int64_t i = 8;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++)
            r[k] += a[i + k];
    float s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++)
        s += a[i];
    return s;
}

/* Per recording frame at[j] matched to reading frame frames[j] (dtw.match_costs): the
 * mean squared difference of the two less the least of the reading frames within
 * `reach` before it and reach - 1 after it; d coefficients (at most 128) */
void tp_match_costs(const float *real, const float *reading, int64_t m_total, int64_t d,
                    const int64_t *at, const int64_t *frames, int64_t count, int64_t reach,
                    float *out) {
    float sq[128];
    for (int64_t j = 0; j < count; j++) {
        int64_t f = frames[j];
        int64_t lo = f - reach > 0 ? f - reach : 0;
        int64_t hi = f + reach < m_total ? f + reach : m_total;
        const float *x = real + at[j] * d;
        float own = 0.0f;
        float least = __builtin_inff();
        for (int64_t m = lo; m < hi; m++) {
            const float *y = reading + m * d;
            for (int64_t c = 0; c < d; c++) {
                float t = y[c] - x[c];
                sq[c] = t * t;
            }
            float v = pairwise_sum(sq, d) / (float)d;
            if (m == f)
                own = v;
            least = v < least ? v : least;
        }
        out[j] = own - least;
    }
}
