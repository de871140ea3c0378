/* quant.c: int8 codes for stored vectors and bounds on exact dot-product scores.
 *
 * Every Cosine or Dot vector is also kept as int8 codes with a per-vector scale, so a
 * search can read a quarter of the bytes to rule points out. The bound is rigorous,
 * not statistical: for stored x = sx*c + e and query q = sq*d + r,
 *     q.x = sx*sq*(c.d) + sx*(r.c) + q.e,
 * so |q.x - sx*sq*(c.d)| <= ||r||*||sx*c|| + ||q||*||e|| (Cauchy-Schwarz), and the
 * f32 kernel's own rounding is at most (dim+1)*2^-24*||q||*||x|| for any summation
 * order (taken as (dim+4)*2^-22). Both are enlarged by a safety factor for the
 * rounding of the bound itself. That rounding bound needs the f32 sums to stay finite,
 * which ||q||*||x|| <= NO_OVERFLOW guarantees; past it the caller must scan exactly.
 * This file must never decide a result: it only says which points cannot reach one.
 */
#include "quant.h"

#include "kernels.h"

#include <math.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define DS_HAVE_AVX2_KERNEL 1
#endif

/* Relative slack on every bound, far above the double and f32 rounding of its terms. */
#define BOUND_SLACK 1e-3
/* Absolute slack: subnormal products lose at most 2^-149 each, even over 65,536 dims. */
#define BOUND_FLOOR 1e-37
/* Every partial sum of the f32 kernel is at most about ||q||*||x|| in magnitude: below
 * this (FLT_MAX / 30) none can overflow to inf or produce NaN. */
#define NO_OVERFLOW 1e37

int ds_quant_used(ds_distance_t dist)
{
    return dist == DS_COSINE || dist == DS_DOT;
}

static inline int32_t dot_i8_plain(const int8_t *a, const int8_t *b, size_t dim)
{
    int32_t s = 0;
    for (size_t i = 0; i < dim; i++)
        s += (int32_t)a[i] * (int32_t)b[i];
    return s;
}

#ifdef DS_HAVE_AVX2_KERNEL
/* 32 products per step as |q| times x with q's sign (pairs summed to i16: at most
 * 2*127*127, as codes never hold -128), then to i32, in two independent chains. Sums
 * stay below 2^31 for any dimension up to 65,536. */
__attribute__((target("avx2"))) static inline int32_t dot_i8_avx2(const int8_t *q,
                                                                 const int8_t *qabs,
                                                                 const int8_t *x, size_t dim)
{
    __m256i acc0 = _mm256_setzero_si256(), acc1 = _mm256_setzero_si256();
    const __m256i ones = _mm256_set1_epi16(1);
    size_t i = 0;
    for (; i + 64 <= dim; i += 64) {
        __m256i s0 = _mm256_sign_epi8(_mm256_loadu_si256((const __m256i *)(const void *)(x + i)),
                                      _mm256_loadu_si256((const __m256i *)(const void *)(q + i)));
        __m256i s1 = _mm256_sign_epi8(
            _mm256_loadu_si256((const __m256i *)(const void *)(x + i + 32)),
            _mm256_loadu_si256((const __m256i *)(const void *)(q + i + 32)));
        __m256i p0 = _mm256_maddubs_epi16(
            _mm256_loadu_si256((const __m256i *)(const void *)(qabs + i)), s0);
        __m256i p1 = _mm256_maddubs_epi16(
            _mm256_loadu_si256((const __m256i *)(const void *)(qabs + i + 32)), s1);
        acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(p0, ones));
        acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(p1, ones));
    }
    for (; i + 32 <= dim; i += 32) {
        __m256i s0 = _mm256_sign_epi8(_mm256_loadu_si256((const __m256i *)(const void *)(x + i)),
                                      _mm256_loadu_si256((const __m256i *)(const void *)(q + i)));
        __m256i p0 = _mm256_maddubs_epi16(
            _mm256_loadu_si256((const __m256i *)(const void *)(qabs + i)), s0);
        acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(p0, ones));
    }
    acc0 = _mm256_add_epi32(acc0, acc1);
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(acc0), _mm256_extracti128_si256(acc0, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    int32_t r = _mm_cvtsi128_si32(s);
    for (; i < dim; i++)
        r += (int32_t)q[i] * (int32_t)x[i];
    return r;
}
#endif

