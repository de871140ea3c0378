/* onboard.c: creating a tenant's collection and payload indexes, and removing all of a
 * tenant's data with a check that nothing remains.
 *
 * These are admin requests: they always use the endpoint's API key, never a tenant
 * token. Offboarding sweeps every endpoint and every name the runtime could have used
 * (sweep.c), not only the current route, so a tenant that moved leaves nothing behind;
 * in shared collections it deletes by the tenant filter only and then counts exactly,
 * and it must never delete a collection that other tenants share. A tiered collection
 * is created custom-sharded and gets its "default" shard key (tiered.c). */
#include "request.h"
#include "sweep.h"

#include "alloc.h"
#include "detail.h"
#include "fingerprint.h"
#include "json.h"
#include "tiered.h"

#include <stdio.h>
#include <string.h>

static const char *const distance_names[] = {"Cosine", "Dot", "Euclid", "Manhattan"};
static const char *const field_type_names[] = {"keyword", "text", "integer", "float",
                                               "bool",    "datetime", "uuid"};

/* The CreateCollection body: the named vector, the schema fingerprint as metadata,
 * plus tenant-partitioned HNSW in the shared and tiered placements, and custom sharding
 * in the tiered one. NULL when out of memory. */
static cJSON *collection_body(const tq_raw_collection_t *c, tq_placement_t placement)
{
    cJSON *body = cJSON_CreateObject();
    cJSON *vectors = cJSON_AddObjectToObject(body, "vectors");
    cJSON *params = vectors ? cJSON_AddObjectToObject(vectors, c->vector_name) : NULL;
    if (!params || !cJSON_AddNumberToObject(params, "size", c->dim) ||
        !cJSON_AddStringToObject(params, "distance", distance_names[c->distance]))
        goto fail;
    if (c->sparse_name) {
        /* BM25: the client stores term-frequency weights, the server applies IDF. */
        cJSON *sparse = cJSON_AddObjectToObject(body, "sparse_vectors");
        cJSON *bm25 = sparse ? cJSON_AddObjectToObject(sparse, c->sparse_name) : NULL;
        if (!bm25 || !cJSON_AddStringToObject(bm25, "modifier", "idf"))
            goto fail;
    }
    cJSON *metadata = tq_fingerprint_metadata(c);
    if (!metadata || !cJSON_AddItemToObject(body, "metadata", metadata)) {
        cJSON_Delete(metadata);
        goto fail;
    }
    if (placement == TQ_PLACEMENT_TIERED &&
        !cJSON_AddStringToObject(body, "sharding_method", "custom"))
        goto fail;
    if (tq_placement_pooled(placement)) {
        cJSON *hnsw = cJSON_AddObjectToObject(body, "hnsw_config");
        if (!hnsw || !cJSON_AddNumberToObject(hnsw, "payload_m", 16) ||
            !cJSON_AddNumberToObject(hnsw, "m", 0))
            goto fail;
    }
    return body;
fail:
    cJSON_Delete(body);
    return NULL;
}

/* GET /collections/C/exists into *out. */
static tq_status_t exists(tq_op_call_t *call, int *out, tq_detail_t *detail)
{
    tq_response_t resp = {0};
    tq_status_t st =
        tq_op_send(call, TQ_REQ_COLLECTION_EXISTS, "GET", "/exists", NULL, 1, &resp, detail);
    if (st == TQ_OK)
        st = tq_exists_parse(resp.body, resp.len, call->client->options.max_json_depth, out,
                             detail);
    tq_response_free(&resp);
    return st;
}

/* PUT /collections/C/index for one field (keyword with is_tenant for tq_tenant in
 * the shared placement). Qdrant treats an existing index as success. */
static tq_status_t create_index(tq_op_call_t *call, const char *field, tq_field_type_t type,
                                int is_tenant, tq_detail_t *detail)
{
    tq_response_t resp = {0};
    tq_status_t st = TQ_OK;
    cJSON *body = cJSON_CreateObject();
    int ok = cJSON_AddStringToObject(body, "field_name", field) != NULL;
    if (ok && is_tenant) {
        cJSON *schema = cJSON_AddObjectToObject(body, "field_schema");
        ok = schema && cJSON_AddStringToObject(schema, "type", "keyword") &&
             cJSON_AddBoolToObject(schema, "is_tenant", 1);
    } else if (ok) {
        ok = cJSON_AddStringToObject(body, "field_schema", field_type_names[type]) != NULL;
    }
    if (!ok)
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    else
        st = tq_op_send(call, TQ_REQ_INDEX_CREATE, "PUT", "/index?wait=true", body, 1, &resp,
                        detail);
    cJSON_Delete(body);
    tq_response_free(&resp);
    return st;
}

tq_status_t tq_raw_onboard(const tenant_ctx_t *ctx, const tq_raw_collection_t *collection,
                           tq_detail_t *detail)
{
    tq_op_call_t call;
    tq_response_t resp = {0};
    cJSON *body = NULL;
    int present = 0;
    tq_status_t st = tq_op_begin(&call, __func__, ctx, collection, NULL, 0, TQ_OP_ADMIN, detail);
    if (st == TQ_OK)
        st = tq_fingerprint_placement(&call, detail);
    if (st == TQ_OK)
        st = exists(&call, &present, detail);
    if (st != TQ_OK)
        goto cleanup;
    if (!present) {
        body = collection_body(collection, call.route.placement);
        if (!body) {
            st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
            goto cleanup;
        }
        st = tq_op_send(&call, TQ_REQ_COLLECTION_CREATE, "PUT", "?timeout=60", body, 1, &resp,
                        detail);
        /* Another process may have created it between the check and the create: then
         * it is compared like any existing collection. */
        if (st == TQ_OK)
            tq_fingerprint_note(&call);
        else if (st == TQ_ECONFLICT)
            present = 1;
        else
            goto cleanup;
    }
    if (present)
        st = tq_fingerprint_onboard(&call, detail);
    if (st == TQ_OK && call.route.placement == TQ_PLACEMENT_TIERED)
        st = tq_shard_key_ensure(call.client, call.tenant->slot, call.endpoint,
                                 call.route.collection, TQ_TIERED_FALLBACK, 0, detail);
    if (st != TQ_OK)
        goto cleanup;
    st = create_index(&call, TQ_FIELD_TENANT, TQ_FIELD_KEYWORD,
                      tq_placement_pooled(call.route.placement), detail);
    if (st == TQ_OK)
        st = create_index(&call, TQ_FIELD_KEY, TQ_FIELD_KEYWORD, 0, detail);
    for (size_t i = 0; st == TQ_OK && i < collection->scope_count; i++)
        st = create_index(&call, collection->scope_fields[i], TQ_FIELD_KEYWORD, 0, detail);
    for (size_t i = 0; st == TQ_OK && i < collection->index_count; i++)
        st = create_index(&call, collection->indexes[i].field, collection->indexes[i].type, 0,
                          detail);
cleanup:
    cJSON_Delete(body);
    tq_response_free(&resp);
    return tq_op_end(&call, st, detail);
}

tq_status_t tq_raw_offboard(const tenant_ctx_t *ctx, const tq_raw_collection_t *collection,
                            tq_detail_t *detail)
{
    tq_op_call_t call;
    tq_sweep_t sweep = {0};
    tq_status_t st = tq_op_begin(&call, __func__, ctx, collection, NULL, 0, TQ_OP_ADMIN, detail);
    if (st == TQ_OK)
        st = tq_sweep_run(call.client, call.tenant, collection, 1, &sweep, detail);
    tq_sweep_free(&sweep);
    return tq_op_end(&call, st, detail);
}
