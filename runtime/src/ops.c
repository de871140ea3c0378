/* ops.c: the tenant-scoped data operations of the raw layer: upsert, get, delete,
 * search, count and scroll.
 *
 * Every request body gets its filter from tq_op_filter (tenant and scope conditions,
 * always), and every points answer goes through tq_result_parse and its leak guard.
 * Get-by-key is a filtered scroll, never a bare retrieve. Nothing here may send a
 * request without the tenant condition, or return data from an answer that failed the
 * guard. */
#include "request.h"

#include "alloc.h"
#include "batch.h"
#include "detail.h"
#include "filter.h"
#include "json.h"
#include "retrieve.h"
#include "uuid.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Builds {"filter": <tenant+scope(+ids)+user conditions>} as the start of a body. */
static cJSON *body_with_filter(const tq_op_call_t *call, const char *const *ids, size_t id_count,
                               const tq_raw_filter_t *filter, tq_status_t *st,
                               tq_detail_t *detail)
{
    cJSON *body = cJSON_CreateObject();
    cJSON *f = tq_op_filter(call, ids, id_count);
    if (!body || !f || !cJSON_AddItemToObject(body, "filter", f)) {
        cJSON_Delete(body);
        cJSON_Delete(f);
        *st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        return NULL;
    }
    *st = tq_filter_apply(filter, call->collection,
                          cJSON_GetObjectItemCaseSensitive(f, "must"), detail);
    if (*st != TQ_OK) {
        cJSON_Delete(body);
        return NULL;
    }
    return body;
}

tq_status_t tq_op_parse_points(tq_op_call_t *call, const tq_response_t *resp,
                               tq_parse_kind_t kind, tq_raw_result_t *out, tq_detail_t *detail)
{
    char logical[TQ_COLLECTION_NAME_MAX + 1];
    tq_guard_t guard;
    tq_logical_name(call->collection, logical);
    tq_op_guard(call, logical, &guard);
    return tq_result_parse(resp->body, resp->len, kind, &guard, out, detail);
}

/* Derives the ids of `keys`; *ids is a tq_malloc'd array of id strings. */
static tq_status_t derive_ids(const tq_op_call_t *call, const char *const *keys, size_t n,
                              char **ids_out, tq_detail_t *detail)
{
    char logical[TQ_COLLECTION_NAME_MAX + 1];
    tq_logical_name(call->collection, logical);
    char *ids = tq_calloc(n ? n : 1, TQ_UUID_STR_LEN + 1);
    if (!ids)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        tq_status_t st = tq_key_check(keys[i], detail);
        if (st == TQ_OK)
            st = tq_point_id_derive(call->tenant->tenant, logical, call->scope_values,
                                    call->collection->scope_count, keys[i],
                                    ids + i * (TQ_UUID_STR_LEN + 1));
        if (st != TQ_OK) {
            tq_free(ids);
            return st == TQ_ENOMEM || st == TQ_ECRYPTO
                       ? tq_fail(detail, st, 0, "cannot derive a point id")
                       : st;
        }
    }
    *ids_out = ids;
    return TQ_OK;
}

/* Builds the body filter for keyed requests (get, delete by key). */
static cJSON *keyed_body(const tq_op_call_t *call, const char *function,
                         const char *const *keys, size_t n, tq_status_t *st,
                         tq_detail_t *detail)
{
    char *ids = NULL;
    const char **id_list = NULL;
    cJSON *body = NULL;
    if (!keys) {
        *st = tq_fail(detail, TQ_EINVAL, 0, "%s: keys is NULL", function);
        return NULL;
    }
    if (n > call->client->options.max_results) {
        *st = tq_fail(detail, TQ_EINVAL, 0, "%zu keys exceed max_results (%zu)", n,
                      call->client->options.max_results);
        return NULL;
    }
    *st = derive_ids(call, keys, n, &ids, detail);
    if (*st != TQ_OK)
        return NULL;
    id_list = tq_calloc(n ? n : 1, sizeof *id_list);
    if (!id_list) {
        *st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++)
        id_list[i] = ids + i * (TQ_UUID_STR_LEN + 1);
    body = body_with_filter(call, id_list, n, NULL, st, detail);
cleanup:
    tq_free(id_list);
    tq_free(ids);
    return body;
}

