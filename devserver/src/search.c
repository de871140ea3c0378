/* search.c: /points/query, /points/query/batch and the legacy /points/search family.
 *
 * Every search is exact: each candidate point (all points, or one tenant's list when
 * the filter pins an is_tenant field) is filtered, scored against the contiguous
 * vector array and kept in a bounded heap of offset+limit entries, so memory is
 * O(limit) and only the winners are turned into JSON. Cosine and Dot searches first
 * rule points out with the int8 codes and their proven error bounds (quant.h), then
 * score the remaining points with the same f32 kernel, so results never differ from a
 * full scan. Scores and thresholds follow Qdrant: higher is better for Cosine and Dot,
 * lower for Euclid and Manhattan.
 */
#include "handlers.h"

#include "kernels.h"
#include "path.h"
#include "quant.h"
#include "records.h"
#include "sparse.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct scored {
    float key;   /* higher is better */
    float score; /* as reported */
    ds_shard_t *shard;
    uint32_t slot;
} scored_t;

typedef struct qreq {
    int space;        /* vector space index */
    const float *vec; /* NULL: no query, order by id */
    int has_exclude;
    ds_point_id_t exclude;
    ds_filter_t *filter;
    int has_threshold;
    float threshold;
    uint64_t limit, offset;
    ds_with_t wp, wv;
    ds_shard_sel_t sel;
    int sparse;           /* the query is sq, on sparse space `space` */
    ds_svec_t sq;         /* sorted by index */
    ds_filter_t *corpus;  /* params.idf corpus; NULL: the whole shard */
} qreq_t;

static int worse(const scored_t *a, const scored_t *b)
{
    if (a->key != b->key)
        return a->key < b->key;
    return ds_id_cmp(&a->shard->points[a->slot].id, &b->shard->points[b->slot].id) > 0;
}

/* Min-heap on "worse": the root is the weakest kept result. */
static void heap_push(scored_t *h, size_t *n, size_t cap, scored_t v)
{
    if (cap == 0)
        return;
    if (*n < cap) {
        size_t i = (*n)++;
        h[i] = v;
        while (i > 0) {
            size_t p = (i - 1) / 2;
            if (!worse(&h[i], &h[p]))
                break;
            scored_t t = h[i];
            h[i] = h[p];
            h[p] = t;
            i = p;
        }
        return;
    }
    if (!worse(&h[0], &v))
        return;
    h[0] = v;
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < *n && worse(&h[l], &h[m]))
            m = l;
        if (r < *n && worse(&h[r], &h[m]))
            m = r;
        if (m == i)
            break;
        scored_t t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static int better_cmp(const void *a, const void *b)
{
    const scored_t *x = a, *y = b;
    if (worse(x, y))
        return 1;
    if (worse(y, x))
        return -1;
    return 0;
}

static int id_cmp_scored(const void *a, const void *b)
{
    const scored_t *x = a, *y = b;
    return ds_id_cmp(&x->shard->points[x->slot].id, &y->shard->points[y->slot].id);
}

/* 1 if point `p` of the candidate list may be a result (before any score test).
 * `sparse` says which presence mask holds the query's space; it is a constant in the
 * bounded dense pass, so that loop pays nothing for sparse support. */
static inline int eligible_in(const ds_collection_t *col, const qreq_t *q, const ds_point_t *p,
                              const ds_cands_t *cands, int filter_done, int sparse)
{
    if (!p->live)
        return 0;
    if (q->has_exclude && ds_id_equal(&p->id, &q->exclude))
        return 0;
    if (sparse ? !((p->sparse_mask >> q->space) & 1u)
               : q->vec && !((p->vec_mask >> q->space) & 1u))
        return 0;
    return filter_done || !q->filter || ds_filter_match_skip(q->filter, col, p, cands->known);
}

static int eligible(const ds_collection_t *col, const qreq_t *q, const ds_point_t *p,
                    const ds_cands_t *cands, int filter_done)
{
    return eligible_in(col, q, p, cands, filter_done, q->sparse);
}

