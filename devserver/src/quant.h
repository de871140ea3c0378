/* quant.h: int8 shadow copies of stored vectors and rigorous bounds on exact scores.
 *
 * A Cosine or Dot search first scores every candidate with the int8 copies and a
 * bound that provably contains the exact f32 score, then computes the exact score
 * only for points whose upper bound can still reach the result set. Results and
 * scores are exactly those of a full f32 scan. */
#ifndef DS_QUANT_H
#define DS_QUANT_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* A query prepared for bounded scoring: dim codes, then their magnitudes. */
typedef struct ds_qquery {
    int8_t *codes;
    int8_t *abs_codes;
    double scale;   /* q ~= scale * codes */
    double err2;    /* ||q - scale * codes||_2 */
    double norm2;   /* ||q||_2 */
    double fp_coef; /* bound on the f32 kernel's rounding, per unit of ||x||_2 */
    int avx2;       /* 1: the CPU runs the AVX2 kernel */
} ds_qquery_t;

/* 1 if searches in this distance use the int8 bounds (Cosine and Dot). */
int ds_quant_used(ds_distance_t dist);
/* Encodes a finite vector into `codes` (dim int8) and its metadata (scale = the
 * largest magnitude / 127, so codes never hold -128). */
void ds_quant_encode(const float *v, size_t dim, int8_t *codes, ds_qmeta_t *meta);
/* Prepares `q` (dim floats) into `out`, using `codes` (2 * dim bytes) as storage.
 * Returns 0, or -1 when the query's magnitudes make the bounds unusable (then the
 * caller scans exactly). */
int ds_quant_query(const float *q, size_t dim, int8_t *codes, ds_qquery_t *out);
/* For each of the n slots, lower and upper bounds (lo[i], hi[i]) on the exact f32
 * score of the stored vector there; `codes` and `meta` are the shard's arrays for the
 * space. Returns 0, or -1 when some point's exact score could overflow f32 (inf or
 * NaN scores): then no bound is trusted and the caller must scan exactly. */
int ds_quant_bounds(const ds_qquery_t *q, const int8_t *codes, const ds_qmeta_t *meta,
                    size_t dim, const uint32_t *slots, size_t n, double *lo, double *hi);

#endif
