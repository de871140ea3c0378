/* server.c: the request dispatcher, independent of any socket library.
 *
 * ds_handle() runs the same pipeline as Qdrant's actix stack: authentication (plain
 * text 401/403, whitelisted health paths), route and path validation (422), query
 * parameter validation and body parsing (400, 413), RBAC (403 JSON, before any
 * existence lookup), optional fault injection for /points requests, then the handler
 * under a read or write lock on the store, the envelope, and the request log. It
 * never prints and never exits; everything a request allocates is released before it
 * returns, apart from the response body.
 */
#include "server.h"

#include "auth.h"
#include "ctx.h"
#include "envelope.h"
#include "faults.h"
#include "handlers.h"
#include "path.h"
#include "reqlog.h"
#include "snapshot.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_JSON_DEPTH 64
#define MAX_PATH_SEGMENTS 8

struct ds_server {
    ds_config_t config;
    ds_store_t store;
    pthread_rwlock_t lock;
    ds_reqlog_t *log;
    ds_faults_t faults;
};

typedef enum { LOCK_NONE, LOCK_READ, LOCK_WRITE } lock_mode_t;
typedef enum { NEED_ANY = -1 } need_any_t;

typedef cJSON *(*handler0_t)(ds_ctx_t *);
typedef cJSON *(*handler1_t)(ds_ctx_t *, const char *);
typedef cJSON *(*handler2_t)(ds_ctx_t *, const char *, const char *);

typedef struct route {
    const char *method;
    const char *pattern; /* "*" matches one segment */
    int need;            /* ds_need_t or NEED_ANY */
    lock_mode_t lock;
    int points;  /* subject to fault injection */
    int cluster; /* needs --cluster-mode */
    int body;    /* parses a JSON body */
    handler0_t h0;
    handler1_t h1;
    handler2_t h2;
} route_t;

static const route_t routes[] = {
    {"GET", "collections", NEED_ANY, LOCK_READ, 0, 0, 0, ds_h_list_collections, NULL, NULL},
    {"PUT", "collections/*", DS_NEED_GLOBAL, LOCK_WRITE, 0, 0, 1, NULL, ds_h_create_collection,
     NULL},
    {"GET", "collections/*", DS_NEED_READ, LOCK_READ, 0, 0, 0, NULL, ds_h_get_collection, NULL},
    {"PATCH", "collections/*", DS_NEED_COL_ADMIN, LOCK_WRITE, 0, 0, 1, NULL, ds_h_update_collection,
     NULL},
    {"DELETE", "collections/*", DS_NEED_GLOBAL, LOCK_WRITE, 0, 0, 0, NULL, ds_h_delete_collection,
     NULL},
    {"GET", "collections/*/exists", DS_NEED_READ, LOCK_READ, 0, 0, 0, NULL, ds_h_collection_exists,
     NULL},
    {"PUT", "collections/*/index", DS_NEED_COL_MANAGE, LOCK_WRITE, 0, 0, 1, NULL, ds_h_create_index,
     NULL},
    {"DELETE", "collections/*/index/*", DS_NEED_COL_MANAGE, LOCK_WRITE, 0, 0, 0, NULL, NULL,
     ds_h_delete_index},
    {"PUT", "collections/*/points", DS_NEED_WRITE, LOCK_WRITE, 1, 0, 1, NULL, ds_h_upsert, NULL},
    {"POST", "collections/*/points", DS_NEED_READ, LOCK_READ, 1, 0, 1, NULL, ds_h_retrieve, NULL},
    {"POST", "collections/*/points/delete", DS_NEED_WRITE, LOCK_WRITE, 1, 0, 1, NULL,
     ds_h_delete_points, NULL},
    {"POST", "collections/*/points/query", DS_NEED_READ, LOCK_READ, 1, 0, 1, NULL, ds_h_query,
     NULL},
    {"POST", "collections/*/points/query/batch", DS_NEED_READ, LOCK_READ, 1, 0, 1, NULL,
     ds_h_query_batch, NULL},
    {"POST", "collections/*/points/query/groups", DS_NEED_READ, LOCK_READ, 1, 0, 1, NULL,
     ds_h_query_groups, NULL},
    {"POST", "collections/*/points/search", DS_NEED_READ, LOCK_READ, 1, 0, 1, NULL, ds_h_search,
     NULL},
    {"POST", "collections/*/points/search/batch", DS_NEED_READ, LOCK_READ, 1, 0, 1, NULL,
     ds_h_search_batch, NULL},
    {"POST", "collections/*/points/scroll", DS_NEED_READ, LOCK_READ, 1, 0, 1, NULL, ds_h_scroll,
     NULL},
    {"POST", "collections/*/points/count", DS_NEED_READ, LOCK_READ, 1, 0, 1, NULL, ds_h_count,
     NULL},
    {"GET", "collections/*/points/*", DS_NEED_READ, LOCK_READ, 1, 0, 0, NULL, NULL, ds_h_get_point},
    {"PUT", "collections/*/shards", DS_NEED_COL_ADMIN, LOCK_WRITE, 0, 1, 1, NULL,
     ds_h_create_shard_key, NULL},
    {"GET", "collections/*/shards", DS_NEED_READ, LOCK_READ, 0, 1, 0, NULL, ds_h_list_shard_keys,
     NULL},
    {"POST", "collections/*/shards/delete", DS_NEED_COL_ADMIN, LOCK_WRITE, 0, 1, 1, NULL,
     ds_h_delete_shard_key, NULL},
    {"POST", "collections/*/cluster", DS_NEED_COL_ADMIN, LOCK_WRITE, 0, 1, 1, NULL,
     ds_h_cluster_update, NULL},
};

