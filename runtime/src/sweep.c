/* sweep.c: finding and erasing a tenant's data everywhere it can be, not only where
 * the registry points now.
 *
 * A tenant that moved placements (or whose registry entry was edited by hand) can
 * have points in its old collection, on another endpoint, in a shared collection or
 * in an older revision. Offboarding (tq_raw_offboard, and tenantq-admin offboard with
 * its erasure report) therefore lists every collection on every endpoint the registry
 * names and checks each one whose name the runtime could have produced for this
 * schema collection. It must never delete a collection shared with other tenants, and
 * never report a place as clean that it could not check. In a tiered collection it
 * deletes the tenant's points in every shard key, then the tenant's own shard key. */
#include "sweep.h"

#include "alloc.h"
#include "detail.h"
#include "json.h"
#include "tiered.h"

#include <stdio.h>
#include <string.h>

tq_sweep_kind_t tq_sweep_owner(const char *name, const char *logical,
                               char owner[TQ_TENANT_ID_MAX + 1])
{
    size_t n = strlen(logical);
    if (strncmp(name, logical, n) != 0)
        return TQ_SWEEP_NONE;
    const char *rest = name + n;
    if (*rest == '\0')
        return TQ_SWEEP_SHARED;
    if (*rest != '-')
        return TQ_SWEEP_NONE;
    const char *sep = strstr(rest, "--");
    size_t suffix = sizeof TQ_TIERED_SUFFIX - 1, len = strlen(rest);
    if (!sep && len >= suffix && strcmp(rest + len - suffix, TQ_TIERED_SUFFIX) == 0)
        return TQ_SWEEP_TIERED; /* "<logical>[-REV]-tiered" */
    if (!sep)
        return TQ_SWEEP_SHARED; /* a revision of the shared collection */
    const char *id = sep + 2;
    if (strlen(id) > TQ_TENANT_ID_MAX || tq_tenant_id_validate(id, NULL) != TQ_OK)
        return TQ_SWEEP_NONE;
    if (owner)
        strcpy(owner, id);
    return TQ_SWEEP_OWN;
}

tq_sweep_kind_t tq_sweep_classify(const char *name, const char *logical, const char *tenant)
{
    char owner[TQ_TENANT_ID_MAX + 1];
    tq_sweep_kind_t kind = tq_sweep_owner(name, logical, owner);
    if (kind == TQ_SWEEP_OWN && strcmp(owner, tenant) != 0)
        return TQ_SWEEP_NONE;
    return kind;
}

size_t tq_admin_endpoint_index(const tq_client_t *client, const char *name)
{
    for (size_t i = 0; i < client->endpoint_count; i++) {
        if (strcmp(client->endpoints[i].name, name) == 0)
            return i;
    }
    return (size_t)-1;
}

tq_status_t tq_admin_request(tq_client_t *client, size_t slot, size_t endpoint,
                             const char *collection, tq_request_kind_t kind, const char *method,
                             const char *suffix, const cJSON *body, tq_response_t *out,
                             tq_detail_t *detail)
{
    if (!client || !collection || endpoint >= client->endpoint_count ||
        strlen(collection) > TQ_COLLECTION_NAME_MAX)
        return tq_fail(detail, TQ_EINVAL, 0, "bad admin request");
    char escaped[3 * TQ_COLLECTION_NAME_MAX + 1];
    char path[3 * TQ_COLLECTION_NAME_MAX + 128];
    tq_path_escape(collection, escaped, sizeof escaped);
    snprintf(path, sizeof path, "/collections/%s%s", escaped, suffix);
    char *text = NULL;
    if (body && !(text = tq_json_print(body)))
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    const tq_endpoint_t *ep = &client->endpoints[endpoint];
    tq_request_t rq = {
        .kind = kind,
        .method = method,
        .endpoint = ep,
        .path = path,
        .body = text,
        .credential = ep->api_key ? TQ_CRED_API_KEY : TQ_CRED_NONE,
        .secret = ep->api_key,
        .tenant_slot = slot,
        .op = TQ_OP_ADMIN,
    };
    tq_status_t st = tq_http_perform(client, &rq, out, detail);
    cJSON_free(text);
    if (st == TQ_OK && (kind == TQ_REQ_POINTS_UPSERT || kind == TQ_REQ_POINTS_DELETE)) {
        /* A wait=true write counts only when the server says it completed. */
        tq_op_call_t call;
        memset(&call, 0, sizeof call);
        call.client = client;
        call.op = kind == TQ_REQ_POINTS_UPSERT ? TQ_OP_UPSERT : TQ_OP_DELETE;
        snprintf(call.route.collection, sizeof call.route.collection, "%s", collection);
        st = tq_write_ack_check(&call, out, detail);
    }
    return st;
}

