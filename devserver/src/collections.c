/* collections.c: collection endpoints (list, create, get, update, delete, exists).
 *
 * A collection is created from a CreateCollection body: one unnamed vector space or a
 * map of named ones, optional custom sharding, and configuration sections that are
 * kept only to be reported back. Every collection starts with one shard, except a
 * custom-sharded one which starts with none until shard keys are created.
 */
#include "handlers.h"

#include "records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLLECTIONS 10000

int ds_collection_name_ok(const char *name, int strict)
{
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p & 0xC0) != 0x80)
            chars++;
        if (*p == '/')
            return 0;
        if (strict && (strchr("<>:\"\\|?*", *p) || *p == 0x1F))
            return 0;
    }
    return chars >= 1 && chars <= 255;
}

static const char *distance_name(ds_distance_t d)
{
    switch (d) {
    case DS_COSINE: return "Cosine";
    case DS_DOT: return "Dot";
    case DS_EUCLID: return "Euclid";
    case DS_MANHATTAN: return "Manhattan";
    }
    return "Cosine";
}

static int parse_space(ds_ctx_t *c, const cJSON *params, const char *name, ds_vec_space_t *sp)
{
    const char *prefix = *name ? name : "vectors";
    if (!cJSON_IsObject(params)) {
        ds_fail(c, 400,
                "Format error in JSON body: %s: data did not match any variant of untagged "
                "enum VectorsConfig",
                prefix);
        return -1;
    }
    const cJSON *size = cJSON_GetObjectItemCaseSensitive(params, "size");
    const cJSON *dist = cJSON_GetObjectItemCaseSensitive(params, "distance");
    uint64_t dim;
    if (!size || !dist) {
        ds_fail(c, 400, "Format error in JSON body: %s: missing field `%s`", prefix,
                !size ? "size" : "distance");
        return -1;
    }
    if (!ds_json_u64(size, &dim)) {
        ds_fail(c, 400, "Format error in JSON body: %s.size: invalid type: expected u64", prefix);
        return -1;
    }
    if (dim < 1 || dim > DS_MAX_DIM) {
        ds_fail(c, 422,
                "Validation error in JSON body: [vectors.size: value %llu invalid, must be in "
                "1..=%d]",
                (unsigned long long)dim, DS_MAX_DIM);
        return -1;
    }
    static const char *const names[] = {"Cosine", "Dot", "Euclid", "Manhattan"};
    int d = -1;
    for (int i = 0; i < 4 && cJSON_IsString(dist); i++)
        if (strcmp(dist->valuestring, names[i]) == 0)
            d = i;
    if (d < 0) {
        ds_fail(c, 400,
                "Format error in JSON body: %s.distance: unknown variant `%.100s`, expected one "
                "of `Cosine`, `Euclid`, `Dot`, `Manhattan`",
                prefix, cJSON_IsString(dist) ? dist->valuestring : "?");
        return -1;
    }
    const cJSON *mv = cJSON_GetObjectItemCaseSensitive(params, "multivector_config");
    if (mv && !cJSON_IsNull(mv)) {
        ds_fail(c, 400, "Bad request: multivectors are not supported by tenantq-devserver");
        return -1;
    }
    sp->name = strdup(name);
    sp->dim = (size_t)dim;
    sp->distance = (ds_distance_t)d;
    sp->extra = cJSON_CreateObject();
    if (!sp->name || !sp->extra) {
        ds_fail(c, 500, "Service internal error: out of memory");
        return -1;
    }
    for (const cJSON *k = params->child; k; k = k->next) {
        if (strcmp(k->string, "size") == 0 || strcmp(k->string, "distance") == 0 || cJSON_IsNull(k))
            continue;
        cJSON_AddItemToObject(sp->extra, k->string, cJSON_Duplicate(k, 1));
    }
    return 0;
}