tq_status_t tq_raw_get(const tenant_ctx_t *ctx, const tq_raw_collection_t *collection,
                       const char *const *scope_values, const char *const *keys,
                       size_t key_count, int with_vector, tq_raw_result_t *out,
                       tq_detail_t *detail)
{
    tq_op_call_t call;
    tq_response_t resp = {0};
    cJSON *body = NULL;
    tq_status_t st = tq_op_begin(&call, __func__, ctx, collection, scope_values, 1, TQ_OP_GET, detail);
    if (st == TQ_OK && !out)
        st = tq_fail(detail, TQ_EINVAL, 0, "%s: out is NULL", __func__);
    if (st != TQ_OK)
        goto cleanup;
    body = keyed_body(&call, __func__, keys, key_count, &st, detail);
    if (!body)
        goto cleanup;
    if (!cJSON_AddNumberToObject(body, "limit", (double)(key_count ? key_count : 1)) ||
        !cJSON_AddBoolToObject(body, "with_payload", 1) ||
        !cJSON_AddBoolToObject(body, "with_vector", with_vector != 0)) {
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        goto cleanup;
    }
    if (key_count == 0) {
        memset(out, 0, sizeof *out);
        goto cleanup;
    }
    st = tq_op_send(&call, TQ_REQ_POINTS_SCROLL, "POST", "/points/scroll", body, 0, &resp,
                    detail);
    if (st == TQ_OK)
        st = tq_op_parse_points(&call, &resp, TQ_PARSE_SCROLL, out, detail);
    if (st == TQ_OK)
        out->next_cursor[0] = '\0';
cleanup:
    cJSON_Delete(body);
    tq_response_free(&resp);
    return tq_op_end(&call, st, detail);
}

/* Shared by both deletes: POST /points/delete?wait=true with `body`. */
static tq_status_t send_delete(tq_op_call_t *call, cJSON *body, tq_detail_t *detail)
{
    tq_response_t resp = {0};
    tq_status_t st = tq_op_send(call, TQ_REQ_POINTS_DELETE, "POST", "/points/delete?wait=true",
                                body, 0, &resp, detail);
    if (st == TQ_OK)
        st = tq_write_ack_check(call, &resp, detail);
    tq_response_free(&resp);
    return st;
}

tq_status_t tq_raw_delete_keys(const tenant_ctx_t *ctx, const tq_raw_collection_t *collection,
                               const char *const *scope_values, const char *const *keys,
                               size_t key_count, tq_detail_t *detail)
{
    tq_op_call_t call;
    cJSON *body = NULL;
    tq_status_t st = tq_op_begin(&call, __func__, ctx, collection, scope_values, 1, TQ_OP_DELETE, detail);
    if (st != TQ_OK)
        goto cleanup;
    body = keyed_body(&call, __func__, keys, key_count, &st, detail);
    if (body && key_count > 0)
        st = send_delete(&call, body, detail);
cleanup:
    cJSON_Delete(body);
    return tq_op_end(&call, st, detail);
}

tq_status_t tq_raw_delete_filter(const tenant_ctx_t *ctx, const tq_raw_collection_t *collection,
                                 const char *const *scope_values, const tq_raw_filter_t *filter,
                                 tq_detail_t *detail)
{
    tq_op_call_t call;
    cJSON *body = NULL;
    tq_status_t st = tq_op_begin(&call, __func__, ctx, collection, scope_values, 1, TQ_OP_DELETE, detail);
    if (st != TQ_OK)
        goto cleanup;
    body = body_with_filter(&call, NULL, 0, filter, &st, detail);
    if (body)
        st = send_delete(&call, body, detail);
cleanup:
    cJSON_Delete(body);
    return tq_op_end(&call, st, detail);
}