size_t ds_server_max_body(const ds_server_t *server)
{
    return server->config.max_body ? server->config.max_body : DS_DEFAULT_MAX_BODY;
}

ds_server_t *ds_server_new(const ds_config_t *config, char *err, size_t errlen)
{
    ds_server_t *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->config = *config;
    pthread_rwlock_init(&s->lock, NULL);
    ds_faults_init(&s->faults, config);
    if (config->request_log && !(s->log = ds_reqlog_open(config->request_log))) {
        snprintf(err, errlen, "cannot open request log %s", config->request_log);
        ds_server_free(s);
        return NULL;
    }
    if (config->snapshot && ds_snapshot_load(&s->store, config->snapshot, err, errlen) != 0) {
        ds_server_free(s);
        return NULL;
    }
    return s;
}

int ds_server_save(ds_server_t *server, char *err, size_t errlen)
{
    if (!server->config.snapshot)
        return 0;
    pthread_rwlock_rdlock(&server->lock);
    int rc = ds_snapshot_save(&server->store, server->config.snapshot, err, errlen);
    pthread_rwlock_unlock(&server->lock);
    return rc;
}

void ds_server_free(ds_server_t *server)
{
    if (!server)
        return;
    ds_store_clear(&server->store);
    ds_reqlog_close(server->log);
    ds_faults_destroy(&server->faults);
    pthread_rwlock_destroy(&server->lock);
    free(server);
    ds_arena_pool_release();
}

/* Splits "/a/b/c" into segments (pointers into buf). Returns the count or -1. */
static int split_path(const char *path, char *buf, size_t len, char **segs)
{
    size_t pl = strlen(path);
    if (pl + 1 > len)
        return -1;
    memcpy(buf, path, pl + 1);
    int n = 0;
    char *p = buf;
    while (*p == '/')
        p++;
    while (*p) {
        if (n == MAX_PATH_SEGMENTS)
            return -1;
        segs[n++] = p;
        char *slash = strchr(p, '/');
        if (!slash)
            break;
        *slash = '\0';
        p = slash + 1;
        if (*p == '\0')
            break;
    }
    return n;
}

/* Matches a route pattern; fills caps[0..1] with the '*' segments. */
static int match_route(const char *pattern, char **segs, int n, const char **caps)
{
    char pat[64];
    char *psegs[MAX_PATH_SEGMENTS];
    int pn = split_path(pattern, pat, sizeof pat, psegs);
    if (pn != n)
        return 0;
    int nc = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(psegs[i], "*") == 0) {
            if (segs[i][0] == '\0')
                return 0;
            caps[nc++] = segs[i];
        } else if (strcmp(psegs[i], segs[i]) != 0) {
            return 0;
        }
    }
    return 1;
}

