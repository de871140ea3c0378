/* ctx.h: tenant contexts (handles checked on every call), the client's private tenant
 * table behind them, and the per-request credential choice. docs/runtime.md has the
 * reasoning ("Tenant contexts"). */
#ifndef TQ_CTX_H
#define TQ_CTX_H

#include <tenantq/raw.h>

#include "http.h"

/* What a token may do: Qdrant 1.19 collection access levels. */
typedef enum tq_access {
    TQ_ACCESS_READ = 0,      /* "r": search, count, scroll, get */
    TQ_ACCESS_POINTS_RW = 1  /* "prw": points read and write (upsert, delete) */
} tq_access_t;

typedef struct tq_jwt_entry {
    char collection[TQ_COLLECTION_NAME_MAX + 1];
    size_t endpoint;
    tq_access_t access;
    char *token;
    int64_t exp;
} tq_jwt_entry_t;

/* One context handle ever made for a tenant: the handle's address, its generation and
 * whether it is live. Private to the client; no API returns a pointer into it. */
typedef struct tq_ctx_record {
    tenant_ctx_t *handle;
    uint64_t generation;
    int live;
} tq_ctx_record_t;

/* The client's private view of one registry tenant. Routing, point ids, the leak
 * guard and tokens read the id from here, never from a handle. */
typedef struct tq_tenant_entry {
    char tenant[TQ_TENANT_ID_MAX + 1];
    size_t slot;     /* registry index, also the statistics slot */
    int placement;   /* override or -1 */
    size_t endpoint; /* the tenant's endpoint (used by the dedicated placement) */
    pthread_rwlock_t lock; /* guards records (ctx.c: entry_lock) */
    tq_ctx_record_t *records;
    size_t record_count, record_cap;
    pthread_mutex_t jwt_lock;
    tq_jwt_entry_t *jwts;
    size_t jwt_count;
} tq_tenant_entry_t;

/* The handle an application holds. Its fields only locate and authenticate the private
 * entry; `tenant` is the copy tq_ctx_tenant hands out and is only compared, never used
 * to route. */
struct tenant_ctx {
    uint64_t magic; /* TQ_CTX_MAGIC_LIVE while live, TQ_CTX_MAGIC_DEAD once freed */
    tq_client_t *client;
    size_t slot;
    size_t index; /* into the entry's records */
    uint64_t generation;
    char tenant[TQ_TENANT_ID_MAX + 1];
};

/* Builds and frees the client's tenant table (one entry per registry tenant). */
tq_status_t tq_tenant_table_init(tq_client_t *client);
void tq_tenant_table_destroy(tq_client_t *client);

/* Checks that `ctx` is a live handle made by tq_ctx_new for its client, not freed,
 * not altered: TQ_EINVAL (NULL, freed, stale, forged) or TQ_ETENANT (its tenant copy
 * was overwritten), with `function` named in the message. On success *entry is the
 * private tenant entry to route with. */
tq_status_t tq_ctx_resolve(const tenant_ctx_t *ctx, const char *function,
                           const tq_tenant_entry_t **entry, tq_detail_t *detail);

/* The credential for one request: a borrowed API key, or an owned token copy. */
typedef struct tq_auth {
    tq_credential_t kind;
    const char *secret;
    char *owned;
} tq_auth_t;

/* Chooses the credential for a request to `route`: the endpoint's API key for admin
 * requests or when tenant_jwt is off, else a cached or freshly minted token listing
 * route->collection only, with `access`. Before the first token goes to an endpoint,
 * proves that the endpoint enforces JWT RBAC (TQ_EAUTH otherwise). Release with
 * tq_auth_release. */
tq_status_t tq_ctx_auth(tq_client_t *client, const tq_tenant_entry_t *tenant,
                        const tq_raw_route_t *route, size_t endpoint, int admin,
                        tq_access_t access, tq_auth_t *out, tq_detail_t *detail);
void tq_auth_release(tq_auth_t *auth);

/* Where the endpoint's API key came from, for messages: the registry's api_key_env. */
const char *tq_endpoint_key_source(const tq_endpoint_t *endpoint);

/* The endpoint index of a route. */
size_t tq_route_endpoint_index(const tq_tenant_entry_t *tenant, const tq_raw_route_t *route);

/* Routes for an already resolved tenant (tq_raw_route without the handle check). */
tq_status_t tq_route_entry(const tq_client_t *client, const tq_tenant_entry_t *tenant,
                           const tq_raw_collection_t *collection, tq_raw_route_t *out,
                           tq_detail_t *detail);

/* Checks the descriptor generated code passes in; TQ_EINVAL with a reason. */
tq_status_t tq_collection_check(const tq_raw_collection_t *c, tq_detail_t *detail);

/* Checks scope values against the descriptor; TQ_ESCOPE with a reason. */
tq_status_t tq_scope_check(const tq_raw_collection_t *c, const char *const *values,
                           tq_detail_t *detail);

/* Checks a point key: non-empty printable UTF-8 of at most TQ_KEY_MAX bytes. */
tq_status_t tq_key_check(const char *key, tq_detail_t *detail);

/* "<schema>-<name>" into out (TQ_COLLECTION_NAME_MAX + 1 bytes). */
void tq_logical_name(const tq_raw_collection_t *c, char *out);

#endif
