/* ctx.h: the tenant context's internal layout and the credential choice. */
#ifndef TQ_CTX_H
#define TQ_CTX_H

#include <tenantq/raw.h>

#include "http.h"

typedef struct tq_jwt_entry {
    char collection[TQ_COLLECTION_NAME_MAX + 1];
    size_t endpoint;
    char *token;
    int64_t exp;
} tq_jwt_entry_t;

struct tenant_ctx {
    tq_client_t *client;
    char tenant[TQ_TENANT_ID_MAX + 1];
    size_t slot;     /* registry index, also the statistics slot */
    int placement;   /* override or -1 */
    size_t endpoint; /* the tenant's endpoint (used by the dedicated placement) */
    pthread_mutex_t jwt_lock;
    tq_jwt_entry_t *jwts;
    size_t jwt_count;
};

/* The credential for one request: a borrowed API key, or an owned token copy. */
typedef struct tq_auth {
    tq_credential_t kind;
    const char *secret;
    char *owned;
} tq_auth_t;

/* Chooses the credential for a request to `route`: the endpoint's API key for admin
 * requests or when tenant_jwt is off, else a cached or freshly minted token listing
 * route->collection only. Release with tq_auth_release. */
tq_status_t tq_ctx_auth(const tenant_ctx_t *ctx, const tq_raw_route_t *route, size_t endpoint,
                        int admin, tq_auth_t *out, tq_detail_t *detail);
void tq_auth_release(tq_auth_t *auth);

/* The endpoint index of a route. */
size_t tq_route_endpoint_index(const tenant_ctx_t *ctx, const tq_raw_route_t *route);

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