void ds_quant_encode(const float *v, size_t dim, int8_t *codes, ds_qmeta_t *meta)
{
    float maxabs;
    double norm, err, qnorm;
    ds_vec_stats(v, dim, &maxabs, &norm);
    /* Rounding to codes need not be exact: the error actually left is measured. */
    float scale = (float)((double)maxabs / 127.0);
    ds_vec_quantise(v, dim, scale, codes, &err, &qnorm);
    meta->scale = scale;
    meta->err = (float)sqrt(err);
    meta->qnorm = (float)sqrt(qnorm);
    meta->norm = (float)sqrt(norm);
}

int ds_quant_query(const float *q, size_t dim, int8_t *codes, ds_qquery_t *out)
{
    ds_qmeta_t m;
    ds_quant_encode(q, dim, codes, &m);
    out->codes = codes;
    out->abs_codes = codes + dim;
    for (size_t i = 0; i < dim; i++)
        out->abs_codes[i] = (int8_t)(codes[i] < 0 ? -codes[i] : codes[i]);
    out->scale = m.scale;
    out->err2 = m.err;
    out->norm2 = m.norm;
    out->fp_coef = ((double)dim + 4.0) * ldexp(1.0, -22) * out->norm2;
    out->avx2 = 0;
#ifdef DS_HAVE_AVX2_KERNEL
    out->avx2 = __builtin_cpu_supports("avx2") != 0;
#endif
    return isfinite(out->fp_coef) && isfinite(out->err2) && isfinite(out->scale) ? 0 : -1;
}

/* Bounds for one point; 0, or -1 when its exact score might overflow. */
static inline int bound_of(const ds_qquery_t *q, int32_t dot, const ds_qmeta_t *meta,
                           double *lo, double *hi)
{
    double approx = q->scale * (double)meta->scale * (double)dot;
    double bound = q->norm2 * meta->err + q->err2 * meta->qnorm + q->fp_coef * meta->norm;
    bound = bound * (1.0 + BOUND_SLACK) + BOUND_FLOOR;
    *lo = approx - bound;
    *hi = approx + bound;
    return q->norm2 * meta->norm <= NO_OVERFLOW && isfinite(*lo) && isfinite(*hi) ? 0 : -1;
}

static int bounds_plain(const ds_qquery_t *q, const int8_t *codes, const ds_qmeta_t *meta,
                        size_t dim, const uint32_t *slots, size_t n, double *lo, double *hi)
{
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        rc |= bound_of(q, dot_i8_plain(q->codes, codes + (size_t)slots[i] * dim, dim),
                       &meta[slots[i]], &lo[i], &hi[i]);
    return rc;
}

#ifdef DS_HAVE_AVX2_KERNEL
/* Tenant lists are in insertion order, not memory order: fetch a few rows ahead. */
#define PREFETCH_ROWS 4

__attribute__((target("avx2"))) static int bounds_avx2(const ds_qquery_t *q,
                                                        const int8_t *codes,
                                                        const ds_qmeta_t *meta, size_t dim,
                                                        const uint32_t *slots, size_t n,
                                                        double *lo, double *hi)
{
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + PREFETCH_ROWS < n) {
            const int8_t *ahead = codes + (size_t)slots[i + PREFETCH_ROWS] * dim;
            for (size_t off = 0; off < dim; off += 64)
                __builtin_prefetch(ahead + off);
        }
        rc |= bound_of(q, dot_i8_avx2(q->codes, q->abs_codes, codes + (size_t)slots[i] * dim, dim),
                       &meta[slots[i]], &lo[i], &hi[i]);
    }
    return rc;
}
#endif

int ds_quant_bounds(const ds_qquery_t *q, const int8_t *codes, const ds_qmeta_t *meta,
                    size_t dim, const uint32_t *slots, size_t n, double *lo, double *hi)
{
#ifdef DS_HAVE_AVX2_KERNEL
    if (q->avx2)
        return bounds_avx2(q, codes, meta, dim, slots, n, lo, hi);
#endif
    return bounds_plain(q, codes, meta, dim, slots, n, lo, hi);
}