/* Parses CreateCollection.sparse_vectors: name -> SparseVectorParams {index, modifier}. */
static int parse_sparse(ds_ctx_t *c, ds_collection_t *col, const cJSON *node)
{
    if (!node || cJSON_IsNull(node))
        return 0;
    if (!cJSON_IsObject(node)) {
        ds_fail(c, 400, "Format error in JSON body: sparse_vectors: invalid type: expected a map");
        return -1;
    }
    for (const cJSON *v = node->child; v; v = v->next) {
        if (col->n_sparse >= DS_MAX_VECTOR_SPACES) {
            ds_fail(c, 400, "Bad request: at most %d sparse vectors are supported",
                    DS_MAX_VECTOR_SPACES);
            return -1;
        }
        if (!cJSON_IsObject(v)) {
            ds_fail(c, 400,
                    "Format error in JSON body: sparse_vectors.%.100s: invalid type: expected "
                    "struct SparseVectorParams",
                    v->string);
            return -1;
        }
        const cJSON *mod = cJSON_GetObjectItemCaseSensitive(v, "modifier");
        if (mod && !cJSON_IsNull(mod) &&
            (!cJSON_IsString(mod) || (strcmp(mod->valuestring, "none") != 0 &&
                                      strcmp(mod->valuestring, "idf") != 0))) {
            ds_fail(c, 400,
                    "Format error in JSON body: sparse_vectors.%.100s.modifier: unknown variant "
                    "`%.50s`, expected `none` or `idf`",
                    v->string, cJSON_IsString(mod) ? mod->valuestring : "?");
            return -1;
        }
        const cJSON *idx = cJSON_GetObjectItemCaseSensitive(v, "index");
        if (idx && !cJSON_IsNull(idx) && !cJSON_IsObject(idx)) {
            ds_fail(c, 400,
                    "Format error in JSON body: sparse_vectors.%.100s.index: invalid type: "
                    "expected struct SparseIndexParams",
                    v->string);
            return -1;
        }
        ds_sparse_space_t *sp = &col->sparse[col->n_sparse++];
        sp->name = strdup(v->string);
        sp->idf = cJSON_IsString(mod) && strcmp(mod->valuestring, "idf") == 0;
        sp->extra = cJSON_CreateObject();
        if (!sp->name || !sp->extra) {
            ds_fail(c, 500, "Service internal error: out of memory");
            return -1;
        }
        for (const cJSON *k = v->child; k; k = k->next)
            if (!cJSON_IsNull(k))
                cJSON_AddItemToObject(sp->extra, k->string, cJSON_Duplicate(k, 1));
    }
    return 0;
}

/* Reads a metadata value (a JSON object, Qdrant's Payload); *out is NULL when absent
 * or null. 0 or -1 (response set). */
static int read_metadata(ds_ctx_t *c, const cJSON *body, const cJSON **out)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(body, "metadata");
    *out = NULL;
    if (!m || cJSON_IsNull(m))
        return 0;
    if (!cJSON_IsObject(m)) {
        ds_fail(c, 400, "Format error in JSON body: metadata: invalid type: expected a map");
        return -1;
    }
    *out = m;
    return 0;
}

/* Removes `key` as serde_json's Map::remove does with preserve_order (swap_remove):
 * the last member takes the removed member's place. */
static void swap_remove(cJSON *obj, const char *key)
{
    cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item)
        return;
    cJSON *last = obj->child->prev; /* cJSON keeps the last child in child->prev */
    if (last == item) {
        cJSON_Delete(cJSON_DetachItemViaPointer(obj, item));
        return;
    }
    cJSON_DetachItemViaPointer(obj, last);
    cJSON_ReplaceItemViaPointer(obj, item, last);
}

/* Qdrant's update_metadata (lib/collection/src/collection/collection_ops.rs): with no
 * metadata yet the given object is stored as is (nulls included); otherwise it is
 * merged key by key (utils.rs merge_map): null removes the key, any other value
 * replaces it in place or is appended. 0 or -1 on OOM. */