static int valid_query(ds_ctx_t *c)
{
    char v[64];
    if (ds_query_param(c, "wait", v, sizeof v) && strcmp(v, "true") != 0 &&
        strcmp(v, "false") != 0) {
        ds_fail(c, 400,
                "Deserialize error in query parameters: wait: provided string was not "
                "`true` or `false`");
        return 0;
    }
    if (ds_query_param(c, "ordering", v, sizeof v) && strcmp(v, "weak") != 0 &&
        strcmp(v, "medium") != 0 && strcmp(v, "strong") != 0) {
        ds_fail(c, 400,
                "Deserialize error in query parameters: ordering: unknown variant `%s`, "
                "expected one of `weak`, `medium`, `strong`",
                v);
        return 0;
    }
    if (ds_query_param(c, "timeout", v, sizeof v)) {
        char *end;
        unsigned long t = strtoul(v, &end, 10);
        if (*end || !*v || v[0] == '-') {
            ds_fail(c, 400,
                    "Deserialize error in query parameters: timeout: invalid digit found "
                    "in string");
            return 0;
        }
        if (t < 1) {
            ds_fail(c, 422,
                    "Validation error in query parameters: [timeout: value 0 invalid, "
                    "must be 1 or more]");
            return 0;
        }
    }
    if (ds_query_param(c, "consistency", v, sizeof v) && strcmp(v, "majority") != 0 &&
        strcmp(v, "quorum") != 0 && strcmp(v, "all") != 0) {
        char *end;
        unsigned long n = strtoul(v, &end, 10);
        if (*end || !*v || n < 1) {
            ds_fail(c, 400,
                    "Deserialize error in query parameters: consistency: data did not "
                    "match any variant of untagged enum ReadConsistency");
            return 0;
        }
    }
    return 1;
}

/* The value_exists JWT claim: the token is valid only while a point in the named
 * collection carries every listed key/value. */
static int value_exists(ds_store_t *store, const cJSON *claim)
{
    const cJSON *colname = cJSON_GetObjectItemCaseSensitive(claim, "collection");
    const cJSON *matches = cJSON_GetObjectItemCaseSensitive(claim, "matches");
    ds_collection_t *col = ds_store_find(store, colname->valuestring);
    if (!col)
        return 0;
    for (size_t s = 0; s < col->n_shards; s++) {
        const ds_shard_t *sh = col->shards[s];
        for (size_t i = 0; i < sh->n_slots; i++) {
            if (!sh->points[i].live)
                continue;
            int all = 1;
            for (const cJSON *m = matches->child; m && all; m = m->next) {
                const cJSON *key = cJSON_GetObjectItemCaseSensitive(m, "key");
                const cJSON *val = cJSON_GetObjectItemCaseSensitive(m, "value");
                const cJSON *vals[64];
                size_t n = cJSON_IsString(key)
                               ? ds_path_values(sh->points[i].payload, key->valuestring, vals, 64)
                               : 0;
                int hit = 0;
                for (size_t k = 0; k < n && !hit; k++)
                    hit = val && cJSON_Compare(vals[k], val, 1);
                all = hit;
            }
            if (all)
                return 1;
        }
    }
    return 0;
}

static void version_info(ds_response_t *resp)
{
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddStringToObject(o, "title", "qdrant - vector search engine");
        cJSON_AddStringToObject(o, "version", "1.19.0");
        cJSON_AddStringToObject(o, "commit", "74f3e85b9473c62560006c043e13737ce6b48412");
    }
    ds_resp_json(resp, 200, o);
}

static int body_blank(const ds_request_t *req)
{
    for (size_t i = 0; i < req->body_len; i++)
        if (req->body[i] != ' ' && req->body[i] != '\n' && req->body[i] != '\r' &&
            req->body[i] != '\t')
            return 0;
    return 1;
}