/* Min-heap of the `cap` largest values seen; the root is the smallest kept. */
static void floor_push(double *h, size_t *n, size_t cap, double v)
{
    size_t i;
    if (*n < cap) {
        i = (*n)++;
        while (i > 0 && h[(i - 1) / 2] > v) {
            h[i] = h[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        h[i] = v;
        return;
    }
    if (!(v > h[0]))
        return;
    i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        double mv = v;
        if (l < *n && h[l] < mv) {
            m = l;
            mv = h[l];
        }
        if (r < *n && h[r] < mv)
            m = r;
        if (m == i)
            break;
        h[i] = h[m];
        i = m;
    }
    h[i] = v;
}

/* One point that survived the int8 pass: its upper bound and where it lives. */
typedef struct bounded {
    double hi;
    ds_shard_t *shard;
    uint32_t slot;
} bounded_t;

/* Candidates are bounded in chunks of this many, so scratch memory stays small. */
#define BOUND_CHUNK 256

/* Cosine/Dot search in two passes. The first bounds every eligible point's exact
 * score with the int8 codes (quant.h) and tracks `floor`, the cap-th largest lower
 * bound among points that will pass the threshold: at least cap points score at
 * least that, so a point whose upper bound is below it cannot be a result, and the
 * floor only rises as points are seen. The second pass scores the survivors exactly,
 * so results and scores equal a full f32 scan. Memory is O(cap + survivors). Returns
 * 0 (heap filled), 1 when the bounds do not apply (the heap is still empty and the
 * caller scans exactly) or -1 on OOM. */
static int run_bounded(const ds_collection_t *col, const qreq_t *q, const ds_cands_t *cands,
                       scored_t *heap, size_t *n, size_t cap)
{
    const ds_vec_space_t *sp = &col->spaces[q->space];
    size_t total = 0;
    for (size_t s = 0; s < q->sel.n; s++) {
        if (cands[s].n && !q->sel.shards[s]->codes[q->space])
            return 1;
        total += cands[s].n;
    }
    if (total <= cap)
        return 1; /* nothing could be ruled out */
    int rc = -1;
    int8_t *qcodes = malloc(2 * sp->dim);
    double *floors = malloc(cap * sizeof *floors);
    bounded_t *kept = NULL;
    size_t m = 0, kept_cap = 0, nf = 0;
    if (!qcodes || !floors)
        goto done;
    ds_qquery_t qq;
    if (ds_quant_query(q->vec, sp->dim, qcodes, &qq) != 0) {
        rc = 1;
        goto done;
    }
    uint32_t slots[BOUND_CHUNK];
    double lows[BOUND_CHUNK], highs[BOUND_CHUNK];
    for (size_t s = 0; s < q->sel.n; s++) {
        ds_shard_t *sh = q->sel.shards[s];
        const ds_cands_t *cd = &cands[s];
        int filter_done = ds_filter_only(q->filter, cd->known);
        for (size_t k = 0; k < cd->n;) {
            size_t ne = 0;
            for (; k < cd->n && ne < BOUND_CHUNK; k++) {
                uint32_t slot = cd->all ? (uint32_t)k : cd->list[k];
                if (eligible_in(col, q, &sh->points[slot], cd, filter_done, 0))
                    slots[ne++] = slot;
            }
            if (ds_quant_bounds(&qq, sh->codes[q->space], sh->qmeta[q->space], sp->dim, slots,
                                ne, lows, highs) != 0) {
                rc = 1;
                goto done;
            }
            for (size_t i = 0; i < ne; i++) {
                if (q->has_threshold && highs[i] < q->threshold)
                    continue;
                if (!q->has_threshold || lows[i] > q->threshold)
                    floor_push(floors, &nf, cap, lows[i]);
                if (nf == cap && highs[i] < floors[0])
                    continue;
                if (m == kept_cap) {
                    size_t nc = kept_cap ? kept_cap * 2 : 64;
                    bounded_t *nk = realloc(kept, nc * sizeof *nk);
                    if (!nk)
                        goto done;
                    kept = nk;
                    kept_cap = nc;
                }
                kept[m++] = (bounded_t){highs[i], sh, slots[i]};
            }
        }
    }
    double floor = nf == cap ? floors[0] : -INFINITY;
    for (size_t i = 0; i < m; i++) {
        if (kept[i].hi < floor || (*n == cap && kept[i].hi < heap[0].key))
            continue;
        float score = ds_score(sp->distance, q->vec,
                               ds_shard_vector(col, kept[i].shard, (size_t)q->space, kept[i].slot),
                               sp->dim);
        if (q->has_threshold && !(score > q->threshold))
            continue;
        heap_push(heap, n, cap, (scored_t){score, score, kept[i].shard, kept[i].slot});
    }
    rc = 0;
done:
    free(qcodes);
    free(floors);
    free(kept);
    return rc;
}

/* The query weights used against `shard` (into *qw, values in `w`, q->sq.n floats):
 * the sparse query, multiplied by the IDF of that shard when the space has the idf
 * modifier (IDF statistics are per shard in Qdrant: the query context is built per
 * local shard). 0, or -1 on OOM. */
static int sparse_weights(const ds_collection_t *col, const qreq_t *q, const ds_shard_t *shard,
                          float *w, ds_svec_t *qw)
{
    if (col->sparse[q->space].idf) {
        if (ds_sparse_idf_weights(col, shard, (size_t)q->space, q->corpus, &q->sq, w) != 0)
            return -1;
    } else {
        memcpy(w, q->sq.val, q->sq.n * sizeof *w);
    }
    *qw = (ds_svec_t){q->sq.n, q->sq.idx, w};
    return 0;
}

/* Sparse search: each shard's inverted index gives the points sharing an index with
 * the query and their exact scores; those passing the filter and the threshold go to
 * the heap. 0, or -1 on OOM. */
static int run_sparse(const ds_collection_t *col, const qreq_t *q, const ds_cands_t *cands,
                      scored_t *heap, size_t *n, size_t cap)
{
    float *w = malloc((q->sq.n ? q->sq.n : 1) * sizeof *w);
    if (!w)
        return -1;
    for (size_t s = 0; s < q->sel.n; s++) {
        ds_shard_t *sh = q->sel.shards[s];
        ds_svec_t qw;
        ds_sparse_acc_t acc;
        if (sparse_weights(col, q, sh, w, &qw) != 0 ||
            ds_sparse_accumulate(sh, (size_t)q->space, &qw, &acc) != 0) {
            free(w);
            return -1;
        }
        /* Visit the touched points, or the filter's tenant list when that is shorter
         * (then the tenant condition is known to hold). */
        const ds_cands_t *cd = &cands[s];
        int by_list = !cd->all && cd->n < acc.n;
        int filter_done = by_list && ds_filter_only(q->filter, cd->known);
        size_t visits = by_list ? cd->n : acc.n;
        for (size_t i = 0; i < visits; i++) {
            uint32_t slot = by_list ? cd->list[i] : acc.touched[i];
            if (!acc.hit[slot])
                continue;
            const ds_point_t *p = &sh->points[slot];
            float score = acc.acc[slot];
            if ((q->has_threshold && !(score > q->threshold)) ||
                !eligible(col, q, p, by_list ? cd : &(ds_cands_t){0}, filter_done))
                continue;
            heap_push(heap, n, cap, (scored_t){score, score, sh, slot});
        }
        ds_sparse_acc_free(&acc);
    }
    free(w);
    return 0;
}

/* Runs one search; returns the number of results written to *out (malloc'd, sorted
 * best first, offset already applied) or -1 on OOM. */
static long run(const ds_collection_t *col, const qreq_t *q, scored_t **out)
{
    size_t cap = (size_t)(q->offset + q->limit), live = 0;
    for (size_t s = 0; s < q->sel.n; s++)
        live += q->sel.shards[s]->n_live;
    if (cap > live)
        cap = live; /* a huge limit must not allocate beyond what can be returned */
    scored_t *heap = malloc((cap ? cap : 1) * sizeof *heap);
    if (!heap)
        return -1;
    size_t n = 0;
    const ds_vec_space_t *sp = q->vec ? &col->spaces[q->space] : NULL;
    int lower_better = sp && (sp->distance == DS_EUCLID || sp->distance == DS_MANHATTAN);
    ds_cands_t cands[sizeof q->sel.shards / sizeof q->sel.shards[0]];
    for (size_t s = 0; s < q->sel.n; s++)
        ds_candidates(col, q->sel.shards[s], q->filter, &cands[s]);
    int need_full_scan = 1; /* 0 once the bounded pass has answered */
    if (q->sparse) {
        if (run_sparse(col, q, cands, heap, &n, cap) != 0) {
            free(heap);
            return -1;
        }
        need_full_scan = 0;
    } else if (sp && cap > 0 && ds_quant_used(sp->distance)) {
        int rc = run_bounded(col, q, cands, heap, &n, cap);
        if (rc < 0) {
            free(heap);
            return -1;
        }
        need_full_scan = rc;
    }
    for (size_t s = 0; need_full_scan && s < q->sel.n; s++) {
        ds_shard_t *sh = q->sel.shards[s];
        const ds_cands_t *cd = &cands[s];
        int filter_done = ds_filter_only(q->filter, cd->known);
        for (size_t k = 0; k < cd->n; k++) {
            uint32_t slot = cd->all ? (uint32_t)k : cd->list[k];
            const ds_point_t *p = &sh->points[slot];
            if (!eligible(col, q, p, cd, filter_done))
                continue;
            float score = 0, key = 0;
            if (sp) {
                score = ds_score(sp->distance, q->vec,
                                 ds_shard_vector(col, sh, (size_t)q->space, slot), sp->dim);
                if (q->has_threshold &&
                    (lower_better ? !(score < q->threshold) : !(score > q->threshold)))
                    continue;
                key = lower_better ? -score : score;
            }
            /* Without a query, key stays 0 and the heap keeps the smallest ids. */
            heap_push(heap, &n, cap, (scored_t){key, score, sh, slot});
        }
    }
    qsort(heap, n, sizeof *heap, sp || q->sparse ? better_cmp : id_cmp_scored);
    size_t skip = q->offset < n ? (size_t)q->offset : n;
    memmove(heap, heap + skip, (n - skip) * sizeof *heap);
    *out = heap;
    return (long)(n - skip);
}

static cJSON *results_json(ds_ctx_t *c, const ds_collection_t *col, const qreq_t *q, scored_t *res,
                           long n)
{
    cJSON *arr = cJSON_CreateArray();
    for (long i = 0; arr && i < n; i++) {
        cJSON *pt =
            ds_point_json(col, res[i].shard, res[i].slot, &q->wp, &q->wv, 1, (double)res[i].score);
        if (!pt) {
            cJSON_Delete(arr);
            arr = NULL;
            break;
        }
        cJSON_AddItemToArray(arr, pt);
    }
    if (!arr)
        ds_fail(c, 500, "Service internal error: out of memory");
    return arr;
}

/* Runs the search and renders its ScoredPoints; NULL with the response set. */
static cJSON *run_json(ds_ctx_t *c, const ds_collection_t *col, const qreq_t *q)
{
    scored_t *res = NULL;
    long n = run(col, q, &res);
    if (n < 0)
        return ds_fail(c, 500, "Service internal error: out of memory");
    cJSON *arr = results_json(c, col, q, res, n);
    free(res);
    return arr;
}

static int space_for(ds_ctx_t *c, const ds_collection_t *col, const char *name)
{
    int s = ds_collection_space(col, name);
    if (s < 0)
        ds_fail(c, 400, "Wrong input: Not existing vector name error: %.200s", name);
    return s;
}

static int read_query_vector(ds_ctx_t *c, const ds_collection_t *col, qreq_t *q, const cJSON *v)
{
    const ds_vec_space_t *sp = &col->spaces[q->space];
    float *buf = ds_arena_alloc(c->arena, sp->dim * sizeof *buf);
    if (!buf) {
        ds_fail(c, 400, "Bad request: request too large");
        return -1;
    }
    if (v->child && cJSON_IsArray(v->child)) {
        ds_fail(c, 400, "Bad request: multivector queries are not supported by tenantq-devserver");
        return -1;
    }
    if (ds_read_vector(c, sp, v, buf) != 0)
        return -1;
    q->vec = buf;
    return 0;
}

/* Resolves a point-id query to that point's stored dense or sparse vector (and
 * excludes the point). */
static int read_query_id(ds_ctx_t *c, const ds_collection_t *col, qreq_t *q, const cJSON *v)
{
    ds_point_id_t id;
    if (!ds_id_from_json(v, &id)) {
        char msg[512];
        ds_id_error(v, msg, sizeof msg);
        ds_fail(c, 400, "%s", msg);
        return -1;
    }
    for (size_t s = 0; s < q->sel.n; s++) {
        long slot = ds_shard_lookup(q->sel.shards[s], &id);
        if (slot < 0)
            continue;
        const ds_point_t *p = &q->sel.shards[s]->points[slot];
        if (!(((q->sparse ? p->sparse_mask : p->vec_mask) >> q->space) & 1u))
            break;
        if (q->sparse)
            q->sq = q->sel.shards[s]->svecs[q->space][slot];
        else
            q->vec = ds_shard_vector(col, q->sel.shards[s], (size_t)q->space, (size_t)slot);
        q->has_exclude = 1;
        q->exclude = id;
        return 0;
    }
    char buf[48];
    ds_id_format(&id, buf, sizeof buf);
    ds_fail(c, 404, "Not found: No point with id %s found", buf);
    return -1;
}

/* Reads SearchParams: hnsw_ef and exact are validated and ignored (every search is
 * exact); `idf` is "global" or {"corpus": Filter} (the spec's IdfParams). */
static int read_params(ds_ctx_t *c, const cJSON *params, qreq_t *q)
{
    if (!params || cJSON_IsNull(params))
        return 0;
    const cJSON *ef = cJSON_GetObjectItemCaseSensitive(params, "hnsw_ef");
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(params, "exact");
    uint64_t efv = 1;
    if (!cJSON_IsObject(params) || (ex && !cJSON_IsNull(ex) && !cJSON_IsBool(ex)) ||
        (ef && !cJSON_IsNull(ef) && !ds_json_u64(ef, &efv))) {
        ds_fail(c, 400, "Format error in JSON body: params: invalid type: expected struct "
                        "SearchParams");
        return -1;
    }
    if (ef && !cJSON_IsNull(ef) && efv == 0) {
        ds_fail(c, 422, "Validation error in JSON body: [params.hnsw_ef: value 0 invalid, "
                        "must be 1 or more]");
        return -1;
    }
    const cJSON *idf = cJSON_GetObjectItemCaseSensitive(params, "idf");
    if (!idf || cJSON_IsNull(idf) ||
        (cJSON_IsString(idf) && strcmp(idf->valuestring, "global") == 0))
        return 0;
    const cJSON *corpus = cJSON_GetObjectItemCaseSensitive(idf, "corpus");
    if (!cJSON_IsObject(idf) || !corpus || idf->child->next) {
        ds_fail(c, 400, "Format error in JSON body: params.idf: data did not match any variant "
                        "of untagged enum IdfParams");
        return -1;
    }
    int status;
    char msg[512];
    q->corpus = ds_filter_parse(c->arena, corpus, &status, msg, sizeof msg);
    if (!q->corpus && status) {
        ds_fail(c, status, "%s", msg);
        return -1;
    }
    return 0;
}

static int read_threshold(ds_ctx_t *c, const cJSON *body, qreq_t *q)
{
    const cJSON *th = cJSON_GetObjectItemCaseSensitive(body, "score_threshold");
    if (th && !cJSON_IsNull(th)) {
        if (!cJSON_IsNumber(th)) {
            ds_fail(c, 400,
                    "Format error in JSON body: score_threshold: invalid type: expected f32");
            return -1;
        }
        q->has_threshold = 1;
        q->threshold = (float)th->valuedouble;
    }
    return 0;
}

static int check_limit(ds_ctx_t *c, const qreq_t *q)
{
    if (q->limit == 0) {
        ds_fail(c, 422,
                "Validation error in JSON body: [limit: value 0 invalid, must be 1 or more]");
        return -1;
    }
    if (q->limit > DS_MAX_LIMIT || q->offset > DS_MAX_LIMIT) {
        ds_fail(c, 400, "Bad request: limit and offset must not exceed %d", DS_MAX_LIMIT);
        return -1;
    }
    return 0;
}

static int read_common(ds_ctx_t *c, const cJSON *body, qreq_t *q, uint64_t dflt_limit)
{
    if (read_threshold(c, body, q) != 0 ||
        read_params(c, cJSON_GetObjectItemCaseSensitive(body, "params"), q) != 0)
        return -1;
    if (ds_read_uint(c, body, "limit", dflt_limit, &q->limit) != 0 ||
        ds_read_uint(c, body, "offset", 0, &q->offset) != 0 ||
        ds_read_filter(c, body, &q->filter) != 0 ||
        ds_parse_with(c, cJSON_GetObjectItemCaseSensitive(body, "with_payload"), 0, 1, &q->wp) !=
            0 ||
        ds_parse_with(c, cJSON_GetObjectItemCaseSensitive(body, "with_vector"), 0, 0, &q->wv) != 0)
        return -1;
    return check_limit(c, q);
}

/* ---- the query tree: prefetch, fusion, rescoring ---- */

enum { FUSION_NONE, FUSION_RRF, FUSION_DBSF };

/* Qdrant's default RRF k (lib/segment/src/common/reciprocal_rank_fusion.rs). */
#define DEFAULT_RRF_K 2
/* Qdrant's MAX_PREFETCH_DEPTH (lib/shard/src/query/planned_query.rs). */
#define MAX_PREFETCH_DEPTH 64
#define MAX_PREFETCHES 1024

typedef struct qnode {
    qreq_t q; /* the search (leaf) or rescoring query; q.filter is the merged filter */
    int has_query;
    int fusion;
    uint64_t rrf_k;
    float *weights; /* RRF weights or NULL */
    size_t n_weights;
    struct qnode *pre;
    size_t n_pre;
} qnode_t;

static int wrong_sparse(ds_ctx_t *c)
{
    ds_fail(c, 400, "Wrong input: Conversion between sparse and regular vectors failed");
    return -1;
}

/* Resolves `using` to a dense or sparse space of `col` into q. */
static int read_using(ds_ctx_t *c, const ds_collection_t *col, const cJSON *body, qreq_t *q)
{
    const cJSON *using = cJSON_GetObjectItemCaseSensitive(body, "using");
    if (using && !cJSON_IsNull(using) && !cJSON_IsString(using)) {
        ds_fail(c, 400, "Format error in JSON body: using: invalid type: expected a string");
        return -1;
    }
    const char *name = cJSON_IsString(using) ? using->valuestring : "";
    int sp = ds_collection_sparse(col, name);
    if (sp >= 0) {
        q->sparse = 1;
        q->space = sp;
        return 0;
    }
    q->space = space_for(c, col, name);
    return q->space < 0 ? -1 : 0;
}

/* Reads the `rrf` object: {"k": N >= 1, "weights": [f32]}. */
static int read_rrf(ds_ctx_t *c, const cJSON *rrf, qnode_t *n)
{
    n->fusion = FUSION_RRF;
    n->rrf_k = DEFAULT_RRF_K;
    if (!cJSON_IsObject(rrf)) {
        ds_fail(c, 400, "Format error in JSON body: query.rrf: invalid type: expected struct Rrf");
        return -1;
    }
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(rrf, "k");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(rrf, "weights");
    if (k && !cJSON_IsNull(k)) {
        if (!ds_json_u64(k, &n->rrf_k)) {
            ds_fail(c, 400, "Format error in JSON body: query.rrf.k: invalid type: expected usize");
            return -1;
        }
        if (n->rrf_k == 0) {
            ds_fail(c, 422, "Validation error in JSON body: [query.rrf.k: value 0 invalid, must "
                            "be 1 or larger]");
            return -1;
        }
        if (n->rrf_k > DS_MAX_LIMIT) {
            ds_fail(c, 400, "Bad request: query.rrf.k must not exceed %d", DS_MAX_LIMIT);
            return -1;
        }
    }
    if (w && !cJSON_IsNull(w)) {
        size_t cnt = cJSON_IsArray(w) ? (size_t)cJSON_GetArraySize(w) : 0;
        int non_number = 0;
        n->weights = ds_arena_alloc(c->arena, (cnt + 1) * sizeof *n->weights);
        if (!cJSON_IsArray(w) || !n->weights ||
            ds_json_floats(w, n->weights, cnt, &non_number) != cnt || non_number) {
            ds_fail(c, 400, "Format error in JSON body: query.rrf.weights: invalid type: "
                            "expected a sequence of f32");
            return -1;
        }
        n->n_weights = cnt;
    }
    return 0;
}

/* Reads `query` of a request or prefetch into n. */
static int read_node_query(ds_ctx_t *c, const ds_collection_t *col, const cJSON *body, qnode_t *n)
{
    const cJSON *query = cJSON_GetObjectItemCaseSensitive(body, "query");
    if (!query || cJSON_IsNull(query))
        return 0;
    n->has_query = 1;
    qreq_t *q = &n->q;
    if (cJSON_IsObject(query) && query->child && !query->child->next) {
        const char *kind = query->child->string;
        if (strcmp(kind, "fusion") == 0) {
            const cJSON *f = query->child;
            if (!cJSON_IsString(f) ||
                (strcmp(f->valuestring, "rrf") != 0 && strcmp(f->valuestring, "dbsf") != 0)) {
                ds_fail(c, 400, "Format error in JSON body: query.fusion: unknown variant, "
                                "expected `rrf` or `dbsf`");
                return -1;
            }
            n->fusion = strcmp(f->valuestring, "rrf") == 0 ? FUSION_RRF : FUSION_DBSF;
            n->rrf_k = DEFAULT_RRF_K;
            return 0;
        }
        if (strcmp(kind, "rrf") == 0)
            return read_rrf(c, query->child, n);
    }
    if (read_using(c, col, body, q) != 0)
        return -1;
    if (cJSON_IsObject(query) && !ds_sparse_like(query)) {
        const cJSON *nearest = cJSON_GetObjectItemCaseSensitive(query, "nearest");
        if (!nearest || query->child->next) {
            ds_fail(c, 400, "Bad request: query type `%.50s` is not supported by tenantq-devserver",
                    query->child ? query->child->string : "{}");
            return -1;
        }
        query = nearest;
    }
    if (ds_sparse_like(query)) {
        if (!q->sparse)
            return wrong_sparse(c);
        return ds_sparse_parse(c, query, "query.?", &q->sq);
    }
    if (cJSON_IsArray(query))
        return q->sparse ? wrong_sparse(c) : read_query_vector(c, col, q, query);
    if (cJSON_IsNumber(query) || cJSON_IsString(query))
        return read_query_id(c, col, q, query);
    ds_fail(c, 400,
            "Format error in JSON body: query: data did not match any variant of untagged "
            "enum QueryInterface");
    return -1;
}

static int parse_node(ds_ctx_t *c, ds_collection_t *col, const cJSON *body, ds_filter_t *inherited,
                      const ds_shard_sel_t *sel, int depth, qnode_t *n);

/* Reads `prefetch` (one Prefetch or a list) into n->pre, merging `filter` (this level's
 * merged filter) into each, as planned_query.rs recurse_prefetches does. */
static int read_prefetches(ds_ctx_t *c, ds_collection_t *col, const cJSON *body, qnode_t *n,
                           int depth)
{
    const cJSON *pf = cJSON_GetObjectItemCaseSensitive(body, "prefetch");
    if (!pf || cJSON_IsNull(pf))
        return 0;
    size_t cnt = cJSON_IsArray(pf) ? (size_t)cJSON_GetArraySize(pf) : 1;
    if (cnt == 0)
        return 0;
    if (depth >= MAX_PREFETCH_DEPTH) {
        ds_fail(c, 400, "Wrong input: Validation failed: prefetches depth %d exceeds max depth %d",
                depth + 1, MAX_PREFETCH_DEPTH);
        return -1;
    }
    if (cnt > MAX_PREFETCHES) {
        ds_fail(c, 400, "Bad request: at most %d prefetches per level", MAX_PREFETCHES);
        return -1;
    }
    n->pre = ds_arena_alloc(c->arena, cnt * sizeof *n->pre);
    if (!n->pre) {
        ds_fail(c, 400, "Bad request: request too large");
        return -1;
    }
    const cJSON *e = cJSON_IsArray(pf) ? pf->child : pf;
    for (size_t i = 0; i < cnt; i++, e = e->next)
        if (parse_node(c, col, e, n->q.filter, &n->q.sel, depth + 1, &n->pre[n->n_pre++]) != 0)
            return -1;
    return 0;
}

/* Parses a Prefetch (depth > 0) with the inherited merged filter. */
static int parse_node(ds_ctx_t *c, ds_collection_t *col, const cJSON *body, ds_filter_t *inherited,
                      const ds_shard_sel_t *sel, int depth, qnode_t *n)
{
    memset(n, 0, sizeof *n);
    if (!cJSON_IsObject(body)) {
        ds_fail(c, 400, "Format error in JSON body: prefetch: invalid type: expected struct "
                        "Prefetch");
        return -1;
    }
    n->q.sel = *sel;
    n->q.wp.none = n->q.wv.none = 1;
    ds_filter_t *own;
    if (read_threshold(c, body, &n->q) != 0 ||
        read_params(c, cJSON_GetObjectItemCaseSensitive(body, "params"), &n->q) != 0 ||
        ds_read_uint(c, body, "limit", 10, &n->q.limit) != 0 || check_limit(c, &n->q) != 0 ||
        ds_read_filter(c, body, &own) != 0)
        return -1;
    n->q.filter = ds_filter_and(c->arena, inherited, own);
    if (inherited && own && !n->q.filter) {
        ds_fail(c, 400, "Bad request: request too large");
        return -1;
    }
    if (read_node_query(c, col, body, n) != 0 || read_prefetches(c, col, body, n, depth) != 0)
        return -1;
    return 0;
}

/* Checks the combinations planned_query.rs refuses. */
static int check_node(ds_ctx_t *c, const qnode_t *n)
{
    if (n->n_pre && !n->has_query) {
        ds_fail(c, 400, "Wrong input: Validation failed: cannot have prefetches without a query");
        return -1;
    }
    if (!n->n_pre && n->fusion) {
        ds_fail(c, 400, "Wrong input: Validation failed: cannot apply Fusion without prefetches");
        return -1;
    }
    if (n->fusion == FUSION_RRF && n->weights && n->n_weights != n->n_pre) {
        ds_fail(c, 400, "Wrong input: Validation failed: Number of weights in RRF should match "
                        "number of pre-fetches: got %zu, expected %zu",
                n->n_weights, n->n_pre);
        return -1;
    }
    for (size_t i = 0; i < n->n_pre; i++)
        if (check_node(c, &n->pre[i]) != 0)
            return -1;
    return 0;
}

/* Parses one QueryRequest (the root of the tree) against `col`. 0 or -1. */
static int parse_query(ds_ctx_t *c, ds_collection_t *col, const cJSON *body, qnode_t *n)
{
    memset(n, 0, sizeof *n);
    qreq_t *q = &n->q;
    if (!cJSON_IsObject(body)) {
        ds_fail(c, 400, "Format error in JSON body: invalid type: expected struct QueryRequest");
        return -1;
    }
    if (read_common(c, body, q, 10) != 0)
        return -1;
    const cJSON *lf = cJSON_GetObjectItemCaseSensitive(body, "lookup_from");
    if (lf && !cJSON_IsNull(lf)) {
        ds_fail(c, 400, "Bad request: `lookup_from` is not supported by tenantq-devserver");
        return -1;
    }
    if (ds_select_shards(c, col, cJSON_GetObjectItemCaseSensitive(body, "shard_key"), 0, &q->sel) !=
        0)
        return -1;
    if (read_node_query(c, col, body, n) != 0 || read_prefetches(c, col, body, n, 0) != 0)
        return -1;
    return check_node(c, n);
}

/* ---- executing the tree ---- */

/* Orders fused results: higher score first, then smaller id (Qdrant leaves ties
 * unordered; the id makes the answer deterministic). */
static int fused_cmp(const void *a, const void *b)
{
    return better_cmp(a, b);
}

/* Orders by point (shard, slot) to find the same point in several lists. */
static int point_cmp(const void *a, const void *b)
{
    const scored_t *x = a, *y = b;
    if (x->shard != y->shard)
        return x->shard < y->shard ? -1 : 1;
    return x->slot < y->slot ? -1 : x->slot > y->slot;
}

/* Qdrant's distr_norm (lib/segment/src/common/score_fusion.rs): scores normalised
 * between mean -/+ 3 sample standard deviations (Welford, f32); one point gets 0.5. */
static void distr_norm(scored_t *pts, size_t n)
{
    if (n < 2) {
        if (n == 1)
            pts[0].score = 0.5f;
        return;
    }
    float mean = 0, aggregate = 0;
    for (size_t i = 0; i < n; i++) {
        float old_delta = pts[i].score - mean;
        mean += old_delta / (float)(i + 1);
        float delta = pts[i].score - mean;
        aggregate += old_delta * delta;
    }
    float std_dev = sqrtf(aggregate / ((float)n - 1.0f));
    float lo = mean - 3.0f * std_dev, hi = mean + 3.0f * std_dev;
    for (size_t i = 0; i < n; i++)
        pts[i].score = lo == hi ? 0.5f : (pts[i].score - lo) / (hi - lo);
}

/* RRF's position_score (reciprocal_rank_fusion.rs): 1 / ((pos + 1) / weight + k - 1). */
static float rrf_score(size_t pos, uint64_t k, float weight)
{
    if (weight <= 0.0f)
        return 0.0f;
    return 1.0f / ((float)(pos + 1) / weight + (float)k - 1.0f);
}

static long exec_node(const ds_collection_t *col, const qnode_t *n, scored_t **out);

/* Fuses the children's lists (each best first). Scores are accumulated in list order,
 * as rrf_scoring and score_fusion do. Returns the count or -1 on OOM. */
static long fuse(const ds_collection_t *col, const qnode_t *n, scored_t **lists,
                 const long *counts, scored_t **out)
{
    size_t total = 0;
    for (size_t i = 0; i < n->n_pre; i++)
        total += (size_t)counts[i];
    scored_t *all = malloc((total ? total : 1) * sizeof *all);
    if (!all)
        return -1;
    size_t m = 0;
    for (size_t i = 0; i < n->n_pre; i++) {
        if (n->fusion == FUSION_DBSF)
            distr_norm(lists[i], (size_t)counts[i]);
        for (long r = 0; r < counts[i]; r++) {
            scored_t e = lists[i][r];
            e.score = n->fusion == FUSION_DBSF
                          ? e.score
                          : rrf_score((size_t)r, n->rrf_k, n->weights ? n->weights[i] : 1.0f);
            /* key carries the list order so equal points keep it after sorting */
            e.key = (float)m;
            all[m++] = e;
        }
    }
    /* Group equal points (stable by list order through key), sum into the first. */
    qsort(all, m, sizeof *all, point_cmp);
    size_t k = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        while (j < m && point_cmp(&all[i], &all[j]) == 0)
            j++;
        /* entries i..j-1 are one point; add in list order (smallest key first) */
        size_t first = i;
        for (size_t t = i + 1; t < j; t++)
            if (all[t].key < all[first].key)
                first = t;
        float sum = all[first].score;
        float done_key = all[first].key;
        for (;;) {
            size_t next = j;
            for (size_t t = i; t < j; t++)
                if (all[t].key > done_key && (next == j || all[t].key < all[next].key))
                    next = t;
            if (next == j)
                break;
            sum += all[next].score;
            done_key = all[next].key;
        }
        scored_t r = all[first];
        r.score = sum;
        r.key = sum;
        all[k++] = r;
        i = j;
    }
    qsort(all, k, sizeof *all, fused_cmp);
    /* score_threshold on fused scores keeps score >= threshold (collection/query.rs) */
    size_t keep = k;
    for (size_t i = 0; n->q.has_threshold && i < k; i++) {
        if (!(all[i].score >= n->q.threshold)) {
            keep = i;
            break;
        }
    }
    if (keep > n->q.limit + n->q.offset)
        keep = (size_t)(n->q.limit + n->q.offset);
    (void)col;
    *out = all;
    return (long)keep;
}