tq_status_t tq_admin_send(tq_client_t *client, size_t slot, size_t endpoint,
                          const char *collection, tq_request_kind_t kind, const char *method,
                          const char *suffix, const cJSON *body, tq_detail_t *detail)
{
    tq_response_t resp = {0};
    tq_status_t st = tq_admin_request(client, slot, endpoint, collection, kind, method, suffix,
                                      body, &resp, detail);
    tq_response_free(&resp);
    return st;
}

void tq_admin_names_free(char **names, size_t count)
{
    for (size_t i = 0; names && i < count; i++)
        tq_free(names[i]);
    tq_free(names);
}

tq_status_t tq_admin_member_list(const cJSON *array, const char *member, int skip_other,
                                  char ***names, size_t *count, tq_detail_t *detail)
{
    size_t n = 0;
    char **list = tq_calloc((size_t)cJSON_GetArraySize(array) + 1, sizeof *list);
    if (!list)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    const cJSON *item;
    cJSON_ArrayForEach(item, array)
    {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(item, member);
        if (!cJSON_IsString(name) && skip_other)
            continue;
        tq_status_t st = !cJSON_IsString(name) ? tq_fail(detail, TQ_EPROTO, 0, "no %s", member)
                         : !(list[n] = tq_strdup(name->valuestring))
                             ? tq_fail(detail, TQ_ENOMEM, 0, "out of memory")
                             : TQ_OK;
        if (st != TQ_OK) {
            tq_admin_names_free(list, n);
            return st;
        }
        n++;
    }
    *names = list;
    *count = n;
    return TQ_OK;
}

tq_status_t tq_admin_list_collections(tq_client_t *client, size_t endpoint, char ***names,
                                      size_t *count, tq_detail_t *detail)
{
    if (endpoint >= client->endpoint_count)
        return tq_fail(detail, TQ_EINVAL, 0, "no endpoint %zu", endpoint);
    const tq_endpoint_t *ep = &client->endpoints[endpoint];
    tq_request_t rq = {
        .kind = TQ_REQ_COLLECTION_EXISTS, /* a read: retried like one */
        .method = "GET",
        .endpoint = ep,
        .path = "/collections",
        .credential = ep->api_key ? TQ_CRED_API_KEY : TQ_CRED_NONE,
        .secret = ep->api_key,
        .tenant_slot = (size_t)-1, /* no tenant's statistics */
        .op = TQ_OP_ADMIN,
    };
    tq_response_t resp = {0};
    cJSON *root = NULL;
    tq_status_t st = tq_http_perform(client, &rq, &resp, detail);
    if (st == TQ_OK)
        st = tq_json_parse_limited(resp.body, resp.len, client->options.max_json_depth, &root,
                                   detail);
    if (st != TQ_OK)
        goto cleanup;
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(root, "result");
    const cJSON *cols = cJSON_GetObjectItemCaseSensitive(result, "collections");
    if (!cJSON_IsArray(cols)) {
        st = tq_fail(detail, TQ_EPROTO, 0, "endpoint \"%s\": GET /collections: no collections "
                                           "array", ep->name);
        goto cleanup;
    }
    st = tq_admin_member_list(cols, "name", 0, names, count, detail);
    if (st == TQ_EPROTO)
        st = tq_fail(detail, TQ_EPROTO, 0, "endpoint \"%s\": a collection without a name",
                     ep->name);
cleanup:
    cJSON_Delete(root);
    tq_response_free(&resp);
    return st;
}