/* Runs the route. Returns the fault applied (for the log). */
static const char *dispatch(ds_server_t *s, ds_ctx_t *c, const route_t *r, const char **caps)
{
    char msg[512];
    const char *name = caps[0];
    if (name && !ds_collection_name_ok(name, r->h1 == ds_h_create_collection)) {
        ds_fail(c, 422,
                "Validation error in path parameters: [name: collection name `%.300s` is "
                "invalid]",
                name);
        return NULL;
    }
    if (!valid_query(c))
        return NULL;
    if (r->body && (c->req->body_too_large || c->req->body_len > ds_server_max_body(s))) {
        ds_fail(c, 413,
                "Format error in JSON body: JSON payload is larger than allowed "
                "(limit: %zu bytes)",
                ds_server_max_body(s));
        return NULL;
    }
    if (r->body && !body_blank(c->req)) {
        c->arena = ds_arena_new(c->req->body_len * 48 + 65536);
        if (!c->arena) {
            ds_fail(c, 500, "Service internal error: out of memory");
            return NULL;
        }
        c->body = ds_json_parse(c->arena, c->req->body, c->req->body_len, MAX_JSON_DEPTH, msg,
                                sizeof msg);
        if (!c->body) {
            ds_fail(c, 400, "Format error in JSON body: %s", msg);
            return NULL;
        }
    } else {
        c->arena = ds_arena_new(1u << 20);
        if (!c->arena) {
            ds_fail(c, 500, "Service internal error: out of memory");
            return NULL;
        }
    }
    if (r->need != NEED_ANY) {
        int st = ds_authorize(&c->access, name, (ds_need_t)r->need, msg, sizeof msg);
        if (st) {
            ds_fail(c, st, "%s", msg);
            return NULL;
        }
    }
    if (r->cluster && !s->config.cluster_mode) {
        ds_fail(c, 405, "Qdrant is running in standalone mode");
        return NULL;
    }
    const char *fault = NULL;
    if (r->points) {
        ds_fault_t f = ds_faults_draw(&s->faults);
        if (f == DS_FAULT_DROP) {
            c->resp->drop = 1;
            return "drop";
        }
        if (f == DS_FAULT_503) {
            ds_fail(c, 503, "Service unavailable: injected fault (--fault-rate)");
            return "503";
        }
    }
    if (r->lock == LOCK_WRITE)
        pthread_rwlock_wrlock(&s->lock);
    else
        pthread_rwlock_rdlock(&s->lock);
    if (c->access.value_exists && !value_exists(&s->store, c->access.value_exists)) {
        pthread_rwlock_unlock(&s->lock);
        ds_resp_text(c->resp, 401, "Invalid API key or JWT");
        return NULL;
    }
    cJSON *result = r->h0 ? r->h0(c) : r->h1 ? r->h1(c, name) : r->h2(c, name, caps[1]);
    pthread_rwlock_unlock(&s->lock);
    if (result)
        ds_resp_ok(c->resp, result, ds_elapsed(c));
    else if (!c->failed)
        ds_fail(c, 500, "Service internal error: out of memory");
    return fault;
}

void ds_handle(ds_server_t *s, const ds_request_t *req, ds_response_t *resp)
{
    memset(resp, 0, sizeof *resp);
    ds_ctx_t c = {.server = s,
                  .store = &s->store,
                  .config = &s->config,
                  .req = req,
                  .resp = resp,
                  .start = ds_now()};
    const char *fault = NULL;
    char msg[512];
    const char *path = req->path ? req->path : "/";
    const char *method = req->method ? req->method : "GET";
    int st = ds_authenticate(&s->config, req, &c.access, msg, sizeof msg);
    if (st) {
        ds_resp_text(resp, st, msg);
        goto done;
    }
    if (strcmp(path, "/") == 0 && strcmp(method, "GET") == 0) {
        version_info(resp);
        goto done;
    }
    if ((strcmp(path, "/healthz") == 0 || strcmp(path, "/livez") == 0) &&
        strcmp(method, "GET") == 0) {
        ds_resp_text(resp, 200, "healthz check passed");
        goto done;
    }
    if (strcmp(path, "/readyz") == 0 && strcmp(method, "GET") == 0) {
        ds_resp_text(resp, 200, "all shards are ready");
        goto done;
    }
    char buf[2048];
    char *segs[MAX_PATH_SEGMENTS];
    int n = split_path(path, buf, sizeof buf, segs);
    const route_t *route = NULL;
    const char *caps[2] = {NULL, NULL};
    for (size_t i = 0; n > 0 && i < sizeof routes / sizeof routes[0]; i++) {
        if (strcmp(routes[i].method, method) == 0 &&
            match_route(routes[i].pattern, segs, n, caps)) {
            route = &routes[i];
            break;
        }
        caps[0] = caps[1] = NULL;
    }
    if (!route) {
        ds_resp_text(resp, 404, "");
        goto done;
    }
    fault = dispatch(s, &c, route, caps);
done:
    ds_reqlog_write(s->log, req, &c.access, resp->drop ? 0 : resp->status, fault);
    ds_arena_free(c.arena);
    ds_access_clear(&c.access);
}
