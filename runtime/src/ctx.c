/* ctx.c: tenant contexts, the client's private tenant table, and the per-request
 * credential choice.
 *
 * A context is a handle, not the tenant: routing, point ids, the leak guard and tokens
 * read the tenant id from the client's private table, which no API hands out a pointer
 * into. Every call checks the handle against that table (its address, slot, record
 * index and generation must match a live record, and the id copy it shows must still
 * read the same), so a handle that was freed, overwritten or made up fails the call
 * instead of acting as another tenant. Handles are owned by the client and reused only
 * for the same tenant, so even a stale pointer can never become another tenant's
 * context. docs/runtime.md ("Tenant contexts") gives the reasoning.
 *
 * Tokens list one collection with the least access the request needs ("r" for reads,
 * "prw" for point writes); a token minted for one collection or access level is never
 * used for another. Before the first token goes to an endpoint, the endpoint must show
 * that it refuses a token for a collection the token does not list. */
#include "ctx.h"

#include "alloc.h"
#include "detail.h"
#include "jwt.h"
#include "registry.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define JWT_RENEW_MARGIN_S 60
#define JWT_CACHE_MAX 64
#define TQ_CTX_MAGIC_LIVE 0x7471637478414c56ULL /* "tqctxALV" */
#define TQ_CTX_MAGIC_DEAD 0x7471637478444541ULL /* "tqctxDEA" */

/* Collections the RBAC proof names: a token listing the first is sent to the second.
 * Neither can be a routed name (those never start with "tq"). */
#define RBAC_PROBE_LISTED "tq-rbac-probe-listed"
#define RBAC_PROBE_PATH "/collections/tq-rbac-probe-unlisted/points/count"

tq_status_t tq_tenant_table_init(tq_client_t *client)
{
    const tq_registry_t *reg = client->registry;
    client->tenants = tq_calloc(reg->tenant_count ? reg->tenant_count : 1,
                                sizeof *client->tenants);
    if (!client->tenants)
        return TQ_ENOMEM;
    for (size_t i = 0; i < reg->tenant_count; i++) {
        tq_tenant_entry_t *e = &client->tenants[i];
        e->jwts = tq_calloc(JWT_CACHE_MAX, sizeof *e->jwts);
        if (!e->jwts)
            return TQ_ENOMEM;
        client->tenant_count++;
        pthread_rwlock_init(&e->lock, NULL);
        snprintf(e->tenant, sizeof e->tenant, "%s", reg->tenants[i].id);
        e->slot = i;
        e->placement = reg->tenants[i].placement;
        e->endpoint = reg->tenants[i].endpoint;
        pthread_mutex_init(&e->jwt_lock, NULL);
    }
    return TQ_OK;
}

void tq_tenant_table_destroy(tq_client_t *client)
{
    for (size_t i = 0; i < client->tenant_count; i++) {
        tq_tenant_entry_t *e = &client->tenants[i];
        for (size_t k = 0; k < e->jwt_count; k++)
            tq_free(e->jwts[k].token);
        tq_free(e->jwts);
        for (size_t k = 0; k < e->record_count; k++) {
            memset(e->records[k].handle, 0, sizeof *e->records[k].handle);
            tq_free(e->records[k].handle);
        }
        tq_free(e->records);
        pthread_mutex_destroy(&e->jwt_lock);
        pthread_rwlock_destroy(&e->lock);
    }
    tq_free(client->tenants);
    client->tenants = NULL;
    client->tenant_count = 0;
}

/* The entry a live, unaltered handle stands for, or NULL; *why says what failed.
 * Called with the lock of the entry the handle names held (read or write; see
 * entry_lock), or without a lock for a handle that names none. Reading the handle is safe even when it
 * is stale: handles are freed only with their client. */
static tq_tenant_entry_t *check_handle(const tenant_ctx_t *ctx, tq_status_t *status,
                                       const char **why)
{
    *status = TQ_EINVAL;
    if (ctx->magic == TQ_CTX_MAGIC_DEAD) {
        *why = "the context was freed (tq_ctx_free); make a new one with tq_ctx_new";
        return NULL;
    }
    tq_client_t *client = ctx->client;
    if (ctx->magic != TQ_CTX_MAGIC_LIVE || !client || client->magic != TQ_CLIENT_MAGIC ||
        ctx->slot >= client->tenant_count) {
        *why = "not a context made by tq_ctx_new (overwritten or forged)";
        return NULL;
    }
    tq_tenant_entry_t *e = &client->tenants[ctx->slot];
    if (ctx->index >= e->record_count || e->records[ctx->index].handle != ctx ||
        !e->records[ctx->index].live || e->records[ctx->index].generation != ctx->generation) {
        *why = "the context is stale or forged: its client holds no live record of it";
        return NULL;
    }
    if (strcmp(ctx->tenant, e->tenant) != 0) {
        *status = TQ_ETENANT;
        *why = "the context's tenant id was overwritten; a context is immutable";
        return NULL;
    }
    return e;
}