/* {"filter":{"must":[tq_tenant = tenant]}} (just {} when tenant is NULL). */
static cJSON *tenant_body(const char *tenant)
{
    cJSON *body = cJSON_CreateObject();
    if (!body || !tenant)
        return body;
    cJSON *filter = cJSON_AddObjectToObject(body, "filter");
    cJSON *must = filter ? cJSON_AddArrayToObject(filter, "must") : NULL;
    cJSON *cond = tq_json_match_keyword(TQ_FIELD_TENANT, tenant);
    if (!must || !cond || !cJSON_AddItemToArray(must, cond)) {
        cJSON_Delete(cond);
        cJSON_Delete(body);
        return NULL;
    }
    return body;
}

/* The tenant body with the selector `shard_key` (borrowed, NULL: none) added. */
static cJSON *selected_body(const char *tenant, const cJSON *shard_key)
{
    cJSON *body = tenant_body(tenant);
    cJSON *sel = body && shard_key ? cJSON_Duplicate(shard_key, 1) : NULL;
    if (sel && cJSON_AddItemToObject(body, "shard_key", sel))
        sel = NULL;
    if (!body || sel || (shard_key && !cJSON_GetObjectItem(body, "shard_key"))) {
        cJSON_Delete(sel);
        cJSON_Delete(body);
        return NULL;
    }
    return body;
}

tq_status_t tq_admin_count_in(tq_client_t *client, size_t slot, size_t endpoint,
                              const char *collection, const char *tenant,
                              const cJSON *shard_key, uint64_t *out, tq_detail_t *detail)
{
    tq_response_t resp = {0};
    cJSON *body = selected_body(tenant, shard_key);
    tq_status_t st = TQ_OK;
    if (!body || !cJSON_AddBoolToObject(body, "exact", 1))
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    if (st == TQ_OK)
        st = tq_admin_request(client, slot, endpoint, collection, TQ_REQ_POINTS_COUNT, "POST",
                              "/points/count", body, &resp, detail);
    if (st == TQ_OK)
        st = tq_count_parse(resp.body, resp.len, client->options.max_json_depth, out, detail);
    cJSON_Delete(body);
    tq_response_free(&resp);
    return st;
}

tq_status_t tq_admin_client_count(tq_client_t *client, size_t slot, size_t endpoint,
                                  const char *collection, const char *tenant, uint64_t *out,
                                  tq_detail_t *detail)
{
    return tq_admin_count_in(client, slot, endpoint, collection, tenant, NULL, out, detail);
}

tq_status_t tq_admin_delete_in(tq_client_t *client, size_t slot, size_t endpoint,
                               const char *collection, const char *tenant,
                               const cJSON *shard_key, tq_detail_t *detail)
{
    if (!tenant)
        return tq_fail(detail, TQ_EINVAL, 0, "a tenant filter is required");
    cJSON *body = selected_body(tenant, shard_key);
    tq_status_t st = body ? tq_admin_send(client, slot, endpoint, collection,
                                          TQ_REQ_POINTS_DELETE, "POST",
                                          "/points/delete?wait=true", body, detail)
                          : tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    cJSON_Delete(body);
    return st;
}

tq_status_t tq_admin_delete_tenant_points(tq_client_t *client, size_t slot, size_t endpoint,
                                          const char *collection, const char *tenant,
                                          tq_detail_t *detail)
{
    return tq_admin_delete_in(client, slot, endpoint, collection, tenant, NULL, detail);
}

