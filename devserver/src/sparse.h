/* sparse.h: sparse vectors: parsing and validation as Qdrant does, exact dot-product
 * scoring and the IDF weights of the `idf` modifier. */
#ifndef DS_SPARSE_H
#define DS_SPARSE_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "ctx.h"
#include "filter.h"
#include "store.h"

/* Most entries one sparse vector may have (a request-size limit, not Qdrant's). */
#define DS_MAX_SPARSE_NNZ 65536

/* 1 if `node` is an object shaped like a SparseVector (has `indices` or `values`). */
int ds_sparse_like(const cJSON *node);

/* Parses a SparseVector {"indices": [u32], "values": [f32]} into arena memory, sorted
 * by index. `where` names the value for messages (e.g. "points[0].vector.?"). Wrong
 * types are 400 format errors; a length mismatch or duplicate indices are Qdrant's 422
 * validation errors (lib/sparse/src/common/sparse_vector.rs). 0 or -1 (response set). */
int ds_sparse_parse(ds_ctx_t *c, const cJSON *node, const char *where, ds_svec_t *out);

/* Dot product over the indices both vectors hold (both sorted); *overlap is set to 1
 * when they share at least one index (Qdrant scores only overlapping vectors). */
float ds_sparse_dot(const ds_svec_t *a, const ds_svec_t *b, int *overlap);

/* Scores of one sparse query against one shard, from its inverted index: every point
 * listing at least one query index is in `touched` (n of them, in no particular
 * order) and its dot product with the weighted query is acc[slot]. */
typedef struct ds_sparse_acc {
    float *acc;        /* n_slots */
    uint8_t *hit;      /* n_slots */
    uint32_t *touched; /* n */
    size_t n;
} ds_sparse_acc_t;

/* Fills `out` for query `qw` (sorted, weights already IDF-scaled). 0, or -1 on OOM. */
int ds_sparse_accumulate(const ds_shard_t *shard, size_t space, const ds_svec_t *qw,
                         ds_sparse_acc_t *out);
void ds_sparse_acc_free(ds_sparse_acc_t *acc);

/* Multiplies each query weight by Qdrant's IDF, ln((N - df + 0.5) / (df + 0.5) + 1),
 * where N counts the points of `shard` holding sparse space `space` (and matching
 * `corpus` when not NULL) and df those of them whose vector lists the index
 * (query_context.rs fancy_idf, read_view/idf.rs). `out` receives q->n weights.
 * 0, or -1 on OOM. */
int ds_sparse_idf_weights(const ds_collection_t *col, const ds_shard_t *shard, size_t space,
                          const ds_filter_t *corpus, const ds_svec_t *q, float *out);

#endif