/* The lock guarding the records of the entry `ctx` names, or NULL when it names none
 * (not live, no client, a slot out of range: check_handle refuses those before it
 * reads any record). Each tenant entry has its own lock, so checking a handle never
 * waits on other tenants' calls, and no lock is shared by every call. Reading the
 * slot is safe: a handle is only ever reused for the same tenant. */
static pthread_rwlock_t *entry_lock(const tenant_ctx_t *ctx)
{
    const tq_client_t *client = ctx->client;
    if (ctx->magic != TQ_CTX_MAGIC_LIVE || !client || client->magic != TQ_CLIENT_MAGIC ||
        ctx->slot >= client->tenant_count)
        return NULL;
    return &client->tenants[ctx->slot].lock;
}

tq_status_t tq_ctx_resolve(const tenant_ctx_t *ctx, const char *function,
                           const tq_tenant_entry_t **entry, tq_detail_t *detail)
{
    if (!ctx)
        return tq_fail(detail, TQ_EINVAL, 0, "%s: the context is NULL", function);
    tq_status_t st;
    const char *why = NULL;
    pthread_rwlock_t *lock = entry_lock(ctx);
    if (lock)
        pthread_rwlock_rdlock(lock);
    const tq_tenant_entry_t *e = check_handle(ctx, &st, &why);
    if (lock)
        pthread_rwlock_unlock(lock);
    if (!e)
        return tq_fail(detail, st, 0, "%s: %s", function, why);
    *entry = e;
    return TQ_OK;
}

/* A handle for entry `e`: a dead one of the same tenant revived with a new generation,
 * else a new one. Called with the entry's lock held for writing. */
static tenant_ctx_t *handle_for(tq_client_t *client, tq_tenant_entry_t *e)
{
    tq_ctx_record_t *r = NULL;
    for (size_t i = 0; i < e->record_count && !r; i++) {
        if (!e->records[i].live)
            r = &e->records[i];
    }
    if (!r) {
        if (e->record_count == e->record_cap) {
            size_t cap = e->record_cap ? 2 * e->record_cap : 4;
            tq_ctx_record_t *bigger =
                tq_grow(e->records, e->record_count * sizeof *bigger, cap * sizeof *bigger);
            if (!bigger)
                return NULL;
            e->records = bigger;
            e->record_cap = cap;
        }
        tenant_ctx_t *h = tq_calloc(1, sizeof *h);
        if (!h)
            return NULL;
        r = &e->records[e->record_count++];
        memset(r, 0, sizeof *r);
        r->handle = h;
    }
    tenant_ctx_t *h = r->handle;
    r->generation++;
    r->live = 1;
    h->client = client;
    h->slot = e->slot;
    h->index = (size_t)(r - e->records);
    h->generation = r->generation;
    snprintf(h->tenant, sizeof h->tenant, "%s", e->tenant);
    h->magic = TQ_CTX_MAGIC_LIVE;
    return h;
}

tq_status_t tq_ctx_new(tq_client_t *client, const char *tenant_id, tenant_ctx_t **out,
                       tq_detail_t *detail)
{
    if (!client || !out)
        return tq_fail(detail, TQ_EINVAL, 0, "tq_ctx_new: %s is NULL",
                       !client ? "client" : "out");
    tq_status_t st = tq_tenant_id_validate(tenant_id, detail);
    if (st != TQ_OK)
        return st;
    const tq_registry_tenant_t *t = tq_registry_find(client->registry, tenant_id);
    if (!t)
        return tq_fail(detail, TQ_ETENANT, 0, "tenant \"%s\" is not in the registry", tenant_id);
    tq_tenant_entry_t *e = &client->tenants[t - client->registry->tenants];
    pthread_rwlock_wrlock(&e->lock);
    tenant_ctx_t *h = handle_for(client, e);
    pthread_rwlock_unlock(&e->lock);
    if (!h)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    *out = h;
    tq_detail_ok(detail);
    return TQ_OK;
}

