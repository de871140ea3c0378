/* route.c: where a context's requests for a schema collection go: the placement, the
 * endpoint and the Qdrant collection name.
 *
 * Names are built only from the descriptor (checked to [a-z][a-z0-9_]*) and the
 * validated tenant id, so they never hold a byte outside [A-Za-z0-9_-]. This file must
 * never take a collection name from anywhere else. */
#include "ctx.h"

#include "detail.h"
#include "fingerprint.h"
#include "retrieve.h"
#include "text.h"
#include "tiered.h"
#include "uuid.h"

#include <stdio.h>
#include <string.h>

static int identifier_valid(const char *s)
{
    if (!s || s[0] < 'a' || s[0] > 'z' || strlen(s) > 64)
        return 0;
    for (const char *p = s; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    }
    return 1;
}

tq_status_t tq_collection_check(const tq_raw_collection_t *c, tq_detail_t *detail)
{
    if (!c)
        return tq_fail(detail, TQ_EINVAL, 0, "NULL collection descriptor");
    if (!identifier_valid(c->schema) || !identifier_valid(c->name))
        return tq_fail(detail, TQ_EINVAL, 0,
                       "collection descriptor: schema and name must match [a-z][a-z0-9_]{0,63}");
    if (!c->vector_name || !c->vector_name[0] || strlen(c->vector_name) > 64 ||
        !tq_text_printable_utf8(c->vector_name, strlen(c->vector_name)))
        return tq_fail(detail, TQ_EINVAL, 0, "collection %s.%s: bad vector name", c->schema,
                       c->name);
    if (c->dim == 0 || c->dim > 65536)
        return tq_fail(detail, TQ_EINVAL, 0, "collection %s.%s: dim must be 1..65536", c->schema,
                       c->name);
    if ((int)c->distance < 0 || c->distance > TQ_DISTANCE_MANHATTAN ||
        !tq_placement_name(c->default_placement))
        return tq_fail(detail, TQ_EINVAL, 0, "collection %s.%s: bad distance or placement",
                       c->schema, c->name);
    if ((c->scope_count && !c->scope_fields) || c->scope_count > 8 ||
        (c->index_count && !c->indexes))
        return tq_fail(detail, TQ_EINVAL, 0, "collection %s.%s: bad scope or index list",
                       c->schema, c->name);
    for (size_t i = 0; i < c->scope_count; i++) {
        if (!tq_text_field_name(c->scope_fields[i]))
            return tq_fail(detail, TQ_EINVAL, 0, "collection %s.%s: bad scope field name",
                           c->schema, c->name);
    }
    for (size_t i = 0; i < c->index_count; i++) {
        if (!tq_text_field_name(c->indexes[i].field) || (int)c->indexes[i].type < 0 ||
            c->indexes[i].type > TQ_FIELD_UUID)
            return tq_fail(detail, TQ_EINVAL, 0, "collection %s.%s: bad index declaration",
                           c->schema, c->name);
    }
    tq_status_t st = tq_fields_check(c, detail);
    return st == TQ_OK ? tq_retrieval_descriptor_check(c, detail) : st;
}

tq_status_t tq_scope_check(const tq_raw_collection_t *c, const char *const *values,
                           tq_detail_t *detail)
{
    if (c->scope_count == 0)
        return TQ_OK;
    if (!values)
        return tq_fail(detail, TQ_ESCOPE, 0, "collection %s.%s: scope values missing", c->schema,
                       c->name);
    for (size_t i = 0; i < c->scope_count; i++) {
        const char *v = values[i];
        size_t n = v ? strlen(v) : 0;
        if (n == 0)
            return tq_fail(detail, TQ_ESCOPE, 0, "scope %s: value is missing or empty",
                           c->scope_fields[i]);
        if (n > TQ_SCOPE_VALUE_MAX)
            return tq_fail(detail, TQ_ESCOPE, 0,
                           "scope %s: value is %zu bytes long; the limit is %d",
                           c->scope_fields[i], n, TQ_SCOPE_VALUE_MAX);
        size_t at;
        uint32_t cp;
        if (!tq_text_printable_utf8_at(v, n, &at, &cp)) {
            char why[160];
            tq_text_describe_bad(why, sizeof why, at, cp);
            return tq_fail(detail, TQ_ESCOPE, 0, "scope %s: value refused: %s",
                           c->scope_fields[i], why);
        }
    }
    return TQ_OK;
}

void tq_logical_name(const tq_raw_collection_t *c, char *out)
{
    snprintf(out, TQ_COLLECTION_NAME_MAX + 1, "%s-%s", c->schema, c->name);
}