tq_status_t tq_admin_exists(tq_client_t *client, size_t slot, size_t endpoint,
                            const char *collection, int *out, tq_detail_t *detail)
{
    tq_response_t resp = {0};
    tq_status_t st = tq_admin_request(client, slot, endpoint, collection,
                                      TQ_REQ_COLLECTION_EXISTS, "GET", "/exists", NULL, &resp,
                                      detail);
    if (st == TQ_OK)
        st = tq_exists_parse(resp.body, resp.len, client->options.max_json_depth, out, detail);
    tq_response_free(&resp);
    return st;
}

tq_status_t tq_admin_drop_collection(tq_client_t *client, size_t slot, size_t endpoint,
                                     const char *collection, tq_detail_t *detail)
{
    tq_response_t resp = {0};
    tq_status_t st = tq_admin_request(client, slot, endpoint, collection,
                                      TQ_REQ_COLLECTION_DELETE, "DELETE", "?timeout=60", NULL,
                                      &resp, detail);
    tq_response_free(&resp);
    return st == TQ_ENOTFOUND ? TQ_OK : st;
}

static tq_sweep_place_t *add_place(tq_sweep_t *s, const char *endpoint, const char *collection,
                                   tq_sweep_kind_t kind)
{
    tq_sweep_place_t *grown =
        tq_grow(s->places, s->count * sizeof *s->places, (s->count + 1) * sizeof *s->places);
    if (!grown)
        return NULL;
    s->places = grown;
    tq_sweep_place_t *p = &s->places[s->count++];
    memset(p, 0, sizeof *p);
    p->endpoint = endpoint;
    snprintf(p->collection, sizeof p->collection, "%s", collection);
    p->kind = kind;
    return p;
}

/* Counts, and with `erase` deletes and counts again, in one matched collection. */
static tq_status_t sweep_place(tq_client_t *client, const tq_tenant_entry_t *t,
                               size_t endpoint, tq_sweep_place_t *p, int erase,
                               tq_detail_t *detail)
{
    const char *filter = p->kind == TQ_SWEEP_OWN ? NULL : t->tenant;
    tq_status_t st = tq_admin_client_count(client, t->slot, endpoint, p->collection, filter,
                                           &p->found, detail);
    if (st == TQ_ENOTFOUND) /* deleted since the listing */
        return TQ_OK;
    p->remaining = p->found;
    if (st != TQ_OK || !erase)
        return st;
    if (p->kind == TQ_SWEEP_OWN) {
        int present = 1;
        st = tq_admin_drop_collection(client, t->slot, endpoint, p->collection, detail);
        if (st == TQ_OK)
            st = tq_admin_exists(client, t->slot, endpoint, p->collection, &present, detail);
        if (st != TQ_OK)
            return st;
        if (!present) {
            p->remaining = 0;
        } else {
            st = tq_admin_client_count(client, t->slot, endpoint, p->collection, NULL,
                                       &p->remaining, detail);
            if (st == TQ_OK)
                st = tq_fail(detail, TQ_EVERIFY, 0,
                             "offboard: collection %s on endpoint \"%s\" still exists after "
                             "its delete",
                             p->collection, p->endpoint);
        }
    } else {
        if (p->kind == TQ_SWEEP_TIERED) /* every shard key, then the tenant's own key */
            st = tq_tiered_erase(client, t->slot, endpoint, p->collection, t->tenant, detail);
        else if (p->found > 0)
            st = tq_admin_delete_tenant_points(client, t->slot, endpoint, p->collection,
                                               t->tenant, detail);
        if (st == TQ_OK)
            st = tq_admin_client_count(client, t->slot, endpoint, p->collection, t->tenant,
                                       &p->remaining, detail);
        if (st == TQ_ENOTFOUND) {
            st = TQ_OK;
            p->remaining = 0;
        }
    }
    if (st != TQ_OK && st != TQ_EVERIFY)
        return st;
    p->deleted = p->found > p->remaining ? p->found - p->remaining : 0;
    if (st == TQ_OK && p->remaining != 0)
        st = tq_fail(detail, TQ_EVERIFY, 0,
                     "offboard: %llu points of tenant \"%s\" remain in %s on endpoint \"%s\" "
                     "after the delete",
                     (unsigned long long)p->remaining, t->tenant, p->collection, p->endpoint);
    return st;
}