/* Rescores the union of the children's candidates with the node's vector query. */
static long rescore(const ds_collection_t *col, const qnode_t *n, scored_t **lists,
                    const long *counts, scored_t **out)
{
    const qreq_t *q = &n->q;
    size_t total = 0;
    for (size_t i = 0; i < n->n_pre; i++)
        total += (size_t)counts[i];
    scored_t *all = malloc((total ? total : 1) * sizeof *all);
    float *w = q->sparse ? malloc((q->sq.n ? q->sq.n : 1) * sizeof *w) : NULL;
    if (!all || (q->sparse && !w)) {
        free(all);
        free(w);
        return -1;
    }
    size_t m = 0;
    for (size_t i = 0; i < n->n_pre; i++)
        for (long r = 0; r < counts[i]; r++)
            all[m++] = lists[i][r];
    qsort(all, m, sizeof *all, point_cmp);
    const ds_vec_space_t *sp = q->sparse ? NULL : &col->spaces[q->space];
    int lower_better = sp && (sp->distance == DS_EUCLID || sp->distance == DS_MANHATTAN);
    const ds_shard_t *weights_for = NULL;
    ds_svec_t qw = {0, NULL, NULL};
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        if (i > 0 && point_cmp(&all[i], &all[i - 1]) == 0)
            continue;
        const ds_shard_t *sh = all[i].shard;
        const ds_point_t *p = &sh->points[all[i].slot];
        if (q->has_exclude && ds_id_equal(&p->id, &q->exclude))
            continue;
        float score;
        if (q->sparse) {
            if (!((p->sparse_mask >> q->space) & 1u))
                continue;
            if (sh != weights_for) {
                if (sparse_weights(col, q, sh, w, &qw) != 0) {
                    free(all);
                    free(w);
                    return -1;
                }
                weights_for = sh;
            }
            int overlap;
            score = ds_sparse_dot(&sh->svecs[q->space][all[i].slot], &qw, &overlap);
            if (!overlap)
                continue;
        } else {
            if (!((p->vec_mask >> q->space) & 1u))
                continue;
            score = ds_score(sp->distance, q->vec,
                             ds_shard_vector(col, sh, (size_t)q->space, all[i].slot), sp->dim);
        }
        if (q->has_threshold &&
            (lower_better ? !(score < q->threshold) : !(score > q->threshold)))
            continue;
        all[k++] = (scored_t){lower_better ? -score : score, score, all[i].shard, all[i].slot};
    }
    free(w);
    qsort(all, k, sizeof *all, better_cmp);
    if (k > q->limit + q->offset)
        k = (size_t)(q->limit + q->offset);
    *out = all;
    return (long)k;
}

