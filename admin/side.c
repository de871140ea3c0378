/* side.c: a client and context for one tenant placed where the caller says, over the
 * registry's real endpoints, built from an in-memory copy of the registry.
 *
 * `migrate` opens one for the source and one for the target, so every physical name
 * comes from the runtime's own routing; `offboard` opens one for a tenant the registry
 * no longer lists, so its leftover data can still be found and erased. It never writes
 * the registry file. Requests to a tiered place carry the runtime's shard key selector,
 * or the one shard key the place is limited to. */
#include "side.h"

#include "client.h"
#include "detail.h"
#include "json.h"
#include "registry.h"
#include "tiered.h"

#include <cjson/cJSON.h>
#include <string.h>

/* A registry text with the real endpoints and only `tenant`, placed at `loc`. */
static char *side_registry_text(const tq_registry_t *reg, const char *tenant,
                                const adm_location_t *loc)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *eps = root ? cJSON_AddObjectToObject(root, "endpoints") : NULL;
    cJSON *tenants = NULL, *t = NULL;
    char *text = NULL;
    int ok = root && eps && cJSON_AddNumberToObject(root, "version", 1);
    for (size_t i = 0; ok && i < reg->endpoint_count; i++) {
        const tq_registry_endpoint_t *e = &reg->endpoints[i];
        if (!e->url)
            continue; /* the implicit default: TENANTQ_QDRANT_URL, as for the application */
        cJSON *o = cJSON_AddObjectToObject(eps, e->name);
        ok = o && cJSON_AddStringToObject(o, "url", e->url) &&
             (!e->api_key_env || cJSON_AddStringToObject(o, "api_key_env", e->api_key_env));
    }
    if (ok)
        tenants = cJSON_AddObjectToObject(root, "tenants");
    if (tenants)
        t = cJSON_AddObjectToObject(tenants, tenant);
    ok = ok && t;
    if (ok && (int)loc->placement != ADM_PLACEMENT_DEFAULT)
        ok = cJSON_AddStringToObject(t, "placement", tq_placement_name(loc->placement)) &&
             (loc->placement != TQ_PLACEMENT_DEDICATED ||
              cJSON_AddStringToObject(t, "endpoint", loc->endpoint));
    if (ok)
        text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return text;
}

tq_status_t adm_side_open(side_t *s, const tq_registry_t *reg, const char *tenant,
                             const adm_location_t *loc, tq_detail_t *detail)
{
    char *text = side_registry_text(reg, tenant, loc);
    if (!text)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    tq_status_t st = tq_registry_parse(text, strlen(text), "(migration side)", &s->registry,
                                       detail);
    cJSON_free(text);
    if (st == TQ_OK)
        st = tq_client_new(s->registry, NULL, &s->client, detail);
    if (st == TQ_OK)
        st = tq_ctx_new(s->client, tenant, &s->ctx, detail);
    tq_client_t *client = NULL;
    if (st == TQ_OK)
        st = tq_admin_ctx(s->ctx, &client, &s->slot, detail);
    return st;
}

void adm_side_close(side_t *s)
{
    tq_ctx_free(s->ctx);
    tq_client_free(s->client);
    tq_registry_free(s->registry);
    memset(s, 0, sizeof *s);
}

tq_status_t adm_place_of(const side_t *s, const tq_raw_collection_t *c, place_t *out,
                            tq_detail_t *detail)
{
    tq_status_t st = tq_raw_route(s->ctx, c, &out->route, detail);
    if (st != TQ_OK)
        return st;
    out->shard[0] = '\0';
    out->endpoint = tq_admin_endpoint_index(s->client, out->route.endpoint_name);
    return TQ_OK;
}

/* The shard key selector requests to a place carry into *out (NULL: none). */
static tq_status_t place_selector(const side_t *s, const place_t *p, cJSON **out,
                                  tq_detail_t *detail)
{
    *out = NULL;
    if (p->route.placement != TQ_PLACEMENT_TIERED)
        return TQ_OK;
    *out = p->shard[0] ? cJSON_CreateString(p->shard) : tq_tiered_selector(tq_ctx_tenant(s->ctx));
    return *out ? TQ_OK : tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
}

/* Adds the place's selector to a request body. */
static tq_status_t add_selector(const side_t *s, const place_t *p, cJSON *body,
                                tq_detail_t *detail)
{
    cJSON *sel = NULL;
    tq_status_t st = place_selector(s, p, &sel, detail);
    if (st == TQ_OK && sel && !cJSON_AddItemToObject(body, "shard_key", sel)) {
        cJSON_Delete(sel);
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    }
    return st;
}

