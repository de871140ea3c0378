/* tiered.h: the tiered placement (Qdrant's tiered multitenancy): one custom-sharded
 * collection per schema collection, a "default" shard for small tenants and a shard
 * key of its own for each promoted tenant (see tiered.c). */
#ifndef TQ_TIERED_H
#define TQ_TIERED_H

#include "http.h"

#include <cjson/cJSON.h>
#include <tenantq/raw.h>

/* The suffix of a tiered collection's name: "<schema>-<name>[-rN]-tiered". */
#define TQ_TIERED_SUFFIX "-tiered"

/* The fallback shard key every tiered collection has: unpromoted tenants live there. */
#define TQ_TIERED_FALLBACK "default"

/* Whether a placement keeps many tenants in one collection, told apart by tq_tenant
 * (shared and tiered): reads, counts and deletes there always carry the tenant filter,
 * and the collection is never deleted for one tenant. */
int tq_placement_pooled(tq_placement_t placement);

/* The selector a tiered tenant's requests carry: {"target": tenant, "fallback":
 * "default"}. NULL when out of memory. */
cJSON *tq_tiered_selector(const char *tenant);

/* `text`, a printed JSON object, with "shard_key": tq_tiered_selector(tenant) as its
 * first member, into *out (free with cJSON_free). TQ_EINVAL when `text` is not an
 * object, TQ_ENOMEM. The tenant id is validated ([a-z0-9_-]), so it needs no escape. */
tq_status_t tq_tiered_inject(const char *text, const char *tenant, char **out,
                             tq_detail_t *detail);

/* The string shard keys of a custom-sharded collection (GET .../shards) into *keys, a
 * tq_malloc'd array of tq_malloc'd strings (free with tq_admin_names_free).
 * TQ_ENOTFOUND when the collection does not exist. */
tq_status_t tq_shard_keys_list(tq_client_t *client, size_t slot, size_t endpoint,
                               const char *collection, char ***keys, size_t *count,
                               tq_detail_t *detail);

/* Whether `key` is among the collection's shard keys, into *out. */
tq_status_t tq_shard_key_exists(tq_client_t *client, size_t slot, size_t endpoint,
                                const char *collection, const char *key, int *out,
                                tq_detail_t *detail);

/* Creates shard key `key` unless it exists; with `partial`, in replica state "Partial"
 * (selectors with it as target keep reading the fallback until replicate_points has
 * filled it). Idempotent. */
tq_status_t tq_shard_key_ensure(tq_client_t *client, size_t slot, size_t endpoint,
                                const char *collection, const char *key, int partial,
                                tq_detail_t *detail);

/* POST .../cluster {"replicate_points": {from, to, filter: tq_tenant = tenant}}. */
tq_status_t tq_replicate_points(tq_client_t *client, size_t slot, size_t endpoint,
                                const char *collection, const char *from, const char *to,
                                const char *tenant, tq_detail_t *detail);

/* Retires the tenant's own shard key: deletes the tenant's points in it, checks that
 * nothing is left (TQ_EVERIFY otherwise: a shard key is never dropped with another
 * tenant's points in it) and drops it. An absent key is TQ_OK. */
tq_status_t tq_shard_key_retire(tq_client_t *client, size_t slot, size_t endpoint,
                                const char *collection, const char *tenant,
                                tq_detail_t *detail);

/* Erases `tenant` from a tiered collection: its points in every shard key (by the
 * tenant filter), then its own shard key, which must then hold nothing (TQ_EVERIFY
 * otherwise: a shard key is never dropped with another tenant's points in it).
 * TQ_ENOTFOUND when the collection does not exist. */
tq_status_t tq_tiered_erase(tq_client_t *client, size_t slot, size_t endpoint,
                            const char *collection, const char *tenant, tq_detail_t *detail);

#endif
