/* sweep.h: finding and erasing a tenant's data wherever it can be, and the admin
 * requests (not bound to one routed collection) that tenantq-admin builds on. */
#ifndef TQ_SWEEP_H
#define TQ_SWEEP_H

#include "http.h"
#include "request.h"

#include <stdint.h>

/* How a physical collection relates to a tenant. */
typedef enum tq_sweep_kind {
    TQ_SWEEP_NONE = 0,   /* not this schema collection, or another tenant's own */
    TQ_SWEEP_OWN = 1,    /* "<schema>-<name>[-REV]--<tenant>": the tenant's own collection */
    TQ_SWEEP_SHARED = 2, /* "<schema>-<name>[-REV]": shared by tenants */
    TQ_SWEEP_TIERED = 3  /* "<schema>-<name>[-REV]-tiered": shared, custom-sharded */
} tq_sweep_kind_t;

/* Classifies the physical collection `name` against the logical name `logical`
 * ("<schema>-<name>") and `tenant`. Schema and collection names cannot hold '-', so a
 * name belongs to `logical` when it equals it or continues with '-'; the first "--"
 * after that starts the tenant id. Revision suffixes ("-r2") keep their kind; a name
 * without "--" that ends in "-tiered" is the tiered collection. */
tq_sweep_kind_t tq_sweep_classify(const char *name, const char *logical, const char *tenant);

/* As tq_sweep_classify, but for any tenant: TQ_SWEEP_OWN with the owner's id copied to
 * owner[TQ_TENANT_ID_MAX + 1], TQ_SWEEP_SHARED, or TQ_SWEEP_NONE. */
tq_sweep_kind_t tq_sweep_owner(const char *name, const char *logical,
                               char owner[TQ_TENANT_ID_MAX + 1]);

/* One place checked by a sweep. */
typedef struct tq_sweep_place {
    const char *endpoint; /* the endpoint's name, owned by the registry */
    char collection[TQ_COLLECTION_NAME_MAX + 1];
    tq_sweep_kind_t kind;
    uint64_t found;     /* the tenant's points before (every point of an own collection) */
    uint64_t deleted;   /* points erased by this sweep */
    uint64_t remaining; /* the tenant's points counted afterwards (0 when verified) */
} tq_sweep_place_t;

typedef struct tq_sweep {
    tq_sweep_place_t *places;
    size_t count;
    size_t endpoints_checked;
    size_t collections_listed;
} tq_sweep_t;

/* Lists every collection on every endpoint of the client's registry and, for each
 * that tq_sweep_classify ties to `tenant` (a resolved entry) and `collection`, counts
 * the tenant's points; with `erase`, deletes them (an own collection whole, a shared
 * one by the tenant filter, a tiered one by the tenant filter in every shard key and
 * then the tenant's shard key) and counts again. Places are appended to `out` (zeroed by
 * the caller, freed with tq_sweep_free), also when the call fails part way. With
 * `erase`, TQ_EVERIFY when any point remains. An endpoint that cannot be listed fails
 * the sweep: a place that was not checked is never reported as clean. */
tq_status_t tq_sweep_run(tq_client_t *client, const tq_tenant_entry_t *tenant,
                         const tq_raw_collection_t *collection, int erase, tq_sweep_t *out,
                         tq_detail_t *detail);

/* tq_sweep_run for a context (checked with tq_ctx_resolve). */
tq_status_t tq_sweep_tenant(const tenant_ctx_t *ctx, const tq_raw_collection_t *collection,
                            int erase, tq_sweep_t *out, tq_detail_t *detail);

/* The client and statistics slot of a live context, for the admin requests below. */
tq_status_t tq_admin_ctx(const tenant_ctx_t *ctx, tq_client_t **client, size_t *slot,
                         tq_detail_t *detail);

void tq_sweep_free(tq_sweep_t *sweep);

/* ---- admin requests: the endpoint's API key, a collection named by the caller ---- */

/* Sends METHOD /collections/<collection, escaped><suffix> to endpoint index `endpoint`
 * with the endpoint's API key, counted as an admin operation of statistics slot `slot`
 * ((size_t)-1: none). Upserts and point deletes must come back "completed"
 * (tq_write_ack_check). */
tq_status_t tq_admin_request(tq_client_t *client, size_t slot, size_t endpoint,
                             const char *collection, tq_request_kind_t kind, const char *method,
                             const char *suffix, const cJSON *body, tq_response_t *out,
                             tq_detail_t *detail);

/* tq_admin_request for a request whose answer is not needed beyond its status. */
tq_status_t tq_admin_send(tq_client_t *client, size_t slot, size_t endpoint,
                          const char *collection, tq_request_kind_t kind, const char *method,
                          const char *suffix, const cJSON *body, tq_detail_t *detail);

/* The names of every collection on endpoint index `endpoint` (GET /collections).
 * *names is a tq_malloc'd array of tq_malloc'd strings; free with tq_admin_names_free. */
tq_status_t tq_admin_list_collections(tq_client_t *client, size_t endpoint, char ***names,
                                      size_t *count, tq_detail_t *detail);
void tq_admin_names_free(char **names, size_t count);

/* The string member `member` of every object in `array`, as for
 * tq_admin_list_collections. An object without it is TQ_EPROTO, or skipped with
 * `skip_other`. */
tq_status_t tq_admin_member_list(const cJSON *array, const char *member, int skip_other,
                                 char ***names, size_t *count, tq_detail_t *detail);

/* Exact count of the points in `collection` whose tq_tenant is `tenant` (NULL: every
 * point). TQ_ENOTFOUND when the collection does not exist. */
tq_status_t tq_admin_client_count(tq_client_t *client, size_t slot, size_t endpoint,
                                  const char *collection, const char *tenant, uint64_t *out,
                                  tq_detail_t *detail);

/* tq_admin_client_count with a shard key selector (borrowed JSON, NULL: none; a
 * custom-sharded collection answers reads without one from every shard). */
tq_status_t tq_admin_count_in(tq_client_t *client, size_t slot, size_t endpoint,
                              const char *collection, const char *tenant,
                              const cJSON *shard_key, uint64_t *out, tq_detail_t *detail);

/* tq_admin_delete_tenant_points with a shard key selector (borrowed, NULL: none; a
 * custom-sharded collection requires one for writes). */
tq_status_t tq_admin_delete_in(tq_client_t *client, size_t slot, size_t endpoint,
                               const char *collection, const char *tenant,
                               const cJSON *shard_key, tq_detail_t *detail);

/* Deletes every point whose tq_tenant is `tenant` (wait=true, checked completed).
 * TQ_ENOTFOUND when the collection does not exist. */
tq_status_t tq_admin_delete_tenant_points(tq_client_t *client, size_t slot, size_t endpoint,
                                          const char *collection, const char *tenant,
                                          tq_detail_t *detail);

/* Deletes the collection; an absent one is TQ_OK. */
tq_status_t tq_admin_drop_collection(tq_client_t *client, size_t slot, size_t endpoint,
                                     const char *collection, tq_detail_t *detail);

/* Whether the collection exists, into *out. */
tq_status_t tq_admin_exists(tq_client_t *client, size_t slot, size_t endpoint,
                            const char *collection, int *out, tq_detail_t *detail);

/* The endpoint index of `name` in the client, or (size_t)-1. */
size_t tq_admin_endpoint_index(const tq_client_t *client, const char *name);

#endif