tq_status_t adm_place_owned(const side_t *s, const place_t *p, int *out, tq_detail_t *detail)
{
    const char *tenant = tq_ctx_tenant(s->ctx);
    *out = 0;
    if (!tq_placement_pooled(p->route.placement))
        return tq_admin_exists(s->client, s->slot, p->endpoint, p->route.collection, out,
                               detail);
    if (p->route.placement != TQ_PLACEMENT_TIERED || (p->shard[0] && strcmp(p->shard, tenant)))
        return TQ_OK;
    tq_status_t st = tq_shard_key_exists(s->client, s->slot, p->endpoint, p->route.collection,
                                         tenant, out, detail);
    if (st == TQ_ENOTFOUND) { /* no collection, no shard key */
        tq_detail_ok(detail);
        return TQ_OK;
    }
    return st;
}

tq_status_t adm_tenant_points(const side_t *s, const place_t *p, uint64_t *out,
                                 tq_detail_t *detail)
{
    const char *tenant = tq_ctx_tenant(s->ctx);
    const char *filter = tq_placement_pooled(p->route.placement) ? tenant : NULL;
    tq_status_t st = TQ_OK;
    cJSON *sel = NULL;
    if (p->shard[0]) { /* a named shard key that does not exist holds nothing */
        int present = 0;
        st = tq_shard_key_exists(s->client, s->slot, p->endpoint, p->route.collection, p->shard,
                                 &present, detail);
        if (st == TQ_OK && !present) {
            *out = 0;
            return TQ_OK;
        }
        if (st == TQ_OK)
            st = place_selector(s, p, &sel, detail);
    }
    if (st == TQ_OK)
        st = tq_admin_count_in(s->client, s->slot, p->endpoint, p->route.collection, filter,
                               sel, out, detail);
    cJSON_Delete(sel);
    if (st == TQ_ENOTFOUND) {
        *out = 0;
        tq_detail_ok(detail);
        return TQ_OK;
    }
    return st;
}

tq_status_t adm_place_erase(const side_t *s, const place_t *p, tq_detail_t *detail)
{
    const char *tenant = tq_ctx_tenant(s->ctx);
    const char *name = p->route.collection;
    tq_status_t st;
    if (!tq_placement_pooled(p->route.placement)) {
        st = tq_admin_drop_collection(s->client, s->slot, p->endpoint, name, detail);
    } else if (p->route.placement == TQ_PLACEMENT_SHARED) {
        st = tq_admin_delete_tenant_points(s->client, s->slot, p->endpoint, name, tenant,
                                           detail);
    } else if (!p->shard[0]) {
        st = tq_tiered_erase(s->client, s->slot, p->endpoint, name, tenant, detail);
    } else if (strcmp(p->shard, tenant) == 0) {
        st = tq_shard_key_retire(s->client, s->slot, p->endpoint, name, tenant, detail);
    } else {
        int present = 0;
        cJSON *only = NULL;
        st = tq_shard_key_exists(s->client, s->slot, p->endpoint, name, p->shard, &present,
                                 detail);
        if (st == TQ_OK && present)
            st = (only = cJSON_CreateString(p->shard))
                     ? tq_admin_delete_in(s->client, s->slot, p->endpoint, name, tenant, only,
                                          detail)
                     : tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        cJSON_Delete(only);
    }
    if (st == TQ_ENOTFOUND) {
        tq_detail_ok(detail);
        return TQ_OK;
    }
    return st;
}

/* ---- scrolling and copying --------------------------------------------------------- */

/* One page of the tenant's points with vectors and payload; *root owns the answer and
 * *points points into it; *next is the next offset (NULL at the end). TQ_ELEAK when a
 * point's tq_tenant is not the tenant's: such a collection is not copied. */
