/* request.h: the steps every raw operation shares: checks, routing, the request, the
 * statistics. */
#ifndef TQ_REQUEST_H
#define TQ_REQUEST_H

#include "ctx.h"
#include "result.h"

#include <cjson/cJSON.h>

typedef struct tq_op_call {
    tq_client_t *client;
    const tq_tenant_entry_t *tenant; /* resolved from the context by tq_op_begin */
    const tq_raw_collection_t *collection;
    const char *const *scope_values;
    tq_raw_route_t route;
    size_t endpoint;
    tq_op_t op;
    uint64_t started_us;
    int schema_checked; /* the fingerprint comparison ran (fingerprint.c) */
} tq_op_call_t;

/* Checks the context (tq_ctx_resolve, `function` names the caller in messages), the
 * descriptor and (when `scoped`) scope values, and routes. */
tq_status_t tq_op_begin(tq_op_call_t *call, const char *function, const tenant_ctx_t *ctx,
                        const tq_raw_collection_t *collection, const char *const *scope_values,
                        int scoped, tq_op_t op, tq_detail_t *detail);

/* Sends METHOD /collections/<route collection><suffix> with `body` (may be NULL);
 * `admin` selects the endpoint API key over the tenant token, whose access level
 * follows from `kind` ("prw" for point writes, else "r"). A 404 becomes a message that
 * names the onboard function; 401/403 name where the key came from. */
tq_status_t tq_op_send(tq_op_call_t *call, tq_request_kind_t kind, const char *method,
                       const char *suffix, const cJSON *body, int admin, tq_response_t *out,
                       tq_detail_t *detail);

/* Percent-escapes every byte of `in` outside [A-Za-z0-9_-] into out[cap] (truncating
 * at a whole escape), for a path segment. */
void tq_path_escape(const char *in, char *out, size_t cap);

/* As tq_op_send, with the body already printed (`text` may be NULL; borrowed). */
tq_status_t tq_op_send_text(tq_op_call_t *call, tq_request_kind_t kind, const char *method,
                            const char *suffix, const char *text, int admin, tq_response_t *out,
                            tq_detail_t *detail);

/* Checks the answer to a write sent with wait=true: only {"result":{"status":
 * "completed"}} is TQ_OK; "acknowledged" is TQ_EPROTO (the server did not wait),
 * "wait_timeout" is TQ_ETIMEOUT (the write may still happen), an error envelope is
 * TQ_EHTTP, and an empty or non-JSON body or any other status is TQ_EPROTO. */
tq_status_t tq_write_ack_check(const tq_op_call_t *call, const tq_response_t *resp,
                               tq_detail_t *detail);

/* Records the call's latency and outcome (and a leak-guard trip for TQ_ELEAK); returns
 * `status`. On TQ_OK also clears `detail`. */
tq_status_t tq_op_end(tq_op_call_t *call, tq_status_t status, tq_detail_t *detail);

/* The leak guard for this call's context, collection and scope. */
void tq_op_guard(const tq_op_call_t *call, const char *logical, tq_guard_t *guard);

/* Parses a points answer through the leak guard for this call. */
tq_status_t tq_op_parse_points(tq_op_call_t *call, const tq_response_t *resp,
                               tq_parse_kind_t kind, tq_raw_result_t *out, tq_detail_t *detail);

/* The tenant/scope filter for this call plus optional ids; NULL when out of memory. */
cJSON *tq_op_filter(const tq_op_call_t *call, const char *const *ids, size_t id_count);

#endif
