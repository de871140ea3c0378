/* ctx.h: per-request state shared by the endpoint handlers. */
#ifndef DS_CTX_H
#define DS_CTX_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "auth.h"
#include "json.h"
#include "server.h"
#include "store.h"

typedef struct ds_ctx {
    ds_server_t *server;
    ds_store_t *store;
    const ds_config_t *config;
    const ds_request_t *req;
    ds_response_t *resp;
    ds_arena_t *arena;
    cJSON *body; /* parsed request body or NULL */
    double start;
    ds_access_t access;
    int failed;
} ds_ctx_t;

/* Sets an error response (status, printf message) and returns NULL. Messages
 * starting with "Format error", "Validation error" or "Deserialize error" get time 0. */
cJSON *ds_fail(ds_ctx_t *c, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Copies the decoded value of query parameter `name` into buf; 1 if present. */
int ds_query_param(const ds_ctx_t *c, const char *name, char *buf, size_t len);
/* Seconds since the request started. */
double ds_elapsed(const ds_ctx_t *c);

/* The 404 for a missing collection. */
cJSON *ds_fail_no_collection(ds_ctx_t *c, const char *name);

#endif