tq_status_t adm_scroll_page(const side_t *s, const place_t *p, size_t limit,
                               const cJSON *offset, cJSON **root, cJSON **points,
                               const cJSON **next, tq_detail_t *detail)
{
    tq_response_t resp = {0};
    cJSON *body = cJSON_CreateObject();
    cJSON *filter = body ? cJSON_AddObjectToObject(body, "filter") : NULL;
    cJSON *must = filter ? cJSON_AddArrayToObject(filter, "must") : NULL;
    cJSON *cond = tq_json_match_keyword(TQ_FIELD_TENANT, tq_ctx_tenant(s->ctx));
    tq_status_t st = TQ_OK;
    if (must && cond && cJSON_AddItemToArray(must, cond))
        cond = NULL; /* now owned by the body */
    cJSON *off = offset ? cJSON_Duplicate(offset, 1) : NULL;
    if (off && cJSON_AddItemToObject(body, "offset", off))
        off = NULL;
    if (must)
        st = add_selector(s, p, body, detail);
    if (!must || cond || off || (offset && !cJSON_GetObjectItem(body, "offset")) ||
        !cJSON_AddNumberToObject(body, "limit", (double)limit) ||
        !cJSON_AddBoolToObject(body, "with_payload", 1) ||
        !cJSON_AddBoolToObject(body, "with_vector", 1))
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    cJSON_Delete(cond);
    cJSON_Delete(off);
    if (st == TQ_OK)
        st = tq_admin_request(s->client, s->slot, p->endpoint, p->route.collection,
                              TQ_REQ_POINTS_SCROLL, "POST", "/points/scroll", body, &resp,
                              detail);
    cJSON_Delete(body);
    if (st == TQ_OK)
        st = tq_json_parse_limited(resp.body, resp.len, 64, root, detail);
    tq_response_free(&resp);
    if (st != TQ_OK)
        return st;
    cJSON *result = cJSON_GetObjectItemCaseSensitive(*root, "result");
    *points = cJSON_GetObjectItemCaseSensitive(result, "points");
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(result, "next_page_offset");
    *next = n && !cJSON_IsNull(n) ? n : NULL;
    if (!cJSON_IsArray(*points))
        return tq_fail(detail, TQ_EPROTO, 0, "%s: scroll answer without points",
                       p->route.collection);
    const cJSON *pt;
    cJSON_ArrayForEach(pt, *points)
    {
        const cJSON *payload = cJSON_GetObjectItemCaseSensitive(pt, "payload");
        const cJSON *owner = cJSON_GetObjectItemCaseSensitive(payload, TQ_FIELD_TENANT);
        if (!cJSON_IsString(owner) || strcmp(owner->valuestring, tq_ctx_tenant(s->ctx)) != 0)
            return tq_fail(detail, TQ_ELEAK, 0,
                           "%s on endpoint \"%s\": a point that is not tenant \"%s\"'s came "
                           "back from a tenant-filtered scroll; nothing is copied",
                           p->route.collection, p->route.endpoint_name, tq_ctx_tenant(s->ctx));
        if (!cJSON_GetObjectItemCaseSensitive(pt, "id") ||
            !cJSON_GetObjectItemCaseSensitive(pt, "vector"))
            return tq_fail(detail, TQ_EPROTO, 0, "%s: a point without id or vector",
                           p->route.collection);
    }
    return TQ_OK;
}

/* Upserts a page of scrolled points (moved out of `points`) into the target. */
tq_status_t adm_upsert_page(const side_t *s, const place_t *p, cJSON *points,
                               tq_detail_t *detail)
{
    tq_response_t resp = {0};
    cJSON *body = cJSON_CreateObject();
    cJSON *list = body ? cJSON_AddArrayToObject(body, "points") : NULL;
    tq_status_t st = TQ_OK;
    while (list && cJSON_GetArraySize(points) > 0) {
        cJSON *src = cJSON_DetachItemFromArray(points, 0);
        cJSON *pt = cJSON_CreateObject();
        const char *keys[] = {"id", "vector", "payload"};
        int ok = pt != NULL && cJSON_AddItemToArray(list, pt);
        for (size_t k = 0; ok && k < 3; k++) {
            cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(src, keys[k]);
            ok = v && cJSON_AddItemToObject(pt, keys[k], v);
        }
        cJSON_Delete(src);
        if (!ok) {
            list = NULL;
            break;
        }
    }
    if (!list)
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    else
        st = add_selector(s, p, body, detail);
    if (st == TQ_OK)
        st = tq_admin_request(s->client, s->slot, p->endpoint, p->route.collection,
                              TQ_REQ_POINTS_UPSERT, "PUT", "/points?wait=true", body, &resp,
                              detail);
    cJSON_Delete(body);
    tq_response_free(&resp);
    return st;
}

/* The tenant's location in the loaded registry. */
void adm_current_location(const adm_env_t *env, const char *tenant, adm_location_t *out)
{
    const tq_registry_tenant_t *t = tq_registry_find(env->registry, tenant);
    memset(out, 0, sizeof *out);
    out->placement = (tq_placement_t)t->placement;
    snprintf(out->endpoint, sizeof out->endpoint, "%s",
             env->registry->endpoints[t->endpoint].name);
}
