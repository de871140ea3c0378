/* kernels.c: the brute-force distance loops, the only hot code in the server.
 *
 * Written as plain loops over contiguous arrays so the compiler vectorises them (this
 * file is built with -O3 and reassociation allowed for the reductions). Scores follow
 * Qdrant: dot product for Cosine (inputs already normalised) and Dot, the true L2
 * distance for Euclid and the L1 distance for Manhattan. The int8 encoding loops of
 * quant.c live here too, for the same flags. No allocation, no checks: callers
 * guarantee dimensions and finite values.
 */
#include "kernels.h"

#include <math.h>
#include <string.h>

/* Sixteen independent partial sums: the compiler turns each block into four SIMD
 * accumulators, which hides the add latency a single running sum would serialise on. */
#define LANES 16

/* On x86-64 each kernel is also compiled for AVX2 and picked at load time. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define KERNEL __attribute__((target_clones("avx2", "default")))
#else
#define KERNEL
#endif

KERNEL static float dot(const float *restrict a, const float *restrict b, size_t dim)
{
    float acc[LANES] = {0};
    size_t i = 0;
    for (; i + LANES <= dim; i += LANES)
        for (size_t k = 0; k < LANES; k++)
            acc[k] += a[i + k] * b[i + k];
    float s = 0;
    for (size_t k = 0; k < LANES; k++)
        s += acc[k];
    for (; i < dim; i++)
        s += a[i] * b[i];
    return s;
}

KERNEL static float l2sq(const float *restrict a, const float *restrict b, size_t dim)
{
    float acc[LANES] = {0};
    size_t i = 0;
    for (; i + LANES <= dim; i += LANES) {
        for (size_t k = 0; k < LANES; k++) {
            float d = a[i + k] - b[i + k];
            acc[k] += d * d;
        }
    }
    float s = 0;
    for (size_t k = 0; k < LANES; k++)
        s += acc[k];
    for (; i < dim; i++) {
        float d = a[i] - b[i];
        s += d * d;
    }
    return s;
}

KERNEL static float l1(const float *restrict a, const float *restrict b, size_t dim)
{
    float acc[LANES] = {0};
    size_t i = 0;
    for (; i + LANES <= dim; i += LANES)
        for (size_t k = 0; k < LANES; k++)
            acc[k] += fabsf(a[i + k] - b[i + k]);
    float s = 0;
    for (size_t k = 0; k < LANES; k++)
        s += acc[k];
    for (; i < dim; i++)
        s += fabsf(a[i] - b[i]);
    return s;
}

KERNEL void ds_vec_stats(const float *restrict v, size_t dim, float *maxabs, double *norm2)
{
    /* Magnitudes of finite floats order like their bit patterns without the sign, and
     * an integer maximum vectorises where a float one would have to honour NaN. */
    uint32_t top = 0;
    double sum = 0;
    for (size_t i = 0; i < dim; i++) {
        uint32_t bits;
        memcpy(&bits, &v[i], sizeof bits);
        bits &= 0x7fffffffu;
        top = bits > top ? bits : top;
        sum += (double)v[i] * v[i];
    }
    memcpy(maxabs, &top, sizeof *maxabs);
    *norm2 = sum;
}

KERNEL void ds_vec_quantise(const float *restrict v, size_t dim, float scale,
                            int8_t *restrict codes, double *err2, double *qnorm2)
{
    float inv = scale > 0 ? 1.0f / scale : 0.0f;
    double err = 0, qn = 0;
    for (size_t i = 0; i < dim; i++) {
        float t = v[i] * inv;
        int c = (int)(t < 0 ? t - 0.5f : t + 0.5f);
        c = c > 127 ? 127 : c < -127 ? -127 : c;
        codes[i] = (int8_t)c;
        double r = (double)scale * c, e = (double)v[i] - r;
        err += e * e;
        qn += r * r;
    }
    *err2 = err;
    *qnorm2 = qn;
}

float ds_score(ds_distance_t dist, const float *a, const float *b, size_t dim)
{
    switch (dist) {
    case DS_COSINE:
    case DS_DOT: return dot(a, b, dim);
    case DS_EUCLID: return sqrtf(l2sq(a, b, dim));
    case DS_MANHATTAN: return l1(a, b, dim);
    }
    return 0;
}
