/* store.h: the in-memory data model: collections, shards, points, tenant lists. */
#ifndef DS_STORE_H
#define DS_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "ids.h"

#define DS_MAX_VECTOR_SPACES 64

typedef enum { DS_COSINE, DS_DOT, DS_EUCLID, DS_MANHATTAN } ds_distance_t;

typedef struct ds_vec_space {
    char *name; /* "" for the unnamed vector */
    size_t dim;
    ds_distance_t distance;
    cJSON *extra; /* other VectorParams fields as given (hnsw_config, on_disk...) */
} ds_vec_space_t;

/* A sparse vector space (`sparse_vectors` in CreateCollection). */
typedef struct ds_sparse_space {
    char *name;
    int idf;      /* modifier: "idf" */
    cJSON *extra; /* SparseVectorParams as given (index, modifier), for reporting */
} ds_sparse_space_t;

/* One stored sparse vector: `n` entries sorted by index, strictly increasing.
 * `idx` and `val` share one allocation owned by the shard (idx first). */
typedef struct ds_svec {
    uint32_t n;
    uint32_t *idx;
    float *val;
} ds_svec_t;

/* The slots (with their values) whose sparse vector lists one term. */
typedef struct ds_posting {
    uint32_t term;
    int used; /* the table entry is taken (it stays taken when the list empties) */
    uint32_t n, cap;
    uint32_t *slots;
    float *vals;
} ds_posting_t;

/* Term -> posting list, for one sparse space of one shard (open addressing), and the
 * number of points holding a vector of that space. */
typedef struct ds_inverted {
    ds_posting_t *tab;
    size_t cap, used;
    size_t docs;
} ds_inverted_t;

typedef struct ds_index {
    char *field;
    char *type;    /* keyword, integer, float, bool, text, uuid, datetime, geo */
    cJSON *params; /* the params object as given, or NULL for a bare type */
    int is_tenant;
} ds_index_t;

typedef struct ds_slots {
    uint32_t *items;
    size_t n, cap;
} ds_slots_t;

typedef struct ds_tenant_bucket {
    char *value;
    ds_slots_t slots;
    struct ds_tenant_bucket *next;
} ds_tenant_bucket_t;

/* value -> slots of points carrying that value in one is_tenant field. */
typedef struct ds_tenant_list {
    char *field;
    ds_tenant_bucket_t **buckets;
    size_t nbuckets, count;
} ds_tenant_list_t;

/* How one stored vector relates to its int8 codes (see quant.h). */
typedef struct ds_qmeta {
    float scale; /* vector ~= scale * codes */
    float err;   /* ||vector - scale * codes||_2 */
    float qnorm; /* ||scale * codes||_2 */
    float norm;  /* ||vector||_2 */
} ds_qmeta_t;

typedef struct ds_point {
    ds_point_id_t id;
    cJSON *payload; /* owned, never NULL for a live point */
    uint64_t version;
    uint64_t vec_mask;    /* bit i: vector space i present */
    uint64_t sparse_mask; /* bit i: sparse space i present */
    int live;
} ds_point_t;

typedef struct ds_shard {
    cJSON *key;  /* owned; NULL for the single shard of an auto-sharded collection */
    int partial; /* created with initial_state Partial and not yet filled */
    ds_point_t *points;
    size_t n_slots, cap_slots, n_live;
    float *vectors[DS_MAX_VECTOR_SPACES]; /* cap_slots * dim, contiguous */
    /* int8 codes (cap_slots * dim) and metadata of Cosine and Dot spaces, else NULL */
    int8_t *codes[DS_MAX_VECTOR_SPACES];
    ds_qmeta_t *qmeta[DS_MAX_VECTOR_SPACES];
    ds_svec_t *svecs[DS_MAX_VECTOR_SPACES]; /* cap_slots per sparse space */
    ds_inverted_t inv[DS_MAX_VECTOR_SPACES]; /* per sparse space */
    uint32_t *free_slots;
    size_t n_free;
    size_t *idmap; /* open addressing over slots */
    size_t idmap_cap, idmap_used;
    ds_tenant_list_t *tenants;
    size_t n_tenants;
} ds_shard_t;