void tq_ctx_free(tenant_ctx_t *ctx)
{
    if (!ctx || ctx->magic != TQ_CTX_MAGIC_LIVE || !ctx->client ||
        ctx->client->magic != TQ_CLIENT_MAGIC)
        return;
    tq_status_t st;
    const char *why;
    pthread_rwlock_t *lock = entry_lock(ctx);
    if (!lock)
        return;
    pthread_rwlock_wrlock(lock);
    tq_tenant_entry_t *e = check_handle(ctx, &st, &why);
    if (e) {
        /* The next context of this tenant may reuse the handle with a new generation;
         * until then every use of this one fails. */
        e->records[ctx->index].live = 0;
        e->records[ctx->index].generation++;
        memset(ctx->tenant, 0, sizeof ctx->tenant);
        ctx->magic = TQ_CTX_MAGIC_DEAD;
    }
    pthread_rwlock_unlock(lock);
}

const char *tq_ctx_tenant(const tenant_ctx_t *ctx)
{
    const tq_tenant_entry_t *e;
    return tq_ctx_resolve(ctx, "tq_ctx_tenant", &e, NULL) == TQ_OK ? ctx->tenant : NULL;
}

int tq_ctx_placement_override(const tenant_ctx_t *ctx)
{
    const tq_tenant_entry_t *e;
    return tq_ctx_resolve(ctx, "tq_ctx_placement_override", &e, NULL) == TQ_OK ? e->placement
                                                                               : -1;
}

void tq_auth_release(tq_auth_t *auth)
{
    tq_free(auth->owned);
    auth->owned = NULL;
    auth->secret = NULL;
}

const char *tq_endpoint_key_source(const tq_endpoint_t *ep)
{
    return ep->api_key_env ? ep->api_key_env : "no key variable";
}

static const char *access_name(tq_access_t access)
{
    return access == TQ_ACCESS_POINTS_RW ? "prw" : "r";
}

/* Finds or renews the cached token for (collection, endpoint, access); called with the
 * entry's lock held. Returns a copy in *copy. */
static tq_status_t cached_token(const tq_client_t *client, tq_tenant_entry_t *e,
                                const char *collection, size_t endpoint, tq_access_t access,
                                const char *key, char **copy)
{
    int64_t now = (int64_t)time(NULL);
    tq_jwt_entry_t *j = NULL;
    for (size_t i = 0; i < e->jwt_count; i++) {
        if (e->jwts[i].endpoint == endpoint && e->jwts[i].access == access &&
            strcmp(e->jwts[i].collection, collection) == 0)
            j = &e->jwts[i];
    }
    if (!j) {
        if (e->jwt_count == JWT_CACHE_MAX) {
            /* Full: reuse the slot that expires first. */
            j = &e->jwts[0];
            for (size_t i = 1; i < e->jwt_count; i++) {
                if (e->jwts[i].exp < j->exp)
                    j = &e->jwts[i];
            }
        } else {
            j = &e->jwts[e->jwt_count++];
        }
        tq_free(j->token);
        memset(j, 0, sizeof *j);
        snprintf(j->collection, sizeof j->collection, "%s", collection);
        j->endpoint = endpoint;
        j->access = access;
    }
    if (!j->token || j->exp - now < JWT_RENEW_MARGIN_S) {
        char *token = NULL;
        int64_t exp = now + client->options.jwt_ttl_s;
        tq_status_t st = tq_jwt_mint(key, e->tenant, collection, access_name(access), exp,
                                     &token);
        if (st != TQ_OK)
            return st;
        tq_free(j->token);
        j->token = token;
        j->exp = exp;
    }
    *copy = tq_strdup(j->token);
    return *copy ? TQ_OK : TQ_ENOMEM;
}

/* Sends a token that lists only RBAC_PROBE_LISTED to RBAC_PROBE_PATH: a server that
 * enforces JWT RBAC answers 403 before it looks the collection up. Any other answer
 * means tenant tokens would not be checked there. Definitive outcomes are cached in
 * the endpoint; transport failures are returned and the proof is tried again. */