static int merge_metadata(ds_collection_t *col, const cJSON *given)
{
    if (!col->metadata) {
        col->metadata = cJSON_Duplicate(given, 1);
        return col->metadata ? 0 : -1;
    }
    for (const cJSON *k = given->child; k; k = k->next) {
        if (cJSON_IsNull(k)) {
            swap_remove(col->metadata, k->string);
            continue;
        }
        cJSON *dup = cJSON_Duplicate(k, 1);
        if (!dup)
            return -1;
        if (cJSON_GetObjectItemCaseSensitive(col->metadata, k->string))
            cJSON_ReplaceItemInObjectCaseSensitive(col->metadata, k->string, dup);
        else
            cJSON_AddItemToObject(col->metadata, k->string, dup);
    }
    return 0;
}

/* Overlays the given object on defaults (both JSON text), for config reporting. */
static cJSON *merged(const char *defaults, const cJSON *given)
{
    cJSON *out = cJSON_Parse(defaults);
    if (!out || !cJSON_IsObject(given))
        return out;
    for (const cJSON *k = given->child; k; k = k->next) {
        cJSON *dup = cJSON_Duplicate(k, 1);
        if (!dup)
            continue;
        if (cJSON_GetObjectItemCaseSensitive(out, k->string))
            cJSON_ReplaceItemInObjectCaseSensitive(out, k->string, dup);
        else
            cJSON_AddItemToObject(out, k->string, dup);
    }
    return out;
}

static const char hnsw_defaults[] = "{\"m\":16,\"ef_construct\":100,\"full_scan_threshold\":10000,"
                                    "\"max_indexing_threads\":0,\"on_disk\":false}";
static const char optimizer_defaults[] =
    "{\"deleted_threshold\":0.2,\"vacuum_min_vector_number\":1000,"
    "\"default_segment_number\":0,\"max_segment_size\":null,\"memmap_threshold\":null,"
    "\"indexing_threshold\":10000,\"flush_interval_sec\":5,\"max_optimization_threads\":null}";
static const char wal_defaults[] = "{\"wal_capacity_mb\":32,\"wal_segments_ahead\":0}";

