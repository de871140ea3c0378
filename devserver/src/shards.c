/* shards.c: shard keys for custom-sharded collections (--cluster-mode only).
 *
 * A shard key is a separate point store inside the collection. Creating one with
 * initial_state "Partial" makes {target, fallback} selectors keep reading from the
 * fallback (and write to both) until replicate_points has copied the tenant over,
 * which is how Qdrant's tiered multitenancy promotes a tenant. The dispatcher answers
 * 405 for these endpoints when cluster mode is off.
 */
#include "handlers.h"

#include "records.h"

#include <stdio.h>
#include <string.h>

/* The body's shard_key (a string or u64), or NULL with the response set. */
static const cJSON *body_shard_key(ds_ctx_t *c, const cJSON *body)
{
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(body, "shard_key");
    if (!ds_shard_key_valid(key))
        ds_fail(c, 400, "Format error in JSON body: missing or invalid field `shard_key`");
    return ds_shard_key_valid(key) ? key : NULL;
}

static ds_collection_t *custom_collection(ds_ctx_t *c, const char *name)
{
    ds_collection_t *col = ds_need_collection(c, name);
    if (col && !col->custom_sharding) {
        ds_fail(c, 400,
                "Bad request: Shard keys are only available for collections with custom "
                "sharding");
        return NULL;
    }
    return col;
}

cJSON *ds_h_create_shard_key(ds_ctx_t *c, const char *name)
{
    const cJSON *body = ds_need_object(c);
    const cJSON *key = body ? body_shard_key(c, body) : NULL;
    if (!key)
        return NULL;
    const cJSON *state = cJSON_GetObjectItemCaseSensitive(body, "initial_state");
    if (state && !cJSON_IsNull(state) && !cJSON_IsString(state))
        return ds_fail(c, 400,
                       "Format error in JSON body: initial_state: invalid type: expected "
                       "ReplicaState");
    ds_collection_t *col = custom_collection(c, name);
    if (!col)
        return NULL;
    char kt[220];
    ds_shard_key_text(key, kt, sizeof kt);
    if (ds_collection_find_shard(col, key))
        return ds_fail(c, 400, "Bad request: Shard key %s already exists", kt);
    if (col->n_shards >= 64)
        return ds_fail(c, 400, "Bad request: at most 64 shard keys per collection are supported");
    ds_shard_t *sh = ds_collection_add_shard(col, key);
    if (!sh)
        return ds_fail(c, 500, "Service internal error: out of memory");
    sh->partial = cJSON_IsString(state) && strcmp(state->valuestring, "Partial") == 0;
    return cJSON_CreateTrue();
}

cJSON *ds_h_delete_shard_key(ds_ctx_t *c, const char *name)
{
    const cJSON *body = ds_need_object(c);
    const cJSON *key = body ? body_shard_key(c, body) : NULL;
    if (!key)
        return NULL;
    ds_collection_t *col = custom_collection(c, name);
    if (!col)
        return NULL;
    ds_shard_t *sh = ds_collection_find_shard(col, key);
    if (!sh) {
        char kt[220];
        ds_shard_key_text(key, kt, sizeof kt);
        return ds_fail(c, 400, "Wrong input: Shard key %s not found", kt);
    }
    ds_collection_remove_shard(col, sh);
    return cJSON_CreateTrue();
}

cJSON *ds_h_list_shard_keys(ds_ctx_t *c, const char *name)
{
    ds_collection_t *col = ds_need_collection(c, name);
    if (!col)
        return NULL;
    cJSON *r = cJSON_CreateObject();
    if (!r)
        return ds_fail(c, 500, "Service internal error: out of memory");
    if (!col->custom_sharding) {
        cJSON_AddNullToObject(r, "shard_keys");
        return r;
    }
    cJSON *arr = cJSON_AddArrayToObject(r, "shard_keys");
    for (size_t i = 0; arr && i < col->n_shards; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o)
            break;
        cJSON_AddItemToObject(o, "key", cJSON_Duplicate(col->shards[i]->key, 1));
        cJSON_AddItemToArray(arr, o);
    }
    return r;
}

cJSON *ds_h_cluster_update(ds_ctx_t *c, const char *name)
{
    const cJSON *body = ds_need_object(c);
    if (!body)
        return NULL;
    const cJSON *rp = cJSON_GetObjectItemCaseSensitive(body, "replicate_points");
    if (!cJSON_IsObject(rp))
        return ds_fail(c, 400,
                       "Bad request: only `replicate_points` is supported by "
                       "tenantq-devserver");
    const cJSON *from = cJSON_GetObjectItemCaseSensitive(rp, "from_shard_key");
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(rp, "to_shard_key");
    if (!ds_shard_key_valid(from) || !ds_shard_key_valid(to))
        return ds_fail(c, 400,
                       "Format error in JSON body: replicate_points: missing field "
                       "`from_shard_key` or `to_shard_key`");
    ds_filter_t *filter;
    if (ds_read_filter(c, rp, &filter) != 0)
        return NULL;
    ds_collection_t *col = custom_collection(c, name);
    if (!col)
        return NULL;
    ds_shard_t *src = ds_collection_find_shard(col, from);
    ds_shard_t *dst = ds_collection_find_shard(col, to);
    if (!src || !dst) {
        char kt[220];
        ds_shard_key_text(!src ? from : to, kt, sizeof kt);
        return ds_fail(c, 400, "Wrong input: Shard key %s not found", kt);
    }
    if (src == dst)
        return ds_fail(c, 400, "Bad request: source and target shard keys must differ");
    const float *vecs[DS_MAX_VECTOR_SPACES];
    for (size_t slot = 0; slot < src->n_slots; slot++) {
        const ds_point_t *p = &src->points[slot];
        if (!p->live || !ds_filter_match(filter, col, p))
            continue;
        for (size_t s = 0; s < col->n_spaces; s++)
            vecs[s] = (p->vec_mask >> s) & 1u ? ds_shard_vector(col, src, s, slot) : NULL;
        cJSON *payload = cJSON_Duplicate(p->payload, 1);
        ds_point_id_t id = p->id;
        const ds_svec_t *svecs[DS_MAX_VECTOR_SPACES];
        for (size_t s = 0; s < col->n_sparse; s++)
            svecs[s] = (p->sparse_mask >> s) & 1u ? &src->svecs[s][slot] : NULL;
        if (!payload || ds_shard_upsert(col, dst, &id, vecs, svecs, payload, p->version) != 0)
            return ds_fail(c, 500, "Service internal error: out of memory");
    }
    dst->partial = 0;
    return cJSON_CreateTrue();
}