size_t tq_route_endpoint_index(const tq_tenant_entry_t *tenant, const tq_raw_route_t *route)
{
    return route->placement == TQ_PLACEMENT_DEDICATED ? tenant->endpoint : 0;
}

tq_status_t tq_route_entry(const tq_client_t *client, const tq_tenant_entry_t *tenant,
                           const tq_raw_collection_t *collection, tq_raw_route_t *out,
                           tq_detail_t *detail)
{
    tq_status_t st = tq_collection_check(collection, detail);
    if (st != TQ_OK)
        return st;
    tq_placement_t placement = tenant->placement >= 0 ? (tq_placement_t)tenant->placement
                                                      : collection->default_placement;
    if (placement == TQ_PLACEMENT_DEDICATED && tenant->endpoint == 0)
        return tq_fail(detail, TQ_ETENANT, 0,
                       "tenant \"%s\" uses the dedicated placement for %s.%s but the registry "
                       "gives it no endpoint of its own",
                       tenant->tenant, collection->schema, collection->name);
    tq_raw_route_t r;
    memset(&r, 0, sizeof r);
    r.placement = placement;
    char revision[16] = "";
    if (collection->revision > 1) /* revision 1 keeps the names of before revisions */
        snprintf(revision, sizeof revision, "-r%lu", (unsigned long)collection->revision);
    if (placement == TQ_PLACEMENT_SHARED)
        snprintf(r.collection, sizeof r.collection, "%s-%s%s", collection->schema,
                 collection->name, revision);
    else if (placement == TQ_PLACEMENT_TIERED) /* custom sharding: never the shared one */
        snprintf(r.collection, sizeof r.collection, "%s-%s%s" TQ_TIERED_SUFFIX,
                 collection->schema, collection->name, revision);
    else
        snprintf(r.collection, sizeof r.collection, "%s-%s%s--%s", collection->schema,
                 collection->name, revision, tenant->tenant);
    const tq_endpoint_t *ep = &client->endpoints[tq_route_endpoint_index(tenant, &r)];
    r.endpoint_name = ep->name;
    r.endpoint_url = ep->url;
    *out = r;
    tq_detail_ok(detail);
    return TQ_OK;
}

tq_status_t tq_raw_route(const tenant_ctx_t *ctx, const tq_raw_collection_t *collection,
                         tq_raw_route_t *out, tq_detail_t *detail)
{
    const tq_tenant_entry_t *tenant;
    tq_status_t st = tq_ctx_resolve(ctx, "tq_raw_route", &tenant, detail);
    if (st == TQ_OK && !out)
        st = tq_fail(detail, TQ_EINVAL, 0, "tq_raw_route: out is NULL");
    if (st != TQ_OK)
        return st;
    return tq_route_entry(ctx->client, tenant, collection, out, detail);
}

tq_status_t tq_key_check(const char *key, tq_detail_t *detail)
{
    size_t n = key ? strlen(key) : 0;
    if (n == 0)
        return tq_fail(detail, TQ_EINVAL, 0, "point key is missing or empty");
    if (n > TQ_KEY_MAX)
        return tq_fail(detail, TQ_EINVAL, 0, "point key is %zu bytes long; the limit is %d", n,
                       TQ_KEY_MAX);
    size_t at;
    uint32_t cp;
    if (!tq_text_printable_utf8_at(key, n, &at, &cp)) {
        char why[160];
        tq_text_describe_bad(why, sizeof why, at, cp);
        return tq_fail(detail, TQ_EINVAL, 0, "point key refused: %s", why);
    }
    return TQ_OK;
}

tq_status_t tq_raw_point_id(const tenant_ctx_t *ctx, const tq_raw_collection_t *collection,
                            const char *const *scope_values, const char *key,
                            char out[TQ_UUID_STR_LEN + 1], tq_detail_t *detail)
{
    const tq_tenant_entry_t *tenant;
    tq_status_t st = tq_ctx_resolve(ctx, "tq_raw_point_id", &tenant, detail);
    if (st == TQ_OK && !out)
        st = tq_fail(detail, TQ_EINVAL, 0, "tq_raw_point_id: out is NULL");
    if (st == TQ_OK)
        st = tq_collection_check(collection, detail);
    if (st == TQ_OK)
        st = tq_scope_check(collection, scope_values, detail);
    if (st == TQ_OK)
        st = tq_key_check(key, detail);
    if (st != TQ_OK)
        return st;
    char logical[TQ_COLLECTION_NAME_MAX + 1];
    tq_logical_name(collection, logical);
    st = tq_point_id_derive(tenant->tenant, logical, scope_values, collection->scope_count, key,
                            out);
    if (st != TQ_OK)
        return tq_fail(detail, st, 0, "cannot derive the point id");
    tq_detail_ok(detail);
    return TQ_OK;
}