cJSON *ds_h_create_collection(ds_ctx_t *c, const char *name)
{
    const cJSON *body = c->body ? ds_need_object(c) : NULL;
    if (c->body && !body)
        return NULL;
    if (ds_store_find(c->store, name))
        return ds_fail(c, 409, "Wrong input: Collection `%s` already exists!", name);
    if (c->store->n >= MAX_COLLECTIONS)
        return ds_fail(c, 400, "Bad request: too many collections (limit %d)", MAX_COLLECTIONS);
    ds_collection_t *col = calloc(1, sizeof *col);
    if (!col)
        return ds_fail(c, 500, "Service internal error: out of memory");
    col->name = strdup(name);
    col->next_op = 0;
    const cJSON *vectors = cJSON_GetObjectItemCaseSensitive(body, "vectors");
    if (vectors && !cJSON_IsNull(vectors)) {
        if (!cJSON_IsObject(vectors)) {
            ds_fail(c, 400,
                    "Format error in JSON body: vectors: data did not match any variant "
                    "of untagged enum VectorsConfig");
            goto fail;
        }
        if (cJSON_GetObjectItemCaseSensitive(vectors, "size") ||
            cJSON_GetObjectItemCaseSensitive(vectors, "distance")) {
            if (parse_space(c, vectors, "", &col->spaces[0]) != 0)
                goto fail;
            col->n_spaces = 1;
        } else {
            col->named = 1;
            for (const cJSON *v = vectors->child; v; v = v->next) {
                if (col->n_spaces >= DS_MAX_VECTOR_SPACES) {
                    ds_fail(c, 400, "Bad request: at most %d named vectors are supported",
                            DS_MAX_VECTOR_SPACES);
                    goto fail;
                }
                if (parse_space(c, v, v->string, &col->spaces[col->n_spaces]) != 0)
                    goto fail;
                col->n_spaces++;
            }
        }
    }
    if (parse_sparse(c, col, cJSON_GetObjectItemCaseSensitive(body, "sparse_vectors")) != 0)
        goto fail;
    for (size_t i = 0; i < col->n_sparse; i++) {
        if (ds_collection_space(col, col->sparse[i].name) >= 0) {
            ds_fail(c, 400, "Wrong input: Vector name `%.200s` is used by both a dense and a "
                            "sparse vector", col->sparse[i].name);
            goto fail;
        }
    }
    const cJSON *meta;
    if (read_metadata(c, body, &meta) != 0)
        goto fail;
    if (meta && !(col->metadata = cJSON_Duplicate(meta, 1))) {
        ds_fail(c, 500, "Service internal error: out of memory");
        goto fail;
    }
    const cJSON *sm = cJSON_GetObjectItemCaseSensitive(body, "sharding_method");
    if (sm && !cJSON_IsNull(sm)) {
        if (!cJSON_IsString(sm) ||
            (strcmp(sm->valuestring, "auto") != 0 && strcmp(sm->valuestring, "custom") != 0)) {
            ds_fail(c, 400,
                    "Format error in JSON body: sharding_method: unknown variant, expected "
                    "`auto` or `custom`");
            goto fail;
        }
        col->custom_sharding = strcmp(sm->valuestring, "custom") == 0;
    }
    col->params_extra = cJSON_CreateObject();
    static const char *const numeric[] = {"shard_number", "replication_factor",
                                          "write_consistency_factor"};
    for (size_t i = 0; i < 3; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, numeric[i]);
        uint64_t n = 1;
        if (v && !cJSON_IsNull(v) && !ds_json_u64(v, &n)) {
            ds_fail(c, 400, "Format error in JSON body: %s: invalid type: expected u32",
                    numeric[i]);
            goto fail;
        }
        if (v && !cJSON_IsNull(v) && n == 0) {
            ds_fail(c, 422,
                    "Validation error in JSON body: [%s: value 0 invalid, must be 1 or more]",
                    numeric[i]);
            goto fail;
        }
        cJSON_AddNumberToObject(col->params_extra, numeric[i], (double)n);
    }
    const cJSON *odp = cJSON_GetObjectItemCaseSensitive(body, "on_disk_payload");
    cJSON_AddBoolToObject(col->params_extra, "on_disk_payload", !odp || !cJSON_IsFalse(odp));
    col->hnsw_config = merged(hnsw_defaults, cJSON_GetObjectItemCaseSensitive(body, "hnsw_config"));
    col->optimizer_config =
        merged(optimizer_defaults, cJSON_GetObjectItemCaseSensitive(body, "optimizers_config"));
    col->wal_config = merged(wal_defaults, cJSON_GetObjectItemCaseSensitive(body, "wal_config"));
    const cJSON *qc = cJSON_GetObjectItemCaseSensitive(body, "quantization_config");
    if (qc && !cJSON_IsNull(qc))
        col->quantization_config = cJSON_Duplicate(qc, 1);
    if (!col->name || !col->params_extra || !col->hnsw_config || !col->optimizer_config ||
        !col->wal_config) {
        ds_fail(c, 500, "Service internal error: out of memory");
        goto fail;
    }
    if (!col->custom_sharding && !ds_collection_add_shard(col, NULL)) {
        ds_fail(c, 500, "Service internal error: out of memory");
        goto fail;
    }
    if (ds_store_add(c->store, col) != 0) {
        ds_fail(c, 500, "Service internal error: out of memory");
        goto fail;
    }
    return cJSON_CreateTrue();
fail:
    ds_collection_free(col);
    return NULL;
}

static cJSON *sparse_config(const ds_collection_t *col)
{
    cJSON *all = cJSON_CreateObject();
    for (size_t i = 0; all && i < col->n_sparse; i++)
        cJSON_AddItemToObject(all, col->sparse[i].name, cJSON_Duplicate(col->sparse[i].extra, 1));
    return all;
}

