/* retrieve.c: hybrid retrieval for the raw layer: BM25 text search, dense plus
 * sparse candidates fused by the server, and grouped search, plus the BM25 document
 * vectors stored at upsert.
 *
 * The incident this guards against: a keyword branch that forgot the tenant condition.
 * So every branch gets its own freshly built tenant-and-scope filter (never one object
 * shared by reference, never left to the server's propagation of the top-level
 * filter), the sparse branch's IDF corpus is the caller's tenant and scope, and every
 * point of the answer, grouped or not, goes through the leak guard before the caller
 * sees any of it. Nothing here may send a branch without the tenant condition. */
#include "retrieve.h"

#include "alloc.h"
#include "bm25.h"
#include "detail.h"
#include "filter.h"
#include "groups.h"
#include "json.h"
#include "text.h"

#include <math.h>
#include <string.h>

/* Candidates each prefetch branch hands to the fusion: four times the final limit, at
 * least 32, at most 4096 (docs/runtime.md). */
static uint32_t prefetch_limit(uint32_t limit)
{
    uint64_t n = (uint64_t)limit * 4;
    return n < 32 ? 32 : n > 4096 ? 4096 : (uint32_t)n;
}

tq_status_t tq_retrieval_descriptor_check(const tq_raw_collection_t *c, tq_detail_t *detail)
{
    if ((int)c->fusion < 0 || c->fusion > TQ_FUSION_DBSF)
        return tq_fail(detail, TQ_EINVAL, 0, "collection %s.%s: bad fusion", c->schema, c->name);
    if (c->group_field && !tq_text_field_name(c->group_field))
        return tq_fail(detail, TQ_EINVAL, 0, "collection %s.%s: bad group field name", c->schema,
                       c->name);
    if (!c->sparse_name)
        return c->sparse_field_count == 0 ? TQ_OK
                                          : tq_fail(detail, TQ_EINVAL, 0,
                                                    "collection %s.%s: sparse fields without a "
                                                    "sparse vector",
                                                    c->schema, c->name);
    if (!tq_text_field_name(c->sparse_name) || strcmp(c->sparse_name, c->vector_name) == 0 ||
        c->sparse_field_count == 0 || !c->sparse_fields)
        return tq_fail(detail, TQ_EINVAL, 0, "collection %s.%s: bad sparse vector declaration",
                       c->schema, c->name);
    for (size_t i = 0; i < c->sparse_field_count; i++) {
        if (!tq_text_field_name(c->sparse_fields[i]))
            return tq_fail(detail, TQ_EINVAL, 0, "collection %s.%s: bad sparse field name",
                           c->schema, c->name);
    }
    return TQ_OK;
}

/* {"indices": [...], "values": [...]}; NULL when out of memory. */
static cJSON *sparse_json(const tq_sparse_t *s)
{
    cJSON *v = cJSON_CreateObject();
    cJSON *indices = cJSON_AddArrayToObject(v, "indices");
    cJSON *values = cJSON_AddArrayToObject(v, "values");
    if (!indices || !values)
        goto fail;
    for (size_t i = 0; i < s->count; i++) {
        if (!cJSON_AddItemToArray(indices, cJSON_CreateNumber((double)s->indices[i])) ||
            !cJSON_AddItemToArray(values, tq_json_double((double)s->values[i])))
            goto fail;
    }
    return v;
fail:
    cJSON_Delete(v);
    return NULL;
}

tq_status_t tq_sparse_document(const tq_raw_collection_t *c, tq_bm25_t *bm25,
                               const cJSON *payload, cJSON **sparse, tq_detail_t *detail)
{
    size_t len = 0, at = 0;
    *sparse = NULL;
    /* The document is the sparse fields' texts in declared order, one per line. */
    for (size_t i = 0; i < c->sparse_field_count; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(payload, c->sparse_fields[i]);
        if (cJSON_IsString(v))
            len += strlen(v->valuestring) + 1;
    }
    if (len > TQ_BM25_TEXT_MAX)
        return tq_fail(detail, TQ_EINVAL, 0, "sparse vector %s: text over %d bytes",
                       c->sparse_name, TQ_BM25_TEXT_MAX);
    char *text = tq_malloc(len + 1);
    if (!text)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    for (size_t i = 0; i < c->sparse_field_count; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(payload, c->sparse_fields[i]);
        if (!cJSON_IsString(v))
            continue;
        size_t n = strlen(v->valuestring);
        memcpy(text + at, v->valuestring, n);
        at += n;
        text[at++] = '\n';
    }
    tq_sparse_t s;
    tq_status_t st = tq_bm25_document(bm25, text, at, &s);
    tq_free(text);
    if (st != TQ_OK)
        return tq_fail(detail, st, 0, "sparse vector %s: %s", c->sparse_name,
                       st == TQ_ENOMEM ? "out of memory" : "text is not valid UTF-8");
    if (s.count > 0 && !(*sparse = sparse_json(&s)))
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    tq_sparse_free(&s);
    return st;
}

