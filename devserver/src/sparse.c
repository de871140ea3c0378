/* sparse.c: sparse vectors (Qdrant's `sparse_vectors`): request parsing, scoring, IDF.
 *
 * A sparse vector is kept sorted by index, as Qdrant stores it
 * (lib/segment/src/data_types/vectors.rs `preprocess`), so retrieval returns it sorted
 * and a dot product is one merge. Scoring follows lib/sparse/src/common/sparse_vector.rs
 * `score_vectors`: the sum of products over shared indices, and no score at all when
 * there is no shared index. IDF follows query_context.rs `fancy_idf` over the
 * statistics of read_view/idf.rs. Nothing here allocates with malloc: parsed vectors
 * live in the request arena, IDF scratch on the caller's side.
 */
#include "sparse.h"

#include "records.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int ds_sparse_like(const cJSON *node)
{
    return cJSON_IsObject(node) && (cJSON_GetObjectItemCaseSensitive(node, "indices") ||
                                     cJSON_GetObjectItemCaseSensitive(node, "values"));
}

typedef struct pair {
    uint32_t idx;
    float val;
} pair_t;

static int pair_cmp(const void *a, const void *b)
{
    uint32_t x = ((const pair_t *)a)->idx, y = ((const pair_t *)b)->idx;
    return x < y ? -1 : x > y;
}

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int ds_sparse_parse(ds_ctx_t *c, const cJSON *node, const char *where, ds_svec_t *out)
{
    const cJSON *ind = cJSON_GetObjectItemCaseSensitive(node, "indices");
    const cJSON *vals = cJSON_GetObjectItemCaseSensitive(node, "values");
    if (!cJSON_IsObject(node) || !ind || !vals) {
        ds_fail(c, 400, "Format error in JSON body: %.200s: missing field `%s`", where,
                !ind ? "indices" : "values");
        return -1;
    }
    if (!cJSON_IsArray(ind) || !cJSON_IsArray(vals)) {
        ds_fail(c, 400, "Format error in JSON body: %.200s.%s: invalid type: expected a sequence",
                where, !cJSON_IsArray(ind) ? "indices" : "values");
        return -1;
    }
    size_t ni = (size_t)cJSON_GetArraySize(ind);
    size_t nv = (vals->type & DS_JSON_PACKED) ? (size_t)vals->valueint
                                              : (size_t)cJSON_GetArraySize(vals);
    if (ni > DS_MAX_SPARSE_NNZ || nv > DS_MAX_SPARSE_NNZ) {
        ds_fail(c, 400, "Bad request: %.200s: a sparse vector may have at most %d entries", where,
                DS_MAX_SPARSE_NNZ);
        return -1;
    }
    pair_t *pairs = ds_arena_alloc(c->arena, (ni + 1) * sizeof *pairs);
    uint32_t *sorted = ds_arena_alloc(c->arena, (ni + 1) * sizeof *sorted);
    float *fv = ds_arena_alloc(c->arena, (nv + 1) * sizeof *fv);
    if (!pairs || !sorted || !fv) {
        ds_fail(c, 400, "Bad request: request too large");
        return -1;
    }
    size_t i = 0;
    for (const cJSON *e = ind->child; e; e = e->next, i++) {
        uint64_t u;
        if (!ds_json_u64(e, &u) || u > UINT32_MAX) {
            ds_fail(c, 400, "Format error in JSON body: %.200s.indices[%zu]: invalid value: "
                            "expected u32", where, i);
            return -1;
        }
        sorted[i] = (uint32_t)u;
    }
    int non_number = 0;
    if (ds_json_floats(vals, fv, nv, &non_number) != nv || non_number) {
        ds_fail(c, 400, "Format error in JSON body: %.200s.values: invalid type: expected f32",
                where);
        return -1;
    }
    for (i = 0; i < nv; i++) {
        if (!isfinite(fv[i])) {
            ds_fail(c, 400, "Format error in JSON body: vector values must be finite f32 numbers");
            return -1;
        }
    }
    for (i = 0; i < ni && i < nv; i++)
        pairs[i] = (pair_t){sorted[i], fv[i]};
    qsort(sorted, ni, sizeof *sorted, u32_cmp);
    int dup = 0;
    for (i = 1; i < ni && !dup; i++)
        dup = sorted[i] == sorted[i - 1];
    if (ni != nv || dup) {
        /* validate_sparse_vector_impl adds `values` then `indices`; the REST layer
         * prints errors without a message as validator's Display does. */
        ds_fail(c, 422, "Validation error in JSON body: [%s%.200s%s%s%.200s%s]",
                ni != nv ? where : "",
                ni != nv ? ".values: Validation error: must be the same length as indices [{}]"
                         : "",
                ni != nv && dup ? "; " : "", dup ? where : "",
                dup ? ".indices: Validation error: must be unique [{}]" : "", "");
        return -1;
    }
    qsort(pairs, ni, sizeof *pairs, pair_cmp);
    for (i = 0; i < ni; i++) {
        sorted[i] = pairs[i].idx;
        fv[i] = pairs[i].val;
    }
    out->n = (uint32_t)ni;
    out->idx = sorted;
    out->val = fv;
    return 0;
}