static cJSON *vectors_config(const ds_collection_t *col)
{
    cJSON *all = col->named || col->n_spaces == 0 ? cJSON_CreateObject() : NULL;
    for (size_t i = 0; i < col->n_spaces; i++) {
        const ds_vec_space_t *sp = &col->spaces[i];
        cJSON *o = cJSON_Duplicate(sp->extra, 1);
        if (!o)
            break;
        cJSON_AddNumberToObject(o, "size", (double)sp->dim);
        cJSON_AddStringToObject(o, "distance", distance_name(sp->distance));
        if (!col->named)
            return o;
        cJSON_AddItemToObject(all, sp->name, o);
    }
    return all;
}

cJSON *ds_h_get_collection(ds_ctx_t *c, const char *name)
{
    ds_collection_t *col = ds_need_collection(c, name);
    if (!col)
        return NULL;
    cJSON *r = cJSON_CreateObject();
    cJSON *cfg = cJSON_CreateObject();
    cJSON *params = cJSON_Duplicate(col->params_extra, 1);
    if (!r || !cfg || !params) {
        cJSON_Delete(r);
        cJSON_Delete(cfg);
        cJSON_Delete(params);
        return ds_fail(c, 500, "Service internal error: out of memory");
    }
    size_t count = ds_collection_count(col);
    cJSON_AddStringToObject(r, "status", "green");
    cJSON_AddStringToObject(r, "optimizer_status", "ok");
    cJSON_AddNumberToObject(r, "indexed_vectors_count", 0);
    cJSON_AddNumberToObject(r, "points_count", (double)count);
    cJSON_AddNumberToObject(r, "segments_count", (double)(col->n_shards ? col->n_shards : 1));
    cJSON_AddItemToObject(params, "vectors", vectors_config(col));
    if (col->custom_sharding)
        cJSON_AddStringToObject(params, "sharding_method", "custom");
    if (col->n_sparse)
        cJSON_AddItemToObject(params, "sparse_vectors", sparse_config(col));
    cJSON_AddItemToObject(cfg, "params", params);
    cJSON_AddItemToObject(cfg, "hnsw_config", cJSON_Duplicate(col->hnsw_config, 1));
    cJSON_AddItemToObject(cfg, "optimizer_config", cJSON_Duplicate(col->optimizer_config, 1));
    cJSON_AddItemToObject(cfg, "wal_config", cJSON_Duplicate(col->wal_config, 1));
    cJSON_AddItemToObject(cfg, "quantization_config",
                          col->quantization_config ? cJSON_Duplicate(col->quantization_config, 1)
                                                   : cJSON_CreateNull());
    if (col->metadata)
        cJSON_AddItemToObject(cfg, "metadata", cJSON_Duplicate(col->metadata, 1));
    cJSON_AddItemToObject(r, "config", cfg);
    cJSON_AddItemToObject(r, "payload_schema", ds_payload_schema(col));
    return r;
}

cJSON *ds_h_delete_collection(ds_ctx_t *c, const char *name)
{
    return cJSON_CreateBool(ds_store_remove(c->store, name));
}