tq_status_t tq_sweep_run(tq_client_t *client, const tq_tenant_entry_t *tenant,
                         const tq_raw_collection_t *collection, int erase, tq_sweep_t *out,
                         tq_detail_t *detail)
{
    tq_status_t st = tq_collection_check(collection, detail);
    if (st != TQ_OK)
        return st;
    char logical[TQ_COLLECTION_NAME_MAX + 1];
    tq_logical_name(collection, logical);
    tq_status_t verify = TQ_OK;
    tq_detail_t first_verify;
    memset(&first_verify, 0, sizeof first_verify);
    for (size_t e = 0; e < client->endpoint_count; e++) {
        char **names = NULL;
        size_t n = 0;
        st = tq_admin_list_collections(client, e, &names, &n, detail);
        if (st != TQ_OK) {
            if (detail) {
                char why[TQ_DETAIL_MESSAGE_MAX];
                memcpy(why, detail->message, sizeof why);
                snprintf(detail->message, sizeof detail->message,
                         "endpoint \"%s\" cannot be listed, so it was not swept: %.400s",
                         client->endpoints[e].name, why);
            }
            return st;
        }
        out->endpoints_checked++;
        out->collections_listed += n;
        for (size_t i = 0; st == TQ_OK && i < n; i++) {
            tq_sweep_kind_t kind = tq_sweep_classify(names[i], logical, tenant->tenant);
            if (kind == TQ_SWEEP_NONE)
                continue;
            tq_sweep_place_t *p = add_place(out, client->endpoints[e].name, names[i], kind);
            if (!p) {
                st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
                break;
            }
            st = sweep_place(client, tenant, e, p, erase, detail);
            if (st == TQ_EVERIFY) {
                /* Keep erasing elsewhere; report the first place that kept data. */
                if (verify == TQ_OK && detail)
                    first_verify = *detail;
                verify = TQ_EVERIFY;
                st = TQ_OK;
            }
        }
        tq_admin_names_free(names, n);
        if (st != TQ_OK)
            return st;
    }
    if (verify != TQ_OK) {
        if (detail)
            *detail = first_verify;
        return verify;
    }
    tq_detail_ok(detail);
    return TQ_OK;
}

tq_status_t tq_sweep_tenant(const tenant_ctx_t *ctx, const tq_raw_collection_t *collection,
                            int erase, tq_sweep_t *out, tq_detail_t *detail)
{
    const tq_tenant_entry_t *entry = NULL;
    tq_status_t st = tq_ctx_resolve(ctx, "tq_sweep_tenant", &entry, detail);
    if (st != TQ_OK)
        return st;
    return tq_sweep_run(ctx->client, entry, collection, erase, out, detail);
}

tq_status_t tq_admin_ctx(const tenant_ctx_t *ctx, tq_client_t **client, size_t *slot,
                         tq_detail_t *detail)
{
    const tq_tenant_entry_t *entry = NULL;
    tq_status_t st = tq_ctx_resolve(ctx, "tq_admin_ctx", &entry, detail);
    if (st != TQ_OK)
        return st;
    *client = ctx->client;
    *slot = entry->slot;
    return TQ_OK;
}

void tq_sweep_free(tq_sweep_t *sweep)
{
    if (!sweep)
        return;
    tq_free(sweep->places);
    memset(sweep, 0, sizeof *sweep);
}