/* Adds `item` (NULL when it could not be made) to `object` as `name`; frees it when it
 * cannot be added. 0 when out of memory. The limit is a raw integer: cJSON's number
 * printer formats with "%1.15g" and reads it back with sscanf on every call. */
static int add_member(cJSON *object, const char *name, cJSON *item)
{
    if (item && cJSON_AddItemToObject(object, name, item))
        return 1;
    cJSON_Delete(item);
    return 0;
}

/* The printed `body` with "query": `vector` appended as its last member, in one
 * tq_malloc'd text: the vector is most of a search body, so it is written once, straight
 * into place, instead of into a raw node that the printer then copies again. NULL when
 * out of memory. */
static char *with_query_vector(const cJSON *body, const float *vector, size_t dim)
{
    static const char member[] = ",\"query\":";
    /* One allocation: the members print straight into the front of the buffer (room
     * for BODY_HEAD_ROOM bytes, enough for a filter of a few dozen conditions), the
     * vector after them. A larger body is printed on its own and copied in. */
    enum { BODY_HEAD_ROOM = 4096 };
    size_t tail = sizeof member - 1 + TQ_JSON_VECTOR_TEXT_MAX(dim) + 1;
    char *text = tq_malloc(BODY_HEAD_ROOM + tail);
    char *head = NULL;
    size_t len = 0;
    if (text && cJSON_PrintPreallocated((cJSON *)body, text, BODY_HEAD_ROOM, 0)) {
        len = strlen(text);
    } else if (text && (head = tq_json_print(body)) != NULL) {
        len = strlen(head);
        char *bigger = tq_grow(text, 0, len + tail);
        if (bigger)
            memcpy(bigger, head, len + 1);
        else
            tq_free(text);
        text = bigger;
        cJSON_free(head);
    } else {
        tq_free(text);
        text = NULL;
    }
    if (!text || len < 2) {
        tq_free(text);
        return NULL;
    }
    /* text is "{...}": keep all but the closing brace. */
    len--;
    memcpy(text + len, member, sizeof member - 1);
    len += sizeof member - 1;
    len += tq_json_vector_text(vector, dim, text + len);
    text[len++] = '}';
    text[len] = '\0';
    return text;
}

tq_status_t tq_raw_search(const tenant_ctx_t *ctx, const tq_raw_collection_t *collection,
                          const char *const *scope_values, const float *vector, size_t dim,
                          const tq_raw_filter_t *filter, uint32_t limit,
                          const double *score_threshold, int with_vector, tq_raw_result_t *out,
                          tq_detail_t *detail)
{
    tq_op_call_t call;
    tq_response_t resp = {0};
    cJSON *body = NULL;
    char *text = NULL;
    tq_status_t st = tq_op_begin(&call, __func__, ctx, collection, scope_values, 1, TQ_OP_SEARCH, detail);
    if (st != TQ_OK)
        goto cleanup;
    if (!out || !vector) {
        st = tq_fail(detail, TQ_EINVAL, 0, "%s: %s is NULL", __func__, !out ? "out" : "vector");
        goto cleanup;
    }
    if (dim != collection->dim) {
        st = tq_fail(detail, TQ_EINVAL, 0,
                     "%s: query vector has %zu floats; collection %s.%s expects %u", __func__,
                     dim, collection->schema, collection->name, collection->dim);
        goto cleanup;
    }
    for (size_t i = 0; i < dim; i++) {
        if (!isfinite(vector[i])) {
            st = tq_fail(detail, TQ_EINVAL, 0, "query vector holds a non-finite value");
            goto cleanup;
        }
    }
    if (limit < 1 || limit > call.client->options.max_results) {
        st = tq_fail(detail, TQ_EINVAL, 0, "limit must be 1..%zu",
                     call.client->options.max_results);
        goto cleanup;
    }
    if (score_threshold && !isfinite(*score_threshold)) {
        st = tq_fail(detail, TQ_EINVAL, 0, "score_threshold must be finite");
        goto cleanup;
    }
    body = body_with_filter(&call, NULL, 0, filter, &st, detail);
    if (!body)
        goto cleanup;
    if (!cJSON_AddStringToObject(body, "using", collection->vector_name) ||
        !add_member(body, "limit", tq_json_int(limit)) ||
        !cJSON_AddBoolToObject(body, "with_payload", 1) ||
        !cJSON_AddBoolToObject(body, "with_vector", with_vector != 0) ||
        (score_threshold &&
         !add_member(body, "score_threshold", tq_json_double(*score_threshold))) ||
        !(text = with_query_vector(body, vector, dim))) {
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        goto cleanup;
    }
    st = tq_op_send_text(&call, TQ_REQ_POINTS_QUERY, "POST", "/points/query", text, 0, &resp,
                         detail);
    if (st == TQ_OK)
        st = tq_op_parse_points(&call, &resp, TQ_PARSE_QUERY, out, detail);
cleanup:
    tq_free(text);
    cJSON_Delete(body);
    tq_response_free(&resp);
    return tq_op_end(&call, st, detail);
}