/* Runs the node: a leaf searches the shards, an inner node fuses or rescores its
 * children's results. The result is sorted best first and holds at most
 * limit + offset entries (offset is applied by the caller). -1 on OOM. */
static long exec_node(const ds_collection_t *col, const qnode_t *n, scored_t **out)
{
    if (!n->n_pre) {
        qreq_t q = n->q;
        q.limit += q.offset;
        q.offset = 0;
        return run(col, &q, out);
    }
    scored_t **lists = calloc(n->n_pre, sizeof *lists);
    long *counts = calloc(n->n_pre, sizeof *counts);
    long rc = -1;
    if (!lists || !counts)
        goto done;
    for (size_t i = 0; i < n->n_pre; i++)
        if ((counts[i] = exec_node(col, &n->pre[i], &lists[i])) < 0)
            goto done;
    rc = n->fusion ? fuse(col, n, lists, counts, out) : rescore(col, n, lists, counts, out);
done:
    for (size_t i = 0; lists && i < n->n_pre; i++)
        free(lists[i]);
    free(lists);
    free(counts);
    return rc;
}

/* Runs the request tree and applies the root offset. */
static long run_tree(const ds_collection_t *col, const qnode_t *n, scored_t **out)
{
    if (!n->n_pre)
        return run(col, &n->q, out);
    long cnt = exec_node(col, n, out);
    if (cnt < 0)
        return -1;
    size_t skip = n->q.offset < (uint64_t)cnt ? (size_t)n->q.offset : (size_t)cnt;
    memmove(*out, *out + skip, ((size_t)cnt - skip) * sizeof **out);
    return cnt - (long)skip;
}

