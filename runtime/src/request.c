/* request.c: the steps every raw operation shares: argument checks, routing, the
 * credential choice, the HTTP exchange and statistics.
 *
 * Paths are built here only, from the routed collection name (escaped although it is
 * already limited to [A-Za-z0-9_-]) and fixed suffixes; it must never take a path piece
 * from application data. */
#include "request.h"

#include "alloc.h"
#include "detail.h"
#include "fingerprint.h"
#include "json.h"
#include "text.h"
#include "tiered.h"

#include <stdio.h>
#include <string.h>

tq_status_t tq_op_begin(tq_op_call_t *call, const char *function, const tenant_ctx_t *ctx,
                        const tq_raw_collection_t *collection, const char *const *scope_values,
                        int scoped, tq_op_t op, tq_detail_t *detail)
{
    memset(call, 0, sizeof *call);
    call->started_us = tq_now_us();
    call->op = op;
    const tq_tenant_entry_t *tenant;
    tq_status_t st = tq_ctx_resolve(ctx, function, &tenant, detail);
    if (st != TQ_OK)
        return st;
    call->client = ctx->client;
    call->tenant = tenant;
    call->collection = collection;
    call->scope_values = scope_values;
    st = tq_route_entry(call->client, tenant, collection, &call->route, detail);
    if (st == TQ_OK && scoped)
        st = tq_scope_check(collection, scope_values, detail);
    if (st == TQ_OK)
        call->endpoint = tq_route_endpoint_index(tenant, &call->route);
    return st;
}

void tq_path_escape(const char *in, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && o + 4 < cap; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_') {
            out[o++] = (char)*p;
        } else {
            out[o++] = '%';
            out[o++] = hex[*p >> 4];
            out[o++] = hex[*p & 15];
        }
    }
    out[o] = '\0';
}

/* Rewrites a failed data request's message so it says what to do: a missing
 * collection points at the onboard function, an auth failure at the key's source. */
static tq_status_t explain_failure(const tq_op_call_t *call, tq_status_t st, int admin,
                                   const tq_auth_t *auth, const tq_detail_t *got,
                                   tq_detail_t *detail)
{
    const tq_endpoint_t *ep = &call->client->endpoints[call->endpoint];
    if (st == TQ_ENOTFOUND && !admin)
        return tq_fail(detail, st, got->http_status,
                       "%s: collection %s does not exist: tenant \"%s\" is probably not "
                       "onboarded; call %s_onboard_tenant() first",
                       got->message, call->route.collection, call->tenant->tenant,
                       call->collection->schema);
    if (st == TQ_EAUTH && got->http_status != 0)
        return tq_fail(detail, st, got->http_status, "%s (credential: %s %s)", got->message,
                       auth->kind == TQ_CRED_BEARER ? "a tenant token signed with the key from"
                                                    : "the API key from",
                       tq_endpoint_key_source(ep));
    if (detail && detail != got)
        *detail = *got;
    return st;
}

tq_status_t tq_op_send_text(tq_op_call_t *call, tq_request_kind_t kind, const char *method,
                            const char *suffix, const char *text, int admin, tq_response_t *out,
                            tq_detail_t *detail)
{
    char escaped[3 * TQ_COLLECTION_NAME_MAX + 1];
    char path[3 * TQ_COLLECTION_NAME_MAX + 128];
    /* A data call's first request is preceded by the fingerprint comparison (cached per
     * client), after every local argument check and before any point moves. */
    if (call->op != TQ_OP_ADMIN && !call->schema_checked &&
        !call->client->options.skip_schema_check) {
        call->schema_checked = 1;
        tq_status_t checked = tq_fingerprint_verify(call, detail);
        if (checked != TQ_OK)
            return checked;
    }
    /* A tiered tenant's point requests name its shard key (with the fallback). */
    char *routed = NULL;
    if (call->route.placement == TQ_PLACEMENT_TIERED && text && kind >= TQ_REQ_POINTS_UPSERT &&
        kind <= TQ_REQ_POINTS_COUNT) {
        tq_status_t st = tq_tiered_inject(text, call->tenant->tenant, &routed, detail);
        if (st != TQ_OK)
            return st;
        text = routed;
    }
    tq_path_escape(call->route.collection, escaped, sizeof escaped);
    snprintf(path, sizeof path, "/collections/%s%s", escaped, suffix);
    tq_access_t access = (kind == TQ_REQ_POINTS_UPSERT || kind == TQ_REQ_POINTS_DELETE)
                             ? TQ_ACCESS_POINTS_RW
                             : TQ_ACCESS_READ;
    tq_auth_t auth;
    tq_status_t st = tq_ctx_auth(call->client, call->tenant, &call->route, call->endpoint,
                                 admin, access, &auth, detail);
    if (st == TQ_OK) {
        tq_request_t rq = {
            .kind = kind,
            .method = method,
            .endpoint = &call->client->endpoints[call->endpoint],
            .path = path,
            .body = text,
            .credential = auth.kind,
            .secret = auth.secret,
            .tenant_slot = call->tenant->slot,
            .op = call->op,
        };
        tq_detail_t got;
        memset(&got, 0, sizeof got);
        st = tq_http_perform(call->client, &rq, out, &got);
        if (st != TQ_OK)
            st = explain_failure(call, st, admin, &auth, &got, detail);
        tq_auth_release(&auth);
    }
    cJSON_free(routed);
    return st;
}

