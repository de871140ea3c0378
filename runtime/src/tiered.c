/* tiered.c: the tiered placement, Qdrant's tiered multitenancy (1.16+).
 *
 * A tiered collection ("<schema>-<name>[-rN]-tiered") is created with custom sharding
 * and a "default" shard key. Every request of a tiered tenant carries the selector
 * {"target": <tenant>, "fallback": "default"}: Qdrant routes it to the tenant's own
 * shard key once that exists and is active, and to the fallback shard otherwise, so a
 * tenant is promoted (tenantq-admin migrate --to tiered: its shard key created
 * "Partial", replicate_points, delete from the fallback) without the application
 * noticing. The selector only picks shards: the tenant filter and the leak guard stay
 * on every request exactly as in the shared placement.
 *
 * The shard-key requests here are admin requests (the endpoint's API key); they must
 * never drop a shard key that still holds another tenant's points. */
#include "tiered.h"

#include "alloc.h"
#include "detail.h"
#include "json.h"
#include "sweep.h"

#include <stdio.h>
#include <string.h>

int tq_placement_pooled(tq_placement_t placement)
{
    return placement == TQ_PLACEMENT_SHARED || placement == TQ_PLACEMENT_TIERED;
}

cJSON *tq_tiered_selector(const char *tenant)
{
    cJSON *sel = cJSON_CreateObject();
    if (!sel || !cJSON_AddStringToObject(sel, "target", tenant) ||
        !cJSON_AddStringToObject(sel, "fallback", TQ_TIERED_FALLBACK)) {
        cJSON_Delete(sel);
        return NULL;
    }
    return sel;
}

tq_status_t tq_tiered_inject(const char *text, const char *tenant, char **out,
                             tq_detail_t *detail)
{
    if (!text || text[0] != '{')
        return tq_fail(detail, TQ_EINVAL, 0, "a tiered request body must be a JSON object");
    if (tq_tenant_id_validate(tenant, NULL) != TQ_OK)
        return tq_fail(detail, TQ_EINVAL, 0, "a tiered request for an invalid tenant id");
    static const char head[] = "{\"shard_key\":{\"target\":\"";
    static const char mid[] = "\",\"fallback\":\"" TQ_TIERED_FALLBACK "\"}";
    const char *rest = text + 1;
    while (*rest == ' ' || *rest == '\n' || *rest == '\t' || *rest == '\r')
        rest++;
    int empty = *rest == '}';
    size_t n = sizeof head - 1 + strlen(tenant) + sizeof mid - 1 + 1 + strlen(text) + 1;
    char *buf = cJSON_malloc(n);
    if (!buf)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    snprintf(buf, n, "%s%s%s%s%s", head, tenant, mid, empty ? "" : ",", empty ? rest : text + 1);
    *out = buf;
    return TQ_OK;
}

tq_status_t tq_shard_keys_list(tq_client_t *client, size_t slot, size_t endpoint,
                               const char *collection, char ***keys, size_t *count,
                               tq_detail_t *detail)
{
    tq_response_t resp = {0};
    cJSON *root = NULL;
    tq_status_t st = tq_admin_request(client, slot, endpoint, collection,
                                      TQ_REQ_COLLECTION_EXISTS, "GET", "/shards", NULL, &resp,
                                      detail);
    if (st == TQ_OK)
        st = tq_json_parse_limited(resp.body, resp.len, client->options.max_json_depth, &root,
                                   detail);
    tq_response_free(&resp);
    if (st != TQ_OK)
        goto cleanup;
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(root, "result");
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(result, "shard_keys");
    if (!cJSON_IsArray(arr)) {
        st = tq_fail(detail, TQ_EPROTO, 0,
                     "%s: no shard keys listed: the collection is not custom-sharded, so it "
                     "is not a tiered collection",
                     collection);
        goto cleanup;
    }
    /* Numeric keys are never tenantq's: skipped. */
    st = tq_admin_member_list(arr, "key", 1, keys, count, detail);
cleanup:
    cJSON_Delete(root);
    return st;
}

tq_status_t tq_shard_key_exists(tq_client_t *client, size_t slot, size_t endpoint,
                                const char *collection, const char *key, int *out,
                                tq_detail_t *detail)
{
    char **keys = NULL;
    size_t n = 0;
    tq_status_t st = tq_shard_keys_list(client, slot, endpoint, collection, &keys, &n, detail);
    if (st != TQ_OK)
        return st;
    *out = 0;
    for (size_t i = 0; i < n; i++)
        *out |= strcmp(keys[i], key) == 0;
    tq_admin_names_free(keys, n);
    return TQ_OK;
}