static cJSON *query_one(ds_ctx_t *c, ds_collection_t *col, const cJSON *body, int wrap)
{
    qnode_t n;
    if (parse_query(c, col, body, &n) != 0)
        return NULL;
    scored_t *res = NULL;
    long cnt = run_tree(col, &n, &res);
    if (cnt < 0)
        return ds_fail(c, 500, "Service internal error: out of memory");
    cJSON *arr = results_json(c, col, &n.q, res, cnt);
    free(res);
    if (!arr || !wrap)
        return arr;
    cJSON *r = cJSON_CreateObject();
    if (!r) {
        cJSON_Delete(arr);
        return ds_fail(c, 500, "Service internal error: out of memory");
    }
    cJSON_AddItemToObject(r, "points", arr);
    return r;
}

typedef cJSON *(*one_fn)(ds_ctx_t *, ds_collection_t *, const cJSON *, int);

/* Runs `one` over the request body of a single (non-batch) search. */
static cJSON *single(ds_ctx_t *c, const char *name, one_fn one, int wrap)
{
    const cJSON *body = ds_need_object(c);
    if (!body)
        return NULL;
    ds_collection_t *col = ds_need_collection(c, name);
    return col ? one(c, col, body, wrap) : NULL;
}

cJSON *ds_h_query(ds_ctx_t *c, const char *name)
{
    return single(c, name, query_one, 1);
}