/* A new tenant-and-scope filter with the caller's conditions added: one per branch. */
static cJSON *branch_filter(const tq_op_call_t *call, const tq_raw_filter_t *filter,
                            tq_status_t *st, tq_detail_t *detail)
{
    cJSON *f = tq_op_filter(call, NULL, 0);
    if (!f) {
        *st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        return NULL;
    }
    *st = tq_filter_apply(filter, call->collection, cJSON_GetObjectItemCaseSensitive(f, "must"),
                          detail);
    if (*st != TQ_OK) {
        cJSON_Delete(f);
        return NULL;
    }
    return f;
}

/* {"idf": {"corpus": <tenant and scope filter>}}: IDF over the caller's own points. */
static cJSON *idf_params(const tq_op_call_t *call)
{
    cJSON *params = cJSON_CreateObject();
    cJSON *idf = cJSON_AddObjectToObject(params, "idf");
    cJSON *corpus = tq_op_filter(call, NULL, 0);
    if (!idf || !corpus || !cJSON_AddItemToObject(idf, "corpus", corpus)) {
        cJSON_Delete(corpus);
        cJSON_Delete(params);
        return NULL;
    }
    return params;
}

/* Adds one search to `target` (a prefetch or the body): its query, `using`, its own
 * filter, and for the sparse vector the IDF corpus. `limit` 0 adds no limit. */
static tq_status_t add_branch(const tq_op_call_t *call, cJSON *target, const float *vector,
                              const tq_sparse_t *sparse, const tq_raw_filter_t *filter,
                              uint32_t limit, tq_detail_t *detail)
{
    const tq_raw_collection_t *c = call->collection;
    tq_status_t st = TQ_OK;
    cJSON *f = branch_filter(call, filter, &st, detail);
    if (!f)
        return st;
    if (!cJSON_AddItemToObject(target, "filter", f)) {
        cJSON_Delete(f);
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    }
    int ok;
    if (sparse) {
        cJSON *q = sparse_json(sparse), *params = idf_params(call);
        ok = q && params && cJSON_AddItemToObject(target, "query", q);
        if (!ok)
            cJSON_Delete(q);
        ok = ok && cJSON_AddStringToObject(target, "using", c->sparse_name) &&
             cJSON_AddItemToObject(target, "params", params);
        if (!ok)
            cJSON_Delete(params);
    } else {
        ok = tq_json_add_vector(target, "query", vector, c->dim) == 0 &&
             cJSON_AddStringToObject(target, "using", c->vector_name);
    }
    if (ok && limit > 0)
        ok = cJSON_AddNumberToObject(target, "limit", limit) != NULL;
    return ok ? TQ_OK : tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
}