/* First position in a[lo..n) holding a value >= key (n when none); branch-free. */
static inline uint32_t lower_bound(const uint32_t *a, uint32_t lo, uint32_t n, uint32_t key)
{
    if (lo >= n)
        return n;
    const uint32_t *base = a + lo;
    uint32_t len = n - lo;
    while (len > 1) {
        uint32_t half = len / 2;
        base = base[half - 1] < key ? base + half : base;
        len -= half;
    }
    return (uint32_t)(base - a) + (*base < key);
}

/* Walks the shorter vector and finds each of its indices in the longer one, so the
 * shared indices come in increasing order and the sum is the one a merge computes
 * (products are commutative, so which side is which does not change a bit). */
float ds_sparse_dot(const ds_svec_t *a, const ds_svec_t *b, int *overlap)
{
    const ds_svec_t *s = a->n <= b->n ? a : b, *l = a->n <= b->n ? b : a;
    float score = 0;
    uint32_t pos = 0;
    *overlap = 0;
    for (uint32_t i = 0; i < s->n; i++) {
        pos = lower_bound(l->idx, pos, l->n, s->idx[i]);
        if (pos == l->n)
            break;
        if (l->idx[pos] == s->idx[i]) {
            *overlap = 1;
            score += s->val[i] * l->val[pos];
            pos++;
        }
    }
    return score;
}

int ds_sparse_idf_weights(const ds_collection_t *col, const ds_shard_t *shard, size_t space,
                          const ds_filter_t *corpus, const ds_svec_t *q, float *out)
{
    const ds_inverted_t *inv = &shard->inv[space];
    size_t docs = 0;
    uint8_t *in = NULL;
    if (!corpus) {
        /* Global statistics: df is the posting list length (read_view/idf.rs
         * fill_global_idf_statistics), N the points holding the vector. */
        docs = inv->docs;
    } else {
        /* Corpus statistics: the points matching the corpus that hold the vector. */
        in = calloc(shard->n_slots ? shard->n_slots : 1, 1);
        if (!in)
            return -1;
        ds_cands_t cands;
        ds_candidates(col, shard, corpus, &cands);
        for (size_t k = 0; k < cands.n; k++) {
            uint32_t slot = cands.all ? (uint32_t)k : cands.list[k];
            const ds_point_t *p = &shard->points[slot];
            if (!p->live || !((p->sparse_mask >> space) & 1u) ||
                !ds_filter_match_skip(corpus, col, p, cands.known))
                continue;
            in[slot] = 1;
            docs++;
        }
    }
    float n = (float)docs;
    for (uint32_t t = 0; t < q->n; t++) {
        const ds_posting_t *p = ds_inverted_find(inv, q->idx[t]);
        size_t df = 0;
        if (p && !corpus)
            df = p->n;
        for (uint32_t k = 0; p && in && k < p->n; k++)
            df += in[p->slots[k]];
        /* fancy_idf in f32, as Qdrant computes it (DimWeight is f32). */
        float fdf = (float)df;
        out[t] = q->val[t] * logf((n - fdf + 0.5f) / (fdf + 0.5f) + 1.0f);
    }
    free(in);
    return 0;
}

int ds_sparse_accumulate(const ds_shard_t *shard, size_t space, const ds_svec_t *qw,
                         ds_sparse_acc_t *out)
{
    const ds_inverted_t *inv = &shard->inv[space];
    size_t total = 0;
    for (uint32_t t = 0; t < qw->n; t++) {
        const ds_posting_t *p = ds_inverted_find(inv, qw->idx[t]);
        total += p ? p->n : 0;
    }
    memset(out, 0, sizeof *out);
    size_t slots = shard->n_slots ? shard->n_slots : 1;
    out->acc = malloc(slots * sizeof *out->acc);
    out->hit = calloc(slots, 1);
    out->touched = malloc((total ? total : 1) * sizeof *out->touched);
    if (!out->acc || !out->hit || !out->touched) {
        ds_sparse_acc_free(out);
        return -1;
    }
    /* Query indices in increasing order, so each point's products are summed in index
     * order from 0, exactly as score_vectors sums them. */
    for (uint32_t t = 0; t < qw->n; t++) {
        const ds_posting_t *p = ds_inverted_find(inv, qw->idx[t]);
        for (uint32_t k = 0; p && k < p->n; k++) {
            uint32_t slot = p->slots[k];
            if (!out->hit[slot]) {
                out->hit[slot] = 1;
                out->acc[slot] = 0.0f;
                out->touched[out->n++] = slot;
            }
            out->acc[slot] += qw->val[t] * p->vals[k];
        }
    }
    return 0;
}

void ds_sparse_acc_free(ds_sparse_acc_t *acc)
{
    free(acc->acc);
    free(acc->hit);
    free(acc->touched);
    memset(acc, 0, sizeof *acc);
}