/* Runs each element of body[member] through `one` and collects the results. */
static cJSON *batch(ds_ctx_t *c, const char *name, const char *member, one_fn one, int wrap)
{
    const cJSON *body = ds_need_object(c);
    if (!body)
        return NULL;
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(body, member);
    if (!cJSON_IsArray(list))
        return ds_fail(c, 400, "Format error in JSON body: missing field `%s`", member);
    ds_collection_t *col = ds_need_collection(c, name);
    if (!col)
        return NULL;
    cJSON *out = cJSON_CreateArray();
    for (const cJSON *e = list->child; out && e; e = e->next) {
        cJSON *r = one(c, col, e, wrap);
        if (!r) {
            cJSON_Delete(out);
            return NULL;
        }
        cJSON_AddItemToArray(out, r);
    }
    return out ? out : ds_fail(c, 500, "Service internal error: out of memory");
}

cJSON *ds_h_query_batch(ds_ctx_t *c, const char *name)
{
    return batch(c, name, "searches", query_one, 1);
}

/* Legacy SearchRequest: `vector` (array or {name, vector}) and `limit` (alias `top`). */
static cJSON *search_one(ds_ctx_t *c, ds_collection_t *col, const cJSON *body, int wrap)
{
    qreq_t q;
    memset(&q, 0, sizeof q);
    (void)wrap;
    if (!cJSON_IsObject(body))
        return ds_fail(c, 400,
                       "Format error in JSON body: invalid type: expected struct "
                       "SearchRequest");
    const cJSON *limit = cJSON_GetObjectItemCaseSensitive(body, "limit");
    const cJSON *top = cJSON_GetObjectItemCaseSensitive(body, "top");
    const cJSON *vector = cJSON_GetObjectItemCaseSensitive(body, "vector");
    if (!vector)
        return ds_fail(c, 400, "Format error in JSON body: missing field `vector`");
    if ((!limit || cJSON_IsNull(limit)) && (!top || cJSON_IsNull(top)))
        return ds_fail(c, 400, "Format error in JSON body: missing field `limit`");
    uint64_t lim;
    if (!ds_json_u64(limit && !cJSON_IsNull(limit) ? limit : top, &lim))
        return ds_fail(c, 400, "Format error in JSON body: limit: invalid type: expected usize");
    if (read_common(c, body, &q, lim) != 0)
        return NULL;
    q.limit = lim;
    if (lim == 0)
        return ds_fail(c, 422,
                       "Validation error in JSON body: [limit: value 0 invalid, must be 1 "
                       "or more]");
    const char *space_name = "";
    if (cJSON_IsObject(vector)) {
        const cJSON *nm = cJSON_GetObjectItemCaseSensitive(vector, "name");
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(vector, "vector");
        if (!cJSON_IsString(nm) || !cJSON_IsArray(v))
            return ds_fail(c, 400,
                           "Format error in JSON body: vector: data did not match any "
                           "variant of untagged enum NamedVectorStruct");
        space_name = nm->valuestring;
        vector = v;
    }
    if (ds_select_shards(c, col, cJSON_GetObjectItemCaseSensitive(body, "shard_key"), 0, &q.sel) !=
        0)
        return NULL;
    q.space = space_for(c, col, space_name);
    if (q.space < 0 || read_query_vector(c, col, &q, vector) != 0)
        return NULL;
    cJSON *arr = run_json(c, col, &q);
    return arr;
}