cJSON *ds_h_update_collection(ds_ctx_t *c, const char *name)
{
    ds_collection_t *col = ds_need_collection(c, name);
    if (!col)
        return NULL;
    const cJSON *body = c->body ? ds_need_object(c) : NULL;
    if (c->body && !body)
        return NULL;
    const cJSON *meta;
    if (read_metadata(c, body, &meta) != 0)
        return NULL;
    const cJSON *sv = cJSON_GetObjectItemCaseSensitive(body, "sparse_vectors");
    if (sv && !cJSON_IsNull(sv) && !cJSON_IsObject(sv))
        return ds_fail(c, 400,
                       "Format error in JSON body: sparse_vectors: invalid type: expected a map");
    for (const cJSON *v = cJSON_IsObject(sv) ? sv->child : NULL; v; v = v->next) {
        const cJSON *mod = cJSON_GetObjectItemCaseSensitive(v, "modifier");
        if (!cJSON_IsObject(v) ||
            (mod && !cJSON_IsNull(mod) &&
             (!cJSON_IsString(mod) || (strcmp(mod->valuestring, "idf") != 0 &&
                                       strcmp(mod->valuestring, "none") != 0))))
            return ds_fail(c, 400,
                           "Format error in JSON body: sparse_vectors.%.100s: expected struct "
                           "SparseVectorParams with modifier `none` or `idf`",
                           v->string);
        if (ds_collection_sparse(col, v->string) < 0)
            return ds_fail(c, 400, "Wrong input: Not existing vector name error: %.200s",
                           v->string);
    }
    /* Everything is validated above; only now is the collection changed. */
    for (const cJSON *v = cJSON_IsObject(sv) ? sv->child : NULL; v; v = v->next) {
        ds_sparse_space_t *sp = &col->sparse[ds_collection_sparse(col, v->string)];
        const cJSON *mod = cJSON_GetObjectItemCaseSensitive(v, "modifier");
        if (cJSON_IsString(mod)) {
            sp->idf = strcmp(mod->valuestring, "idf") == 0;
            cJSON *dup = cJSON_Duplicate(mod, 1);
            if (dup && cJSON_GetObjectItemCaseSensitive(sp->extra, "modifier"))
                cJSON_ReplaceItemInObjectCaseSensitive(sp->extra, "modifier", dup);
            else if (dup)
                cJSON_AddItemToObject(sp->extra, "modifier", dup);
        }
    }
    if (meta && merge_metadata(col, meta) != 0)
        return ds_fail(c, 500, "Service internal error: out of memory");
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(body, "hnsw_config");
    if (cJSON_IsObject(h)) {
        for (const cJSON *k = h->child; k; k = k->next) {
            cJSON *dup = cJSON_Duplicate(k, 1);
            if (!dup)
                continue;
            if (cJSON_GetObjectItemCaseSensitive(col->hnsw_config, k->string))
                cJSON_ReplaceItemInObjectCaseSensitive(col->hnsw_config, k->string, dup);
            else
                cJSON_AddItemToObject(col->hnsw_config, k->string, dup);
        }
    }
    return cJSON_CreateTrue();
}

cJSON *ds_h_collection_exists(ds_ctx_t *c, const char *name)
{
    cJSON *r = cJSON_CreateObject();
    if (r)
        cJSON_AddBoolToObject(r, "exists", ds_store_find(c->store, name) != NULL);
    return r;
}

cJSON *ds_h_list_collections(ds_ctx_t *c)
{
    cJSON *r = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(r, "collections");
    if (!arr) {
        cJSON_Delete(r);
        return ds_fail(c, 500, "Service internal error: out of memory");
    }
    for (size_t i = 0; i < c->store->n; i++) {
        const char *n = c->store->cols[i]->name;
        if (!ds_access_can_see(&c->access, n))
            continue;
        cJSON *o = cJSON_CreateObject();
        if (!o)
            break;
        cJSON_AddStringToObject(o, "name", n);
        cJSON_AddItemToArray(arr, o);
    }
    return r;
}

cJSON *ds_collection_create_body(const ds_collection_t *col)
{
    cJSON *b = cJSON_Duplicate(col->params_extra, 1);
    if (!b)
        return NULL;
    if (col->n_spaces)
        cJSON_AddItemToObject(b, "vectors", vectors_config(col));
    if (col->n_sparse)
        cJSON_AddItemToObject(b, "sparse_vectors", sparse_config(col));
    if (col->metadata)
        cJSON_AddItemToObject(b, "metadata", cJSON_Duplicate(col->metadata, 1));
    if (col->custom_sharding)
        cJSON_AddStringToObject(b, "sharding_method", "custom");
    cJSON_AddItemToObject(b, "hnsw_config", cJSON_Duplicate(col->hnsw_config, 1));
    cJSON_AddItemToObject(b, "optimizers_config", cJSON_Duplicate(col->optimizer_config, 1));
    cJSON_AddItemToObject(b, "wal_config", cJSON_Duplicate(col->wal_config, 1));
    if (col->quantization_config)
        cJSON_AddItemToObject(b, "quantization_config",
                              cJSON_Duplicate(col->quantization_config, 1));
    return b;
}