/* The prefetch array of a fused request, one object per branch, and the fusion. */
static tq_status_t add_fusion(const tq_op_call_t *call, cJSON *body, const float *vector,
                              const tq_sparse_t *sparse, const tq_raw_filter_t *filter,
                              uint32_t limit, tq_detail_t *detail)
{
    static const char *const names[] = {"rrf", "dbsf"};
    cJSON *prefetch = cJSON_AddArrayToObject(body, "prefetch");
    cJSON *dense = cJSON_CreateObject();
    if (!prefetch || !dense || !cJSON_AddItemToArray(prefetch, dense)) {
        cJSON_Delete(dense);
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    }
    tq_status_t st = add_branch(call, dense, vector, NULL, filter, prefetch_limit(limit), detail);
    if (st == TQ_OK && sparse->count > 0) {
        cJSON *keyword = cJSON_CreateObject();
        if (!keyword || !cJSON_AddItemToArray(prefetch, keyword)) {
            cJSON_Delete(keyword);
            return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        }
        st = add_branch(call, keyword, NULL, sparse, filter, prefetch_limit(limit), detail);
    }
    if (st != TQ_OK)
        return st;
    cJSON *query = cJSON_AddObjectToObject(body, "query");
    cJSON *top = query ? tq_op_filter(call, NULL, 0) : NULL;
    if (!top || !cJSON_AddStringToObject(query, "fusion", names[call->collection->fusion]) ||
        !cJSON_AddItemToObject(body, "filter", top)) {
        cJSON_Delete(top);
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    }
    return tq_filter_apply(filter, call->collection, cJSON_GetObjectItemCaseSensitive(top, "must"),
                           detail);
}

/* Checks the arguments of tq_raw_retrieve against `mode` and the descriptor. */
static tq_status_t check_args(const tq_op_call_t *call, tq_retrieval_t mode, const float *vector,
                              size_t dim, const char *text, uint32_t limit,
                              const double *score_threshold, const tq_raw_result_t *out,
                              tq_detail_t *detail)
{
    const tq_raw_collection_t *c = call->collection;
    size_t max = call->client->options.max_results;
    if (!out)
        return tq_fail(detail, TQ_EINVAL, 0, "NULL result");
    if ((int)mode < 0 || mode > TQ_RETRIEVE_GROUPS)
        return tq_fail(detail, TQ_EINVAL, 0, "unknown retrieval mode");
    if ((mode != TQ_RETRIEVE_GROUPS || text) && !c->sparse_name)
        return tq_fail(detail, TQ_EINVAL, 0, "collection %s.%s declares no sparse vector",
                       c->schema, c->name);
    if (mode == TQ_RETRIEVE_GROUPS && !c->group_field)
        return tq_fail(detail, TQ_EINVAL, 0, "collection %s.%s declares no group field",
                       c->schema, c->name);
    if ((mode == TQ_RETRIEVE_TEXT && (vector || !text)) ||
        (mode == TQ_RETRIEVE_HYBRID && (!vector || !text)) ||
        (mode == TQ_RETRIEVE_GROUPS && !vector && !text))
        return tq_fail(detail, TQ_EINVAL, 0, "%s needs %s",
                       mode == TQ_RETRIEVE_TEXT     ? "text search"
                       : mode == TQ_RETRIEVE_HYBRID ? "hybrid search"
                                                    : "grouped search",
                       mode == TQ_RETRIEVE_TEXT     ? "text and no vector"
                       : mode == TQ_RETRIEVE_HYBRID ? "a vector and text"
                                                    : "a vector, text or both");
    if (vector) {
        if (dim != c->dim)
            return tq_fail(detail, TQ_EINVAL, 0,
                           "tq_raw_retrieve: query vector has %zu floats; collection %s.%s "
                           "expects %u",
                           dim, c->schema, c->name, c->dim);
        for (size_t i = 0; i < dim; i++) {
            if (!isfinite(vector[i]))
                return tq_fail(detail, TQ_EINVAL, 0, "query vector holds a non-finite value");
        }
    }
    if (limit < 1 || limit > max)
        return tq_fail(detail, TQ_EINVAL, 0, "limit must be 1..%zu", max);
    if (score_threshold && !isfinite(*score_threshold))
        return tq_fail(detail, TQ_EINVAL, 0, "score_threshold must be finite");
    return TQ_OK;
}

/* Builds the whole request body for `mode`; *empty is set when there is nothing to
 * ask (a text-only query without terms). */