cJSON *ds_h_search(ds_ctx_t *c, const char *name)
{
    return single(c, name, search_one, 0);
}

cJSON *ds_h_search_batch(ds_ctx_t *c, const char *name)
{
    return batch(c, name, "searches", search_one, 0);
}

/* ---- /points/query/groups ---- */

/* Qdrant's group-by driver budget (lib/shard/src/grouping/driver.rs). */
#define GROUP_COLLECT_REQUESTS 5
#define GROUP_FILL_REQUESTS 5

typedef struct group {
    const cJSON *key; /* a string or integer payload value */
    scored_t *hits;
    size_t n, cap;
    scored_t best;
} group_t;

typedef struct groups {
    group_t *g;
    size_t n, cap;
    size_t size, limit; /* group_size, groups */
} groups_t;

static int same_key(const cJSON *a, const cJSON *b)
{
    if (cJSON_IsString(a) && cJSON_IsString(b))
        return strcmp(a->valuestring, b->valuestring) == 0;
    int64_t x, y;
    return cJSON_IsNumber(a) && cJSON_IsNumber(b) && ds_json_i64(a, &x) && ds_json_i64(b, &y) &&
           x == y;
}

static int group_key_ok(const cJSON *v)
{
    int64_t i;
    uint64_t u;
    return cJSON_IsString(v) || ds_json_i64(v, &i) || ds_json_u64(v, &u);
}

/* GroupsAggregator::add_point (lib/shard/src/grouping/aggregator.rs): every distinct
 * value of the field is a group; a point with any value that is not a string or an
 * integer is skipped whole. -1 on OOM. */
static int groups_add(groups_t *gs, const char *field, const scored_t *pt)
{
    const cJSON *vals[DS_PATH_MAX_VALUES];
    size_t nv = ds_path_values(pt->shard->points[pt->slot].payload, field, vals,
                               DS_PATH_MAX_VALUES);
    for (size_t i = 0; i < nv; i++)
        if (!group_key_ok(vals[i]))
            return 0;
    for (size_t i = 0; i < nv; i++) {
        int dup = 0;
        for (size_t j = 0; j < i && !dup; j++)
            dup = same_key(vals[i], vals[j]);
        if (dup)
            continue;
        group_t *g = NULL;
        for (size_t k = 0; k < gs->n && !g; k++)
            if (same_key(gs->g[k].key, vals[i]))
                g = &gs->g[k];
        if (!g) {
            if (gs->n == gs->cap) {
                size_t nc = gs->cap ? gs->cap * 2 : 16;
                group_t *ng = realloc(gs->g, nc * sizeof *ng);
                if (!ng)
                    return -1;
                gs->g = ng;
                gs->cap = nc;
            }
            g = &gs->g[gs->n++];
            *g = (group_t){vals[i], NULL, 0, 0, *pt};
        }
        int have = 0;
        for (size_t k = 0; k < g->n && !have; k++)
            have = g->hits[k].shard == pt->shard && g->hits[k].slot == pt->slot;
        if (have)
            continue;
        if (g->n == g->cap) {
            size_t nc = g->cap ? g->cap * 2 : 4;
            scored_t *nh = realloc(g->hits, nc * sizeof *nh);
            if (!nh)
                return -1;
            g->hits = nh;
            g->cap = nc;
        }
        g->hits[g->n++] = *pt;
        if (better_cmp(pt, &g->best) < 0)
            g->best = *pt;
    }
    return 0;
}

static int group_best_cmp(const void *a, const void *b)
{
    return better_cmp(&((const group_t *)a)->best, &((const group_t *)b)->best);
}

/* Sorts the groups best first; returns how many of the best `limit` are full. */
static size_t groups_rank(groups_t *gs)
{
    if (gs->n)
        qsort(gs->g, gs->n, sizeof *gs->g, group_best_cmp);
    size_t full = 0;
    for (size_t i = 0; i < gs->n && i < gs->limit; i++)
        full += gs->g[i].n >= gs->size;
    return full;
}

/* Copies the tree with `extra` merged into every node's filter (it reaches every leaf
 * as the top-level filter does) and prefetch limits multiplied by `scale`
 * (shape_candidates_query in lib/shard/src/grouping/mod.rs). NULL on arena exhaustion. */
static qnode_t *shape_tree(ds_arena_t *arena, const qnode_t *src, ds_filter_t *extra,
                           uint64_t scale)
{
    qnode_t *n = ds_arena_alloc(arena, sizeof *n);
    if (!n)
        return NULL;
    *n = *src;
    n->q.filter = ds_filter_and(arena, src->q.filter, extra);
    if (n->n_pre) {
        n->pre = ds_arena_alloc(arena, n->n_pre * sizeof *n->pre);
        if (!n->pre)
            return NULL;
        for (size_t i = 0; i < src->n_pre; i++) {
            qnode_t *c = shape_tree(arena, &src->pre[i], extra, scale);
            if (!c)
                return NULL;
            c->q.limit = c->q.limit * scale > DS_MAX_LIMIT ? DS_MAX_LIMIT : c->q.limit * scale;
            n->pre[i] = *c;
        }
    }
    return n;
}

/* Appends `{"key": field, "match": {kind: [values of the kind]}}` for the string and
 * the integer keys among `keys` (values_to_any_variants), to `arr`. */
static void add_key_matches(cJSON *arr, const char *field, const char *kind, group_t *const *keys,
                            size_t n)
{
    for (int ints = 0; ints < 2; ints++) {
        cJSON *list = cJSON_CreateArray();
        for (size_t i = 0; list && i < n; i++)
            if (cJSON_IsString(keys[i]->key) == !ints)
                cJSON_AddItemToArray(list, cJSON_Duplicate(keys[i]->key, 0));
        if (!list || !list->child) {
            cJSON_Delete(list);
            continue;
        }
        cJSON *cond = cJSON_CreateObject();
        cJSON_AddStringToObject(cond, "key", field);
        cJSON_AddItemToObject(cJSON_AddObjectToObject(cond, "match"), kind, list);
        cJSON_AddItemToArray(arr, cond);
    }
}

/* The filter of one driver request: the group field present, no point already
 * aggregated, and the except/any conditions of the phase. */
static cJSON *driver_filter(const groups_t *gs, const char *field, int filling)
{
    cJSON *f = cJSON_CreateObject();
    cJSON *must = cJSON_AddArrayToObject(f, "must");
    cJSON *must_not = cJSON_AddArrayToObject(f, "must_not");
    if (!must || !must_not)
        return f;
    cJSON *empty = cJSON_CreateObject();
    cJSON_AddStringToObject(cJSON_AddObjectToObject(empty, "is_empty"), "key", field);
    cJSON_AddItemToArray(must_not, empty);
    group_t **sel = malloc((gs->n ? gs->n : 1) * sizeof *sel);
    size_t ns = 0;
    for (size_t i = 0; sel && i < gs->n; i++) {
        int full = gs->g[i].n >= gs->size;
        if (filling ? (i < gs->limit && !full) : full)
            sel[ns++] = &gs->g[i];
    }
    if (sel)
        add_key_matches(must, field, filling ? "any" : "except", sel, ns);
    free(sel);
    cJSON *ids = cJSON_CreateArray();
    for (size_t i = 0; ids && i < gs->n; i++)
        for (size_t k = 0; k < gs->g[i].n; k++)
            cJSON_AddItemToArray(ids,
                                 ds_id_to_json(&gs->g[i].hits[k].shard->points[gs->g[i].hits[k].slot].id));
    cJSON *hid = cJSON_CreateObject();
    cJSON_AddItemToObject(hid, "has_id", ids);
    cJSON_AddItemToArray(must_not, hid);
    return f;
}

