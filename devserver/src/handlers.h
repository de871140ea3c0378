/* handlers.h: endpoint handlers. Each returns the `result` to wrap in the envelope,
 * or NULL with the error response already set. `name` is the collection in the path. */
#ifndef DS_HANDLERS_H
#define DS_HANDLERS_H

#include <cjson/cJSON.h>

#include "ctx.h"

/* collections.c */
cJSON *ds_h_list_collections(ds_ctx_t *c);
cJSON *ds_h_create_collection(ds_ctx_t *c, const char *name);
cJSON *ds_h_get_collection(ds_ctx_t *c, const char *name);
cJSON *ds_h_delete_collection(ds_ctx_t *c, const char *name);
cJSON *ds_h_update_collection(ds_ctx_t *c, const char *name);
cJSON *ds_h_collection_exists(ds_ctx_t *c, const char *name);
/* A CreateCollection body that recreates `col` (for snapshots). NULL on OOM. */
cJSON *ds_collection_create_body(const ds_collection_t *col);
/* 1 when the name passes Qdrant's path rules (strict for creation). */
int ds_collection_name_ok(const char *name, int strict);

/* payload_index.c */
cJSON *ds_h_create_index(ds_ctx_t *c, const char *name);
cJSON *ds_h_delete_index(ds_ctx_t *c, const char *name, const char *field);
/* The payload_schema object for GET /collections/NAME. NULL on OOM. */
cJSON *ds_payload_schema(const ds_collection_t *col);

/* points.c */
cJSON *ds_h_upsert(ds_ctx_t *c, const char *name);
cJSON *ds_h_retrieve(ds_ctx_t *c, const char *name);
cJSON *ds_h_get_point(ds_ctx_t *c, const char *name, const char *id);
cJSON *ds_h_delete_points(ds_ctx_t *c, const char *name);
cJSON *ds_h_scroll(ds_ctx_t *c, const char *name);
cJSON *ds_h_count(ds_ctx_t *c, const char *name);

/* search.c */
cJSON *ds_h_query(ds_ctx_t *c, const char *name);
cJSON *ds_h_query_batch(ds_ctx_t *c, const char *name);
cJSON *ds_h_query_groups(ds_ctx_t *c, const char *name);
cJSON *ds_h_search(ds_ctx_t *c, const char *name);
cJSON *ds_h_search_batch(ds_ctx_t *c, const char *name);

/* shards.c */
cJSON *ds_h_create_shard_key(ds_ctx_t *c, const char *name);
cJSON *ds_h_delete_shard_key(ds_ctx_t *c, const char *name);
cJSON *ds_h_list_shard_keys(ds_ctx_t *c, const char *name);
cJSON *ds_h_cluster_update(ds_ctx_t *c, const char *name);

#endif