static cJSON *request_body(const tq_op_call_t *call, tq_retrieval_t mode, const float *vector,
                           const tq_sparse_t *sparse, int have_text,
                           const tq_raw_filter_t *filter, uint32_t limit,
                           const double *score_threshold, int *empty, tq_status_t *st,
                           tq_detail_t *detail)
{
    cJSON *body = cJSON_CreateObject();
    *empty = 0;
    if (!body) {
        *st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        return NULL;
    }
    if (vector && have_text) {
        *st = add_fusion(call, body, vector, sparse, filter, limit, detail);
    } else if (vector) {
        *st = add_branch(call, body, vector, NULL, filter, 0, detail);
    } else if (sparse->count > 0) {
        *st = add_branch(call, body, NULL, sparse, filter, 0, detail);
    } else {
        *empty = 1;
        *st = TQ_OK;
    }
    int ok = *st == TQ_OK && cJSON_AddNumberToObject(body, "limit", limit) &&
             cJSON_AddBoolToObject(body, "with_payload", 1) &&
             cJSON_AddBoolToObject(body, "with_vector", 0) &&
             (!score_threshold ||
              cJSON_AddItemToObject(body, "score_threshold", tq_json_double(*score_threshold))) &&
             (mode != TQ_RETRIEVE_GROUPS ||
              (cJSON_AddStringToObject(body, "group_by", call->collection->group_field) &&
               cJSON_AddNumberToObject(body, "group_size", 1)));
    if (*st == TQ_OK && !ok)
        *st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    if (*st != TQ_OK) {
        cJSON_Delete(body);
        return NULL;
    }
    return body;
}

/* Flattens a groups answer (groups.c) and parses the hits through the leak guard. */
static tq_status_t parse_groups(tq_op_call_t *call, const tq_response_t *resp,
                                tq_raw_result_t *out, tq_detail_t *detail)
{
    char *text = NULL;
    tq_response_t flat = {0};
    tq_status_t st = tq_groups_flatten(resp->body, resp->len, call->client->options.max_json_depth,
                                       call->collection->group_field, call->route.collection,
                                       &text, detail);
    if (st != TQ_OK)
        return st;
    flat.body = text;
    flat.len = strlen(text);
    st = tq_op_parse_points(call, &flat, TQ_PARSE_QUERY, out, detail);
    cJSON_free(text);
    return st;
}

tq_status_t tq_raw_retrieve(const tenant_ctx_t *ctx, const tq_raw_collection_t *collection,
                            const char *const *scope_values, tq_retrieval_t mode,
                            const float *vector, size_t dim, const char *text,
                            const tq_raw_filter_t *filter, uint32_t limit,
                            const double *score_threshold, tq_raw_result_t *out,
                            tq_detail_t *detail)
{
    tq_op_call_t call;
    tq_response_t resp = {0};
    tq_sparse_t sparse;
    tq_bm25_t *bm25 = NULL;
    cJSON *body = NULL;
    int empty = 0;
    memset(&sparse, 0, sizeof sparse);
    tq_status_t st = tq_op_begin(&call, __func__, ctx, collection, scope_values, 1, TQ_OP_SEARCH,
                                 detail);
    if (st == TQ_OK)
        st = check_args(&call, mode, vector, dim, text, limit, score_threshold, out, detail);
    if (st != TQ_OK)
        goto cleanup;
    if (text) {
        bm25 = tq_bm25_new();
        st = bm25 ? tq_bm25_query(bm25, text, strlen(text), &sparse) : TQ_ENOMEM;
        if (st != TQ_OK) {
            st = tq_fail(detail, st, 0, "query text: %s",
                         st == TQ_ENOMEM ? "out of memory" : "not valid UTF-8 or too long");
            goto cleanup;
        }
    }
    body = request_body(&call, mode, vector, &sparse, text != NULL, filter, limit,
                        score_threshold, &empty, &st, detail);
    if (!body)
        goto cleanup;
    if (empty) {
        memset(out, 0, sizeof *out);
        goto cleanup;
    }
    if (mode == TQ_RETRIEVE_GROUPS) {
        st = tq_op_send(&call, TQ_REQ_POINTS_QUERY, "POST", "/points/query/groups", body, 0,
                        &resp, detail);
        if (st == TQ_OK)
            st = parse_groups(&call, &resp, out, detail);
    } else {
        st = tq_op_send(&call, TQ_REQ_POINTS_QUERY, "POST", "/points/query", body, 0, &resp,
                        detail);
        if (st == TQ_OK)
            st = tq_op_parse_points(&call, &resp, TQ_PARSE_QUERY, out, detail);
    }
cleanup:
    cJSON_Delete(body);
    tq_response_free(&resp);
    tq_sparse_free(&sparse);
    tq_bm25_free(bm25);
    return tq_op_end(&call, st, detail);
}
