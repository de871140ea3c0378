/* records.h: pieces shared by the point endpoints: shard selection, vector input,
 * with_payload/with_vector selectors and Record/ScoredPoint output. */
#ifndef DS_RECORDS_H
#define DS_RECORDS_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "ctx.h"
#include "filter.h"
#include "store.h"

#define DS_MAX_DIM 65536
#define DS_MAX_POINTS_PER_REQUEST 100000
#define DS_MAX_LIMIT 1000000

typedef struct ds_with {
    int all; /* 1: everything, 0: see lists */
    int none;
    const cJSON *include; /* array of strings or NULL */
    const cJSON *exclude;
} ds_with_t;

typedef struct ds_shard_sel {
    ds_shard_t *shards[64];
    size_t n;
} ds_shard_sel_t;

/* Parses a with_payload / with_vector value; `dflt` applies when node is NULL.
 * Returns 0 or -1 (response set). */
int ds_parse_with(ds_ctx_t *c, const cJSON *node, int dflt, int is_payload, ds_with_t *out);
/* The shortest decimal that reads back as `f`, as a double (Qdrant prints f32). */
double ds_float_json_value(float f);
/* A JSON array of the floats (shortest forms). NULL on OOM. */
cJSON *ds_float_array(const float *v, size_t dim);
/* Builds a Record (scored=0) or ScoredPoint (scored=1). NULL on OOM. */
cJSON *ds_point_json(const ds_collection_t *col, const ds_shard_t *shard, size_t slot,
                     const ds_with_t *wp, const ds_with_t *wv, int scored, double score);
/* Resolves a shard_key selector for a read (write=0) or write. With no selector a read
 * takes every shard and a write the only shard of an auto-sharded collection. Returns
 * 0 or -1 (response set). */
int ds_select_shards(ds_ctx_t *c, ds_collection_t *col, const cJSON *sel, int write,
                     ds_shard_sel_t *out);
/* 1 if k is a shard key (a string or u64). */
int ds_shard_key_valid(const cJSON *k);
/* Formats a shard key for messages. */
void ds_shard_key_text(const cJSON *key, char *buf, size_t len);
/* Copies a JSON number array of exactly `dim` entries into out (normalising for
 * Cosine). Returns 0 or -1 (response set: 400 dimension error / format error). */
int ds_read_vector(ds_ctx_t *c, const ds_vec_space_t *space, const cJSON *arr, float *out);
/* Parses the optional "filter" member. Returns 0 (filter may be NULL) or -1. */
int ds_read_filter(ds_ctx_t *c, const cJSON *body, ds_filter_t **out);
/* Reads an optional non-negative integer member; 0 ok, -1 (response set). */
int ds_read_uint(ds_ctx_t *c, const cJSON *body, const char *name, uint64_t dflt, uint64_t *out);
/* Finds the collection or sets the 404. */
ds_collection_t *ds_need_collection(ds_ctx_t *c, const char *name);
/* Ensures the body is a JSON object. Returns the body or NULL (response set). */
const cJSON *ds_need_object(ds_ctx_t *c);
/* Adds operation_id/status per the `wait` query parameter. */
cJSON *ds_update_result(ds_ctx_t *c, uint64_t op);

/* The slots a filtered scan must visit in one shard: the tenant list when the filter's
 * top-level `must` pins an is_tenant field to a value, else every slot (then `all` is
 * set and `n` is the slot count; callers skip dead slots). */
typedef struct ds_cands {
    const uint32_t *list;
    size_t n;
    int all;
    const void *known; /* filter condition every listed point satisfies, or NULL */
} ds_cands_t;
void ds_candidates(const ds_collection_t *col, const ds_shard_t *shard, const ds_filter_t *f,
                   ds_cands_t *out);
#endif