/* PUT .../shards or POST .../shards/delete with {"shard_key": key, ...}. */
static tq_status_t shard_key_request(tq_client_t *client, size_t slot, size_t endpoint,
                                     const char *collection, const char *key, int create,
                                     int partial, tq_detail_t *detail)
{
    cJSON *body = cJSON_CreateObject();
    tq_status_t st = TQ_OK;
    if (!body || !cJSON_AddStringToObject(body, "shard_key", key) ||
        (partial && !cJSON_AddStringToObject(body, "initial_state", "Partial")))
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    /* Not retried blindly (a lost answer would turn into "already exists"): the
     * callers list the keys first and again after a failure. */
    if (st == TQ_OK)
        st = tq_admin_send(client, slot, endpoint, collection, TQ_REQ_COLLECTION_CREATE,
                           create ? "PUT" : "POST",
                           create ? "/shards?timeout=60" : "/shards/delete?timeout=60", body,
                           detail);
    cJSON_Delete(body);
    return st;
}

tq_status_t tq_shard_key_ensure(tq_client_t *client, size_t slot, size_t endpoint,
                                const char *collection, const char *key, int partial,
                                tq_detail_t *detail)
{
    int present = 0;
    tq_status_t st = tq_shard_key_exists(client, slot, endpoint, collection, key, &present,
                                         detail);
    if (st != TQ_OK || present)
        return st;
    st = shard_key_request(client, slot, endpoint, collection, key, 1, partial, detail);
    if (st != TQ_OK) { /* created meanwhile (or by a request whose answer was lost)? */
        tq_detail_t why = detail ? *detail : (tq_detail_t){0};
        if (tq_shard_key_exists(client, slot, endpoint, collection, key, &present, NULL) ==
                TQ_OK &&
            present)
            st = TQ_OK;
        else if (detail)
            *detail = why;
    }
    if (st == TQ_OK)
        tq_detail_ok(detail);
    return st;
}

tq_status_t tq_replicate_points(tq_client_t *client, size_t slot, size_t endpoint,
                                const char *collection, const char *from, const char *to,
                                const char *tenant, tq_detail_t *detail)
{
    cJSON *body = cJSON_CreateObject();
    cJSON *rp = body ? cJSON_AddObjectToObject(body, "replicate_points") : NULL;
    cJSON *filter = rp ? cJSON_AddObjectToObject(rp, "filter") : NULL;
    cJSON *must = filter ? cJSON_AddArrayToObject(filter, "must") : NULL;
    cJSON *cond = tq_json_match_keyword(TQ_FIELD_TENANT, tenant);
    tq_status_t st = TQ_OK;
    if (must && cond && cJSON_AddItemToArray(must, cond))
        cond = NULL;
    if (!must || cond || !cJSON_AddStringToObject(rp, "from_shard_key", from) ||
        !cJSON_AddStringToObject(rp, "to_shard_key", to))
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    cJSON_Delete(cond);
    if (st == TQ_OK)
        st = tq_admin_send(client, slot, endpoint, collection, TQ_REQ_COLLECTION_CREATE, "POST",
                           "/cluster?timeout=60", body, detail);
    cJSON_Delete(body);
    return st;
}

tq_status_t tq_shard_key_retire(tq_client_t *client, size_t slot, size_t endpoint,
                                const char *collection, const char *tenant,
                                tq_detail_t *detail)
{
    int present = 0;
    tq_status_t st = tq_shard_key_exists(client, slot, endpoint, collection, tenant, &present,
                                         detail);
    if (st != TQ_OK || !present)
        return st;
    uint64_t left = 0;
    cJSON *only = cJSON_CreateString(tenant);
    st = only ? tq_admin_delete_in(client, slot, endpoint, collection, tenant, only, detail)
              : tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    if (st == TQ_OK)
        st = tq_admin_count_in(client, slot, endpoint, collection, NULL, only, &left, detail);
    cJSON_Delete(only);
    if (st == TQ_OK && left)
        return tq_fail(detail, TQ_EVERIFY, 0,
                       "%s: shard key \"%s\" still holds %llu points that are not tenant "
                       "\"%s\"'s; it is left in place",
                       collection, tenant, (unsigned long long)left, tenant);
    if (st == TQ_OK)
        st = shard_key_request(client, slot, endpoint, collection, tenant, 0, 0, detail);
    return st;
}

tq_status_t tq_tiered_erase(tq_client_t *client, size_t slot, size_t endpoint,
                            const char *collection, const char *tenant, tq_detail_t *detail)
{
    char **keys = NULL;
    size_t n = 0;
    tq_status_t st = tq_shard_keys_list(client, slot, endpoint, collection, &keys, &n, detail);
    if (st != TQ_OK)
        return st;
    /* Writes to a custom-sharded collection name their shard keys: all of them here. */
    cJSON *all = cJSON_CreateArray();
    for (size_t i = 0; all && i < n; i++) {
        cJSON *k = cJSON_CreateString(keys[i]);
        if (!k || !cJSON_AddItemToArray(all, k)) {
            cJSON_Delete(k);
            cJSON_Delete(all);
            all = NULL;
        }
    }
    tq_admin_names_free(keys, n);
    if (!all)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    if (n > 0)
        st = tq_admin_delete_in(client, slot, endpoint, collection, tenant, all, detail);
    cJSON_Delete(all);
    if (st == TQ_OK)
        st = tq_shard_key_retire(client, slot, endpoint, collection, tenant, detail);
    return st;
}