tq_status_t tq_op_send(tq_op_call_t *call, tq_request_kind_t kind, const char *method,
                       const char *suffix, const cJSON *body, int admin, tq_response_t *out,
                       tq_detail_t *detail)
{
    char *text = NULL;
    if (body && !(text = tq_json_print(body)))
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    tq_status_t st = tq_op_send_text(call, kind, method, suffix, text, admin, out, detail);
    cJSON_free(text);
    return st;
}

tq_status_t tq_write_ack_check(const tq_op_call_t *call, const tq_response_t *resp,
                               tq_detail_t *detail)
{
    cJSON *root = NULL;
    const char *what = call->op == TQ_OP_UPSERT ? "upsert" : "delete";
    if (resp->len == 0)
        return tq_fail(detail, TQ_EPROTO, resp->http_status,
                       "%s into %s: HTTP %ld with an empty body; the write is unconfirmed",
                       what, call->route.collection, resp->http_status);
    tq_detail_t why;
    tq_status_t st = tq_json_parse_limited(resp->body, resp->len,
                                           call->client->options.max_json_depth, &root, &why);
    if (st != TQ_OK)
        return tq_fail(detail, st == TQ_ENOMEM ? st : TQ_EPROTO, resp->http_status,
                       "%s into %s: the answer is not JSON (%s); the write is unconfirmed",
                       what, call->route.collection, why.message);
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(root, "status");
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(root, "result");
    const cJSON *state = cJSON_GetObjectItemCaseSensitive(result, "status");
    const char *s = cJSON_IsString(state) ? state->valuestring : NULL;
    if (cJSON_IsObject(status)) {
        const cJSON *err = cJSON_GetObjectItemCaseSensitive(status, "error");
        char message[200];
        tq_text_sanitize(message, sizeof message, cJSON_IsString(err) ? err->valuestring : "",
                         cJSON_IsString(err) ? strlen(err->valuestring) : 0);
        st = tq_fail(detail, TQ_EHTTP, resp->http_status,
                     "%s into %s: HTTP %ld carried an error: %s", what, call->route.collection,
                     resp->http_status, message);
    } else if (s && strcmp(s, "completed") == 0) {
        st = TQ_OK;
    } else if (s && strcmp(s, "wait_timeout") == 0) {
        st = tq_fail(detail, TQ_ETIMEOUT, resp->http_status,
                     "%s into %s: the server's wait timed out (wait_timeout); the write may "
                     "still be applied",
                     what, call->route.collection);
    } else if (s && strcmp(s, "acknowledged") == 0) {
        st = tq_fail(detail, TQ_EPROTO, resp->http_status,
                     "%s into %s: the server only acknowledged a wait=true write; it is "
                     "unconfirmed",
                     what, call->route.collection);
    } else {
        char shown[64];
        tq_text_sanitize(shown, sizeof shown, s ? s : "(none)", s ? strlen(s) : 6);
        st = tq_fail(detail, TQ_EPROTO, resp->http_status,
                     "%s into %s: update status \"%s\" is not \"completed\"", what,
                     call->route.collection, shown);
    }
    cJSON_Delete(root);
    return st;
}

tq_status_t tq_op_end(tq_op_call_t *call, tq_status_t status, tq_detail_t *detail)
{
    if (!call->tenant)
        return status;
    tq_client_t *client = call->client;
    if (status == TQ_ELEAK)
        tq_stats_note_leak(client, call->tenant->slot);
    tq_stats_note_call(client, call->tenant->slot, call->op, status,
                       tq_now_us() - call->started_us);
    if (status == TQ_OK)
        tq_detail_ok(detail);
    return status;
}

void tq_op_guard(const tq_op_call_t *call, const char *logical, tq_guard_t *g)
{
    const tq_client_options_t *o = &call->client->options;
    memset(g, 0, sizeof *g);
    g->tenant = call->tenant->tenant;
    g->collection = call->route.collection;
    g->logical = logical;
    g->scope_fields = call->collection->scope_fields;
    g->scope_values = call->scope_values;
    g->scope_count = call->collection->scope_count;
    g->vector_name = call->collection->vector_name;
    g->dim = call->collection->dim;
    g->max_results = o->max_results;
    g->max_depth = o->max_json_depth;
}

cJSON *tq_op_filter(const tq_op_call_t *call, const char *const *ids, size_t id_count)
{
    return tq_json_scope_filter(call->tenant->tenant, call->collection, call->scope_values, ids,
                                id_count);
}