static void groups_free(groups_t *gs)
{
    for (size_t i = 0; i < gs->n; i++)
        free(gs->g[i].hits);
    free(gs->g);
}

/* Budget of one driver request's filter and query tree (server-made: at most the
 * group limit times the group size of excluded ids, plus the base query's nodes). */
#define GROUP_DRIVER_ARENA (8u << 20)

/* Runs Qdrant's group-by driver: up to 5 requests collecting groups (excluding full
 * ones), then up to 5 filling the best unfilled groups, each request excluding the
 * points already aggregated. 0 or -1 (response set). */
static int run_groups(ds_ctx_t *c, const ds_collection_t *col, const qnode_t *base,
                      const char *field, groups_t *gs)
{
    int collect = GROUP_COLLECT_REQUESTS, fill = GROUP_FILL_REQUESTS, filling = 0;
    for (;;) {
        if (!filling && collect == 0)
            filling = 1;
        if (filling && fill == 0)
            return 0;
        if (filling)
            fill--;
        else
            collect--;
        cJSON *fj = driver_filter(gs, field, filling);
        int status = 0;
        char msg[512];
        /* The driver's own filters go to a scratch arena per request, not the request's
         * arena, whose budget follows the client's body size: ten driver requests of a
         * small query would exhaust it. */
        ds_arena_t *scratch = ds_arena_new(GROUP_DRIVER_ARENA);
        ds_filter_t *extra =
            fj && scratch ? ds_filter_parse(scratch, fj, &status, msg, sizeof msg) : NULL;
        qnode_t *n = extra ? shape_tree(scratch, base, extra, gs->size) : NULL;
        scored_t *res = NULL;
        long cnt = -1;
        if (n) {
            n->q.limit = gs->limit * gs->size;
            n->q.offset = 0;
            cnt = run_tree(col, n, &res);
        }
        int rc = 0;
        for (long i = 0; i < cnt && rc == 0; i++)
            rc = groups_add(gs, field, &res[i]);
        free(res);
        cJSON_Delete(fj);
        ds_arena_free(scratch);
        if (cnt < 0 || rc != 0) {
            ds_fail(c, 500, "Service internal error: out of memory");
            return -1;
        }
        int enough = groups_rank(gs) >= gs->limit;
        if (enough || (filling && cnt == 0))
            return 0;
        if (cnt == 0)
            filling = 1;
    }
}

/* with_lookup: a collection name, or {collection, with_payload (default true),
 * with_vectors (default false)}. */
typedef struct lookup {
    ds_collection_t *col;
    ds_with_t wp, wv;
} lookup_t;

static int read_lookup(ds_ctx_t *c, const cJSON *body, lookup_t *lk)
{
    memset(lk, 0, sizeof *lk);
    const cJSON *wl = cJSON_GetObjectItemCaseSensitive(body, "with_lookup");
    if (!wl || cJSON_IsNull(wl))
        return 0;
    const cJSON *name = cJSON_IsString(wl) ? wl : cJSON_GetObjectItemCaseSensitive(wl, "collection");
    if (!cJSON_IsString(name)) {
        ds_fail(c, 400, "Format error in JSON body: with_lookup: data did not match any variant "
                        "of untagged enum WithLookupInterface");
        return -1;
    }
    if (!ds_access_can_see(&c->access, name->valuestring)) {
        ds_fail(c, 403, "Forbidden: Access to collection %.200s is required", name->valuestring);
        return -1;
    }
    if (ds_parse_with(c, cJSON_GetObjectItemCaseSensitive(wl, "with_payload"), 1, 1, &lk->wp) != 0 ||
        ds_parse_with(c, cJSON_GetObjectItemCaseSensitive(wl, "with_vectors"), 0, 0, &lk->wv) != 0)
        return -1;
    lk->col = ds_need_collection(c, name->valuestring);
    return lk->col ? 0 : -1;
}

/* The looked-up Record for a group id, or NULL (none, or not a point id). */
static cJSON *lookup_record(const lookup_t *lk, const cJSON *key)
{
    ds_point_id_t id;
    if (!lk->col || !ds_id_from_json(key, &id))
        return NULL;
    for (size_t s = 0; s < lk->col->n_shards; s++) {
        long slot = ds_shard_lookup(lk->col->shards[s], &id);
        if (slot >= 0)
            return ds_point_json(lk->col, lk->col->shards[s], (size_t)slot, &lk->wp, &lk->wv, 0, 0);
    }
    return NULL;
}

cJSON *ds_h_query_groups(ds_ctx_t *c, const char *name)
{
    const cJSON *body = ds_need_object(c);
    if (!body)
        return NULL;
    const cJSON *gb = cJSON_GetObjectItemCaseSensitive(body, "group_by");
    if (!cJSON_IsString(gb))
        return ds_fail(c, 400, "Format error in JSON body: missing field `group_by`");
    if (!gb->valuestring[0])
        return ds_fail(c, 422, "Validation error in JSON body: [group_by: value invalid, must not "
                               "be empty]");
    uint64_t size, limit;
    if (ds_read_uint(c, body, "group_size", 3, &size) != 0 ||
        ds_read_uint(c, body, "limit", 10, &limit) != 0)
        return NULL;
    if (size == 0 || limit == 0)
        return ds_fail(c, 422, "Validation error in JSON body: [%s: value 0 invalid, must be 1 "
                               "or larger]", size == 0 ? "group_size" : "limit");
    if (size > DS_MAX_LIMIT || limit > DS_MAX_LIMIT || size * limit > DS_MAX_LIMIT)
        return ds_fail(c, 400, "Bad request: group_size x limit must not exceed %d", DS_MAX_LIMIT);
    ds_collection_t *col = ds_need_collection(c, name);
    qnode_t base;
    lookup_t lk;
    if (!col || parse_query(c, col, body, &base) != 0 || read_lookup(c, body, &lk) != 0)
        return NULL;
    groups_t gs = {NULL, 0, 0, (size_t)size, (size_t)limit};
    if (run_groups(c, col, &base, gb->valuestring, &gs) != 0) {
        groups_free(&gs);
        return NULL;
    }
    cJSON *r = cJSON_CreateObject();
    cJSON *arr = r ? cJSON_AddArrayToObject(r, "groups") : NULL;
    for (size_t i = 0; arr && i < gs.n && i < gs.limit; i++) {
        group_t *g = &gs.g[i];
        qsort(g->hits, g->n, sizeof *g->hits, better_cmp);
        cJSON *o = cJSON_CreateObject();
        cJSON *hits = results_json(c, col, &base.q, g->hits, (long)(g->n < gs.size ? g->n : gs.size));
        if (!o || !hits) {
            cJSON_Delete(o);
            cJSON_Delete(hits);
            arr = NULL;
            break;
        }
        cJSON_AddItemToObject(o, "id", cJSON_Duplicate(g->key, 0));
        cJSON_AddItemToObject(o, "hits", hits);
        cJSON *rec = lookup_record(&lk, g->key);
        if (rec)
            cJSON_AddItemToObject(o, "lookup", rec);
        cJSON_AddItemToArray(arr, o);
    }
    groups_free(&gs);
    if (!arr) {
        cJSON_Delete(r);
        return ds_fail(c, 500, "Service internal error: out of memory");
    }
    return r;
}