typedef struct ds_collection {
    char *name;
    ds_vec_space_t spaces[DS_MAX_VECTOR_SPACES];
    size_t n_spaces;
    int named; /* vectors given as a map */
    ds_sparse_space_t sparse[DS_MAX_VECTOR_SPACES];
    size_t n_sparse;
    cJSON *metadata; /* CollectionConfig.metadata, NULL when never set */
    int custom_sharding;
    cJSON *params_extra; /* shard_number, replication_factor, ... as reported */
    cJSON *hnsw_config;
    cJSON *optimizer_config;
    cJSON *wal_config;
    cJSON *quantization_config;
    ds_index_t *indexes;
    size_t n_indexes;
    ds_shard_t **shards;
    size_t n_shards;
    uint64_t next_op;
} ds_collection_t;

typedef struct ds_store {
    ds_collection_t **cols;
    size_t n, cap;
} ds_store_t;

ds_collection_t *ds_store_find(ds_store_t *store, const char *name);
/* Appends the collection; 0 on success, -1 on OOM. */
int ds_store_add(ds_store_t *store, ds_collection_t *col);
/* Removes and frees; 1 if it existed. */
int ds_store_remove(ds_store_t *store, const char *name);
void ds_store_clear(ds_store_t *store);

void ds_collection_free(ds_collection_t *col);
/* Index of the vector space with that name, or -1. */
int ds_collection_space(const ds_collection_t *col, const char *name);
/* Index of the sparse vector space with that name, or -1. */
int ds_collection_sparse(const ds_collection_t *col, const char *name);
const ds_index_t *ds_collection_index(const ds_collection_t *col, const char *field);
/* Adds a shard with `key` (copied; NULL for auto). NULL on OOM. */
ds_shard_t *ds_collection_add_shard(ds_collection_t *col, const cJSON *key);
ds_shard_t *ds_collection_find_shard(ds_collection_t *col, const cJSON *key);
void ds_collection_remove_shard(ds_collection_t *col, ds_shard_t *shard);
size_t ds_collection_count(const ds_collection_t *col);
/* Rebuilds every shard's tenant lists after the index set changed. -1 on OOM. */
int ds_collection_reindex(ds_collection_t *col);

/* Slot of a live point with that id, or -1. */
long ds_shard_lookup(const ds_shard_t *shard, const ds_point_id_t *id);
/* Inserts or replaces a point. `vecs[i]` is the (already normalised) vector of space i
 * or NULL; `svecs[i]` (svecs itself may be NULL) the sparse vector of sparse space i,
 * sorted by index, or NULL; both are copied. `payload` is taken over (freed on failure
 * too). 0 on success, -1 on OOM. */
int ds_shard_upsert(ds_collection_t *col, ds_shard_t *shard, const ds_point_id_t *id,
                    const float *const *vecs, const ds_svec_t *const *svecs, cJSON *payload,
                    uint64_t version);
/* Deletes by id; 1 if it existed. */
int ds_shard_delete(ds_collection_t *col, ds_shard_t *shard, const ds_point_id_t *id);
/* The tenant list for `field` holding `value`, or NULL when the field is not an
 * is_tenant index (returns an empty list pointer via *found=0 when no such value). */
const ds_slots_t *ds_shard_tenant_slots(const ds_shard_t *shard, const char *field,
                                        const char *value, int *indexed);
static inline const float *ds_shard_vector(const ds_collection_t *col, const ds_shard_t *shard,
                                           size_t space, size_t slot)
{
    return shard->vectors[space] + slot * col->spaces[space].dim;
}

/* The posting list of `term`, or NULL when no point of the shard lists it. */
const ds_posting_t *ds_inverted_find(const ds_inverted_t *inv, uint32_t term);

/* L2-normalises in place unless zero or already unit length (Cosine rule). */
void ds_normalise(float *v, size_t dim);

#endif