static tq_status_t prove_rbac(tq_client_t *client, const tq_tenant_entry_t *tenant,
                              tq_endpoint_t *ep, tq_detail_t *detail)
{
    char *token = NULL;
    tq_status_t st = tq_jwt_mint(ep->api_key, "tq-rbac-probe", RBAC_PROBE_LISTED, "r",
                                 (int64_t)time(NULL) + 60, &token);
    if (st != TQ_OK)
        return tq_fail(detail, st, 0, "cannot mint the RBAC probe token");
    tq_request_t rq = {
        .kind = TQ_REQ_POINTS_COUNT,
        .method = "POST",
        .endpoint = ep,
        .path = RBAC_PROBE_PATH,
        .body = "{\"exact\":true}",
        .credential = TQ_CRED_BEARER,
        .secret = token,
        .tenant_slot = tenant->slot,
        .op = TQ_OP_ADMIN,
    };
    tq_response_t resp = {0};
    tq_detail_t probe;
    memset(&probe, 0, sizeof probe);
    st = tq_http_perform(client, &rq, &resp, &probe);
    tq_response_free(&resp);
    tq_free(token);
    if (st == TQ_EAUTH && probe.http_status == 403) {
        atomic_store(&ep->rbac_state, TQ_RBAC_ENFORCED);
        return TQ_OK;
    }
    if (st == TQ_EAUTH)
        return tq_fail(detail, TQ_EAUTH, probe.http_status,
                       "endpoint \"%s\" refused a token signed with the key from %s (HTTP %ld): "
                       "the server's API key differs, or it runs without jwt_rbac",
                       ep->name, tq_endpoint_key_source(ep), probe.http_status);
    if (st != TQ_OK && probe.http_status == 0)
        return tq_fail(detail, st, 0, "proving that endpoint \"%s\" enforces JWT RBAC: %s",
                       ep->name, probe.message);
    snprintf(ep->rbac_why, sizeof ep->rbac_why,
             "the server at endpoint \"%s\" does not enforce JWT RBAC: a token for another "
             "collection was answered with HTTP %ld, not 403; start it with an API key "
             "(QDRANT__SERVICE__API_KEY) and QDRANT__SERVICE__JWT_RBAC=true, or turn "
             "tenant_jwt off",
             ep->name, probe.http_status ? probe.http_status : 200L);
    atomic_store(&ep->rbac_state, TQ_RBAC_NOT_ENFORCED);
    return tq_fail(detail, TQ_EAUTH, 0, "%s", ep->rbac_why);
}

/* TQ_OK once the endpoint is known to enforce RBAC; proves it on first use. */
static tq_status_t rbac_checked(tq_client_t *client, const tq_tenant_entry_t *tenant,
                                tq_endpoint_t *ep, tq_detail_t *detail)
{
    int state = atomic_load(&ep->rbac_state);
    if (state == TQ_RBAC_UNPROVEN) {
        pthread_mutex_lock(&client->rbac_lock);
        state = atomic_load(&ep->rbac_state);
        tq_status_t st = TQ_OK;
        if (state == TQ_RBAC_UNPROVEN)
            st = prove_rbac(client, tenant, ep, detail);
        pthread_mutex_unlock(&client->rbac_lock);
        if (state == TQ_RBAC_UNPROVEN)
            return st;
    }
    if (state == TQ_RBAC_NOT_ENFORCED)
        return tq_fail(detail, TQ_EAUTH, 0, "%s", ep->rbac_why);
    return TQ_OK;
}

tq_status_t tq_ctx_auth(tq_client_t *client, const tq_tenant_entry_t *ctenant,
                        const tq_raw_route_t *route, size_t endpoint, int admin,
                        tq_access_t access, tq_auth_t *out, tq_detail_t *detail)
{
    /* The cache is the only mutable part of an entry, behind its own lock. */
    tq_tenant_entry_t *tenant = (tq_tenant_entry_t *)ctenant;
    tq_endpoint_t *ep = &client->endpoints[endpoint];
    memset(out, 0, sizeof *out);
    if (!ep->api_key) {
        if (client->options.tenant_jwt)
            return tq_fail(detail, TQ_EAUTH, 0,
                           "tenant_jwt needs the signing key of endpoint \"%s\", but %s is "
                           "unset",
                           ep->name, tq_endpoint_key_source(ep));
        out->kind = TQ_CRED_NONE;
        return TQ_OK;
    }
    if (admin || !client->options.tenant_jwt) {
        out->kind = TQ_CRED_API_KEY;
        out->secret = ep->api_key;
        return TQ_OK;
    }
    tq_status_t st = rbac_checked(client, tenant, ep, detail);
    if (st != TQ_OK)
        return st;
    pthread_mutex_lock(&tenant->jwt_lock);
    st = cached_token(client, tenant, route->collection, endpoint, access, ep->api_key,
                      &out->owned);
    pthread_mutex_unlock(&tenant->jwt_lock);
    if (st != TQ_OK)
        return tq_fail(detail, st, 0, "cannot mint a token for %s", route->collection);
    out->kind = TQ_CRED_BEARER;
    out->secret = out->owned;
    return TQ_OK;
}