tq_status_t tq_raw_count(const tenant_ctx_t *ctx, const tq_raw_collection_t *collection,
                         const char *const *scope_values, const tq_raw_filter_t *filter,
                         uint64_t *out, tq_detail_t *detail)
{
    tq_op_call_t call;
    tq_response_t resp = {0};
    cJSON *body = NULL;
    tq_status_t st = tq_op_begin(&call, __func__, ctx, collection, scope_values, 1, TQ_OP_COUNT, detail);
    if (st == TQ_OK && !out)
        st = tq_fail(detail, TQ_EINVAL, 0, "%s: out is NULL", __func__);
    if (st != TQ_OK)
        goto cleanup;
    body = body_with_filter(&call, NULL, 0, filter, &st, detail);
    if (!body)
        goto cleanup;
    if (!cJSON_AddBoolToObject(body, "exact", 1)) {
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        goto cleanup;
    }
    st = tq_op_send(&call, TQ_REQ_POINTS_COUNT, "POST", "/points/count", body, 0, &resp, detail);
    if (st == TQ_OK)
        st = tq_count_parse(resp.body, resp.len, call.client->options.max_json_depth, out,
                            detail);
cleanup:
    cJSON_Delete(body);
    tq_response_free(&resp);
    return tq_op_end(&call, st, detail);
}

tq_status_t tq_raw_scroll(const tenant_ctx_t *ctx, const tq_raw_collection_t *collection,
                          const char *const *scope_values, const tq_raw_filter_t *filter,
                          uint32_t limit, const char *cursor, int with_vector,
                          tq_raw_result_t *out, tq_detail_t *detail)
{
    tq_op_call_t call;
    tq_response_t resp = {0};
    cJSON *body = NULL;
    unsigned char cursor_bytes[16];
    tq_status_t st = tq_op_begin(&call, __func__, ctx, collection, scope_values, 1, TQ_OP_SCROLL, detail);
    if (st != TQ_OK)
        goto cleanup;
    if (!out) {
        st = tq_fail(detail, TQ_EINVAL, 0, "%s: out is NULL", __func__);
        goto cleanup;
    }
    if (limit < 1 || limit > call.client->options.max_results) {
        st = tq_fail(detail, TQ_EINVAL, 0, "%s: limit must be 1..%zu", __func__,
                     call.client->options.max_results);
        goto cleanup;
    }
    if (cursor && cursor[0] && tq_uuid_parse(cursor, cursor_bytes) != 0) {
        st = tq_fail(detail, TQ_EINVAL, 0, "cursor is not a UUID");
        goto cleanup;
    }
    body = body_with_filter(&call, NULL, 0, filter, &st, detail);
    if (!body)
        goto cleanup;
    if (!cJSON_AddNumberToObject(body, "limit", limit) ||
        !cJSON_AddBoolToObject(body, "with_payload", 1) ||
        !cJSON_AddBoolToObject(body, "with_vector", with_vector != 0) ||
        (cursor && cursor[0] && !cJSON_AddStringToObject(body, "offset", cursor))) {
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        goto cleanup;
    }
    st = tq_op_send(&call, TQ_REQ_POINTS_SCROLL, "POST", "/points/scroll", body, 0, &resp,
                    detail);
    if (st == TQ_OK)
        st = tq_op_parse_points(&call, &resp, TQ_PARSE_SCROLL, out, detail);
cleanup:
    cJSON_Delete(body);
    tq_response_free(&resp);
    return tq_op_end(&call, st, detail);
}

