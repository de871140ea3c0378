/* request.c: the steps every raw operation shares: argument checks, routing, the
 * credential choice, the HTTP exchange and statistics.
 *
 * Paths are built here only, from the routed collection name (escaped although it is
 * already limited to [A-Za-z0-9_-]) and fixed suffixes; it must never take a path piece
 * from application data. */
#include "request.h"

#include "alloc.h"
#include "detail.h"
#include "json.h"

#include <stdio.h>
#include <string.h>

tq_status_t tq_op_begin(tq_op_call_t *call, const tenant_ctx_t *ctx,
                        const tq_raw_collection_t *collection, const char *const *scope_values,
                        int scoped, tq_op_t op, tq_detail_t *detail)
{
    memset(call, 0, sizeof *call);
    call->started_us = tq_now_us();
    call->op = op;
    if (!ctx)
        return tq_fail(detail, TQ_EINVAL, 0, "NULL context");
    call->ctx = ctx;
    call->collection = collection;
    call->scope_values = scope_values;
    tq_status_t st = tq_raw_route(ctx, collection, &call->route, detail);
    if (st == TQ_OK && scoped)
        st = tq_scope_check(collection, scope_values, detail);
    if (st == TQ_OK)
        call->endpoint = tq_route_endpoint_index(ctx, &call->route);
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

tq_status_t tq_op_send(tq_op_call_t *call, tq_request_kind_t kind, const char *method,
                       const char *suffix, const cJSON *body, int admin, tq_response_t *out,
                       tq_detail_t *detail)
{
    char escaped[3 * TQ_COLLECTION_NAME_MAX + 1];
    char path[3 * TQ_COLLECTION_NAME_MAX + 128];
    tq_path_escape(call->route.collection, escaped, sizeof escaped);
    snprintf(path, sizeof path, "/collections/%s%s", escaped, suffix);
    char *text = NULL;
    if (body && !(text = tq_json_print(body)))
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    tq_auth_t auth;
    tq_status_t st = tq_ctx_auth(call->ctx, &call->route, call->endpoint, admin, &auth, detail);
    if (st == TQ_OK) {
        tq_request_t rq = {
            .kind = kind,
            .method = method,
            .endpoint = &call->ctx->client->endpoints[call->endpoint],
            .path = path,
            .body = text,
            .credential = auth.kind,
            .secret = auth.secret,
            .tenant_slot = call->ctx->slot,
            .op = call->op,
        };
        st = tq_http_perform(call->ctx->client, &rq, out, detail);
        tq_auth_release(&auth);
    }
    cJSON_free(text);
    return st;
}

tq_status_t tq_op_end(tq_op_call_t *call, tq_status_t status, tq_detail_t *detail)
{
    if (!call->ctx)
        return status;
    tq_client_t *client = call->ctx->client;
    if (status == TQ_ELEAK)
        tq_stats_note_leak(client, call->ctx->slot);
    tq_stats_note_call(client, call->ctx->slot, call->op, status,
                       tq_now_us() - call->started_us);
    if (status == TQ_OK)
        tq_detail_ok(detail);
    return status;
}

void tq_op_guard(const tq_op_call_t *call, const char *logical, tq_guard_t *g)
{
    const tq_client_options_t *o = &call->ctx->client->options;
    memset(g, 0, sizeof *g);
    g->tenant = call->ctx->tenant;
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
    return tq_json_scope_filter(call->ctx->tenant, call->collection, call->scope_values, ids,
                                id_count);
}
