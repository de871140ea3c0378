/* kernels.h: distance kernels over contiguous float vectors. */
#ifndef DS_KERNELS_H
#define DS_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Qdrant score of two vectors. */
float ds_score(ds_distance_t dist, const float *a, const float *b, size_t dim);

/* Largest |v[i]| and the sum of squares (finite input). */
void ds_vec_stats(const float *v, size_t dim, float *maxabs, double *norm2);
/* codes[i] = v[i] / scale rounded and clamped to [-127, 127] (0 when scale is 0), with
 * the sums of squares of the residuals v - scale * codes and of scale * codes. */
void ds_vec_quantise(const float *v, size_t dim, float scale, int8_t *codes, double *err2,
                     double *qnorm2);

#endif
