/* ctx.c: tenant contexts and the per-request credential choice.
 *
 * A context is the only carrier of a tenant id into a request; it is made from an id
 * that passed tq_tenant_id_validate and is listed in the registry, and never changes
 * afterwards except for its private token cache. A token minted for one collection is
 * never used for another, and never for another context. */
#include "ctx.h"

#include "alloc.h"
#include "detail.h"
#include "jwt.h"
#include "registry.h"

#include <string.h>
#include <time.h>

#define JWT_RENEW_MARGIN_S 60
#define JWT_CACHE_MAX 64

tq_status_t tq_ctx_new(tq_client_t *client, const char *tenant_id, tenant_ctx_t **out,
                       tq_detail_t *detail)
{
    if (!client || !out)
        return tq_fail(detail, TQ_EINVAL, 0, "NULL argument");
    tq_status_t st = tq_tenant_id_validate(tenant_id, detail);
    if (st != TQ_OK)
        return st;
    const tq_registry_tenant_t *t = tq_registry_find(client->registry, tenant_id);
    if (!t)
        return tq_fail(detail, TQ_ETENANT, 0, "tenant \"%s\" is not in the registry", tenant_id);
    tenant_ctx_t *ctx = tq_calloc(1, sizeof *ctx);
    if (!ctx)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    ctx->jwts = tq_calloc(JWT_CACHE_MAX, sizeof *ctx->jwts);
    if (!ctx->jwts) {
        tq_free(ctx);
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    }
    ctx->client = client;
    strcpy(ctx->tenant, t->id);
    ctx->slot = (size_t)(t - client->registry->tenants);
    ctx->placement = t->placement;
    ctx->endpoint = t->endpoint;
    pthread_mutex_init(&ctx->jwt_lock, NULL);
    *out = ctx;
    tq_detail_ok(detail);
    return TQ_OK;
}

void tq_ctx_free(tenant_ctx_t *ctx)
{
    if (!ctx)
        return;
    for (size_t i = 0; i < ctx->jwt_count; i++)
        tq_free(ctx->jwts[i].token);
    tq_free(ctx->jwts);
    pthread_mutex_destroy(&ctx->jwt_lock);
    tq_free(ctx);
}

const char *tq_ctx_tenant(const tenant_ctx_t *ctx)
{
    return ctx ? ctx->tenant : NULL;
}

int tq_ctx_placement_override(const tenant_ctx_t *ctx)
{
    return ctx ? ctx->placement : -1;
}

void tq_auth_release(tq_auth_t *auth)
{
    tq_free(auth->owned);
    auth->owned = NULL;
    auth->secret = NULL;
}

/* Finds or renews the cached token for (collection, endpoint); called with the lock
 * held. Returns a copy in *copy. */
static tq_status_t cached_token(tenant_ctx_t *ctx, const char *collection, size_t endpoint,
                                const char *key, char **copy)
{
    int64_t now = (int64_t)time(NULL);
    tq_jwt_entry_t *e = NULL;
    for (size_t i = 0; i < ctx->jwt_count; i++) {
        if (ctx->jwts[i].endpoint == endpoint && strcmp(ctx->jwts[i].collection, collection) == 0)
            e = &ctx->jwts[i];
    }
    if (!e) {
        if (ctx->jwt_count == JWT_CACHE_MAX) {
            /* Full: reuse the slot that expires first. */
            e = &ctx->jwts[0];
            for (size_t i = 1; i < ctx->jwt_count; i++) {
                if (ctx->jwts[i].exp < e->exp)
                    e = &ctx->jwts[i];
            }
        } else {
            e = &ctx->jwts[ctx->jwt_count++];
        }
        tq_free(e->token);
        memset(e, 0, sizeof *e);
        strcpy(e->collection, collection);
        e->endpoint = endpoint;
    }
    if (!e->token || e->exp - now < JWT_RENEW_MARGIN_S) {
        char *token = NULL;
        int64_t exp = now + ctx->client->options.jwt_ttl_s;
        tq_status_t st = tq_jwt_mint(key, ctx->tenant, collection, exp, &token);
        if (st != TQ_OK)
            return st;
        tq_free(e->token);
        e->token = token;
        e->exp = exp;
    }
    *copy = tq_strdup(e->token);
    return *copy ? TQ_OK : TQ_ENOMEM;
}

tq_status_t tq_ctx_auth(const tenant_ctx_t *cctx, const tq_raw_route_t *route, size_t endpoint,
                        int admin, tq_auth_t *out, tq_detail_t *detail)
{
    tenant_ctx_t *ctx = (tenant_ctx_t *)cctx;
    const tq_endpoint_t *ep = &ctx->client->endpoints[endpoint];
    memset(out, 0, sizeof *out);
    if (!ep->api_key) {
        if (ctx->client->options.tenant_jwt)
            return tq_fail(detail, TQ_EAUTH, 0,
                           "tenant_jwt needs the signing key of endpoint \"%s\", but %s is "
                           "unset",
                           ep->name, ep->api_key_env ? ep->api_key_env : "no key variable");
        out->kind = TQ_CRED_NONE;
        return TQ_OK;
    }
    if (admin || !ctx->client->options.tenant_jwt) {
        out->kind = TQ_CRED_API_KEY;
        out->secret = ep->api_key;
        return TQ_OK;
    }
    pthread_mutex_lock(&ctx->jwt_lock);
    tq_status_t st = cached_token(ctx, route->collection, endpoint, ep->api_key, &out->owned);
    pthread_mutex_unlock(&ctx->jwt_lock);
    if (st != TQ_OK)
        return tq_fail(detail, st, 0, "cannot mint a token for %s", route->collection);
    out->kind = TQ_CRED_BEARER;
    out->secret = out->owned;
    return TQ_OK;
}
