/* server_info.c: tq_client_server_info, the one request not made for a tenant.
 *
 * GET / is whitelisted by Qdrant's auth middleware, so it carries no credential: an
 * operator's health view must never put a key on the wire it does not need. The
 * answer is the bare VersionInfo object (no envelope). */
#include "client.h"
#include "detail.h"
#include "http.h"
#include "json.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

/* Copies the string member `name` of `obj` into `out`; 0 when absent or too long. */
static int copy_member(const cJSON *obj, const char *name, char *out, size_t cap)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsString(v) || strlen(v->valuestring) >= cap)
        return 0;
    memcpy(out, v->valuestring, strlen(v->valuestring) + 1);
    return 1;
}

tq_status_t tq_client_server_info(tq_client_t *client, const char *endpoint,
                                  tq_server_info_t *out, tq_detail_t *detail)
{
    if (!client || !out)
        return tq_fail(detail, TQ_EINVAL, 0, "tq_client_server_info: %s is NULL",
                       !client ? "client" : "out");
    const char *want = endpoint ? endpoint : "default";
    const tq_endpoint_t *ep = NULL;
    for (size_t i = 0; i < client->endpoint_count; i++) {
        if (strcmp(client->endpoints[i].name, want) == 0)
            ep = &client->endpoints[i];
    }
    if (!ep)
        return tq_fail(detail, TQ_EINVAL, 0, "endpoint \"%.64s\" is not in the registry", want);

    tq_request_t rq = {
        .kind = TQ_REQ_SERVER_INFO,
        .method = "GET",
        .endpoint = ep,
        .path = "/",
        .credential = TQ_CRED_NONE,
        .tenant_slot = SIZE_MAX, /* no tenant: not counted per tenant */
        .op = TQ_OP_ADMIN,
    };
    tq_response_t resp = {0};
    uint64_t start = tq_now_us();
    tq_status_t st = tq_http_perform(client, &rq, &resp, detail);
    uint64_t elapsed = tq_now_us() - start;
    if (st != TQ_OK)
        return st;

    cJSON *root = NULL;
    st = tq_json_parse_limited(resp.body, resp.len, client->options.max_json_depth, &root,
                               detail);
    tq_response_free(&resp);
    if (st != TQ_OK)
        return st;
    tq_server_info_t info = {.latency_us = elapsed};
    int ok = cJSON_IsObject(root) && copy_member(root, "title", info.title, sizeof info.title) &&
             copy_member(root, "version", info.version, sizeof info.version);
    cJSON_Delete(root);
    if (!ok)
        return tq_fail(detail, TQ_EPROTO, 200,
                       "GET / on endpoint \"%.64s\" did not return {title, version}", want);
    *out = info;
    tq_detail_ok(detail);
    return TQ_OK;
}