/* Sends points [from, to) of the batch as one upsert request. */
static tq_status_t upsert_chunk(tq_op_call_t *call, const tq_raw_batch_t *batch, size_t from,
                                size_t to, tq_detail_t *detail)
{
    tq_response_t resp = {0};
    char *body = NULL;
    if (tq_batch_body(batch, from, to, &body) != TQ_OK)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    tq_status_t st = tq_op_send_text(call, TQ_REQ_POINTS_UPSERT, "PUT", "/points?wait=true",
                                     body, 0, &resp, detail);
    if (st == TQ_OK)
        st = tq_write_ack_check(call, &resp, detail);
    tq_free(body);
    tq_response_free(&resp);
    return st;
}

/* Stores every point's BM25 document vector before anything is sent. */
static tq_status_t attach_sparse(tq_raw_batch_t *batch, const tq_raw_collection_t *c,
                                 size_t count, tq_detail_t *detail)
{
    tq_bm25_t *bm25 = tq_bm25_new();
    tq_status_t st = bm25 ? TQ_OK : tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    for (size_t i = 0; st == TQ_OK && i < count; i++) {
        const char *key;
        cJSON *sparse = NULL;
        st = tq_sparse_document(c, bm25, tq_batch_point_payload(batch, i, &key), &sparse, detail);
        if (st == TQ_OK)
            tq_batch_point_sparse(batch, i, sparse);
    }
    tq_bm25_free(bm25);
    return st;
}

tq_status_t tq_raw_batch_upsert(tq_raw_batch_t *batch, tq_detail_t *detail)
{
    const tenant_ctx_t *ctx = NULL;
    const tq_tenant_entry_t *stamped = NULL;
    const tq_raw_collection_t *collection = NULL;
    size_t count = 0;
    tq_op_call_t call;
    memset(&call, 0, sizeof call);
    tq_status_t st = tq_batch_state(batch, &ctx, &stamped, &collection, &count, detail);
    if (st != TQ_OK)
        return st;
    st = tq_op_begin(&call, __func__, ctx, collection, NULL, 0, TQ_OP_UPSERT, detail);
    /* The points carry the tenant they were built for; the context must still be it. */
    if (st == TQ_OK && call.tenant != stamped)
        st = tq_fail(detail, TQ_ETENANT, 0, "%s: the batch was built for another tenant",
                     __func__);
    if (st == TQ_OK && collection->sparse_name)
        st = attach_sparse(batch, collection, count, detail);
    size_t step = st == TQ_OK ? call.client->options.upsert_batch_size : 1;
    size_t from = 0;
    for (; st == TQ_OK && from < count; from += step) {
        size_t to = count - from > step ? from + step : count;
        st = upsert_chunk(&call, batch, from, to, detail);
        if (st != TQ_OK)
            break;
    }
    if (st != TQ_OK && detail && from < count) {
        const char *key;
        tq_batch_point_payload(batch, from, &key);
        char message[TQ_DETAIL_MESSAGE_MAX];
        snprintf(message, sizeof message, "%s", detail->message);
        tq_fail(detail, st, detail->http_status,
                "%zu of %zu points stored; first key not written: \"%.100s\": %s",
                from, count, key, message);
        detail->items_done = from;
    }
    return tq_op_end(&call, st, detail);
}
