/* live_devserver.c: the runtime against tenantq-devserver: round trips in every
 * placement (a second server plays the dedicated endpoint), cross-tenant isolation in a
 * shared collection, retries under injected faults seen in the request log, and 8
 * threads x 10 tenants over one client whose tokens the server log proves never cross
 * tenants. */
#include "test_common.h"

#include "ctx.h"
#include "devserver_proc.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KEY "live-test-key"

typedef struct live {
    tq_test_server_t main, second;
    char log_path[64];
    tq_registry_t *registry;
    tq_client_t *client;
} live_t;

/* In static storage so the teardown can stop the servers of a test that failed. */
static live_t the_live;

static void start(tq_test_server_t *srv, const char *log_path, const char *const *extra)
{
    const char *args[16];
    size_t n = 0;
    args[n++] = "--api-key";
    args[n++] = KEY;
    args[n++] = "--jwt-rbac";
    if (log_path) {
        args[n++] = "--request-log";
        args[n++] = log_path;
    }
    for (size_t i = 0; extra && extra[i]; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    assert_int_equal(tq_test_server_start(srv, args), 0);
}

/* The registry `json` and a client over it for l->main, whose TENANTQ_QDRANT_API_KEY
 * is `key`. */
static void open_client(live_t *l, const char *json, const char *key, int tenant_jwt,
                        int max_retries)
{
    setenv("TENANTQ_QDRANT_URL", l->main.url, 1);
    setenv("TENANTQ_QDRANT_API_KEY", key, 1);
    tq_detail_t d;
    assert_int_equal(tq_registry_parse(json, strlen(json), "live", &l->registry, &d), TQ_OK);
    tq_client_options_t o;
    tq_client_options_init(&o);
    o.tenant_jwt = tenant_jwt;
    o.max_retries = max_retries;
    o.retry_base_ms = 1;
    o.retry_max_ms = 8;
    if (tq_client_new(l->registry, &o, &l->client, &d) != TQ_OK)
        fail_msg("%s", d.message);
}

static void open_live(live_t *l, const char *tenants_json, int tenant_jwt, int max_retries,
                      const char *const *faults, int second)
{
    memset(l, 0, sizeof *l);
    snprintf(l->log_path, sizeof l->log_path, "/tmp/tq-live-%d.log", (int)getpid());
    unlink(l->log_path);
    start(&l->main, l->log_path, faults);
    char json[4096];
    if (second) {
        start(&l->second, NULL, NULL);
        snprintf(json, sizeof json,
                 "{\"version\":1,\"endpoints\":{\"second\":{\"url\":\"%s\",\"api_key_env\":"
                 "\"TQ_LIVE_SECOND_KEY\"}},\"tenants\":%s}",
                 l->second.url, tenants_json);
    } else {
        snprintf(json, sizeof json, "{\"version\":1,\"tenants\":%s}", tenants_json);
    }
    setenv("TQ_LIVE_SECOND_KEY", KEY, 1);
    open_client(l, json, KEY, tenant_jwt, max_retries);
}

/* Frees the client and stops the servers; returns 0 when both exited cleanly. */
static int release_live(live_t *l)
{
    int rc = 0;
    tq_client_free(l->client);
    tq_registry_free(l->registry);
    l->client = NULL;
    l->registry = NULL;
    if (l->main.pid && tq_test_server_stop(&l->main) != 0)
        rc = -1;
    if (l->second.pid && tq_test_server_stop(&l->second) != 0)
        rc = -1;
    l->main.pid = 0;
    l->second.pid = 0;
    if (l->log_path[0])
        unlink(l->log_path);
    return rc;
}

static void close_live(live_t *l)
{
    assert_int_equal(release_live(l), 0);
}

/* A devserver started with exactly `server_args` (plus a request log) and a client
 * over tenants acme and globex whose TENANTQ_QDRANT_API_KEY is `client_key`. */
static void open_custom(live_t *l, const char *const *server_args, const char *client_key,
                        int tenant_jwt)
{
    memset(l, 0, sizeof *l);
    snprintf(l->log_path, sizeof l->log_path, "/tmp/tq-live-%d.log", (int)getpid());
    unlink(l->log_path);
    const char *args[16];
    size_t n = 0;
    args[n++] = "--request-log";
    args[n++] = l->log_path;
    for (size_t i = 0; server_args && server_args[i]; i++)
        args[n++] = server_args[i];
    args[n] = NULL;
    assert_int_equal(tq_test_server_start(&l->main, args), 0);
    open_client(l, "{\"version\":1,\"tenants\":{\"acme\":{},\"globex\":{}}}", client_key,
                tenant_jwt, 4);
}

static int teardown(void **state)
{
    (void)state;
    release_live(&the_live);
    return 0;
}

#define CHECK(call)                                                                             \
    do {                                                                                        \
        tq_detail_t d_;                                                                         \
        tq_status_t st_ = (call);                                                               \
        (void)d_;                                                                               \
        if (st_ != TQ_OK)                                                                       \
            fail_msg("%s: %s", #call, tq_status_name(st_));                                     \
    } while (0)

static void expect_ok(tq_status_t st, const tq_detail_t *d, const char *what)
{
    if (st != TQ_OK)
        fail_msg("%s: %s: %s", what, tq_status_name(st), d->message);
}

static void upsert_three(tenant_ctx_t *ctx, const char *team)
{
    const char *scope[] = {team};
    tq_raw_batch_t *b = tq_raw_batch_new(ctx, &tq_test_docs, scope);
    const float vs[3][2] = {{1, 0}, {0, 1}, {0.7f, 0.7f}};
    const char *keys[] = {"doc-1", "doc-2", "doc-3"};
    for (int i = 0; i < 3; i++) {
        tq_raw_batch_point(b, keys[i], vs[i], 2);
        tq_raw_batch_keyword(b, "title", keys[i]);
        tq_raw_batch_int(b, "year", 2020 + i);
    }
    tq_detail_t d;
    expect_ok(tq_raw_batch_upsert(b, &d), &d, "upsert");
    tq_raw_batch_free(b);
}

/* One tenant's full life in one placement. */
static void round_trip(tenant_ctx_t *ctx, const char *want_collection, tq_placement_t placement)
{
    tq_detail_t d;
    tq_raw_route_t route;
    expect_ok(tq_raw_route(ctx, &tq_test_docs, &route, &d), &d, "route");
    assert_string_equal(route.collection, want_collection);
    assert_int_equal(route.placement, placement);
    expect_ok(tq_raw_onboard(ctx, &tq_test_docs, &d), &d, "onboard");
    expect_ok(tq_raw_onboard(ctx, &tq_test_docs, &d), &d, "onboard again");
    upsert_three(ctx, "team-a");
    upsert_three(ctx, "team-b");
    const char *scope[] = {"team-a"};

    tq_raw_result_t r;
    const char *keys[] = {"doc-2", "absent", "doc-1"};
    expect_ok(tq_raw_get(ctx, &tq_test_docs, scope, keys, 3, 1, &r, &d), &d, "get");
    assert_int_equal(r.count, 2);
    for (size_t i = 0; i < r.count; i++) {
        const tq_raw_point_t *p = tq_raw_result_point(&r, i);
        char *title = NULL;
        int present = 0;
        assert_int_equal(tq_raw_point_keyword(p, "title", &title, &present), TQ_OK);
        assert_true(present);
        assert_string_equal(title, tq_raw_point_key(p));
        free(title);
        size_t dim = 0;
        assert_non_null(tq_raw_point_vector(p, &dim));
        assert_int_equal(dim, 2);
    }
    tq_raw_result_free(&r);

    const float q[2] = {1, 0.1f};
    expect_ok(tq_raw_search(ctx, &tq_test_docs, scope, q, 2, NULL, 2, NULL, 0, &r, &d), &d,
              "search");
    assert_int_equal(r.count, 2);
    assert_string_equal(tq_raw_point_key(tq_raw_result_point(&r, 0)), "doc-1");
    assert_true(tq_raw_point_score(tq_raw_result_point(&r, 0)) >
                tq_raw_point_score(tq_raw_result_point(&r, 1)));
    tq_raw_result_free(&r);

    tq_raw_filter_t *f = tq_raw_filter_new();
    double from = 2021;
    tq_raw_filter_range(f, "year", &from, NULL);
    uint64_t n = 0;
    expect_ok(tq_raw_count(ctx, &tq_test_docs, scope, f, &n, &d), &d, "count filtered");
    assert_int_equal(n, 2);
    expect_ok(tq_raw_count(ctx, &tq_test_docs, scope, NULL, &n, &d), &d, "count");
    assert_int_equal(n, 3);

    /* scroll in pages of two */
    size_t seen = 0;
    char cursor[TQ_UUID_STR_LEN + 1] = "";
    for (int page = 0; page < 5; page++) {
        expect_ok(tq_raw_scroll(ctx, &tq_test_docs, scope, NULL, 2, cursor, 0, &r, &d), &d,
                  "scroll");
        seen += r.count;
        snprintf(cursor, sizeof cursor, "%s", r.next_cursor);
        tq_raw_result_free(&r);
        if (!cursor[0])
            break;
    }
    assert_int_equal(seen, 3);

    const char *del[] = {"doc-1"};
    expect_ok(tq_raw_delete_keys(ctx, &tq_test_docs, scope, del, 1, &d), &d, "delete keys");
    expect_ok(tq_raw_count(ctx, &tq_test_docs, scope, NULL, &n, &d), &d, "count");
    assert_int_equal(n, 2);
    expect_ok(tq_raw_delete_filter(ctx, &tq_test_docs, scope, f, &d), &d, "delete filter");
    expect_ok(tq_raw_count(ctx, &tq_test_docs, scope, NULL, &n, &d), &d, "count");
    assert_int_equal(n, 0);
    tq_raw_filter_free(f);
    /* the other scope is untouched */
    const char *scope_b[] = {"team-b"};
    expect_ok(tq_raw_count(ctx, &tq_test_docs, scope_b, NULL, &n, &d), &d, "count b");
    assert_int_equal(n, 3);

    expect_ok(tq_raw_offboard(ctx, &tq_test_docs, &d), &d, "offboard");
    expect_ok(tq_raw_offboard(ctx, &tq_test_docs, &d), &d, "offboard again");
    tq_status_t st = tq_raw_count(ctx, &tq_test_docs, scope_b, NULL, &n, &d);
    if (placement == TQ_PLACEMENT_SHARED) {
        expect_ok(st, &d, "count after offboard");
        assert_int_equal(n, 0);
    } else {
        assert_int_equal(st, TQ_ENOTFOUND);
    }
}

static void placements_round_trip(void **state)
{
    (void)state;
    live_t *L = &the_live;
    open_live(L,
              "{\"acme\":{},\"beta\":{\"placement\":\"shared\"},\"gamma\":{\"placement\":"
              "\"shared\"},\"ded\":{\"placement\":\"dedicated\",\"endpoint\":\"second\"}}",
              1, 2, NULL, 1);
    tenant_ctx_t *acme, *beta, *gamma, *ded;
    tq_detail_t d;
    CHECK(tq_ctx_new(L->client, "acme", &acme, &d));
    CHECK(tq_ctx_new(L->client, "beta", &beta, &d));
    CHECK(tq_ctx_new(L->client, "gamma", &gamma, &d));
    CHECK(tq_ctx_new(L->client, "ded", &ded, &d));

    /* gamma shares beta's collection and keeps data there throughout */
    expect_ok(tq_raw_onboard(gamma, &tq_test_docs, &d), &d, "onboard gamma");
    upsert_three(gamma, "team-a");

    round_trip(acme, "kb-docs--acme", TQ_PLACEMENT_COLLECTION);
    round_trip(beta, "kb-docs", TQ_PLACEMENT_SHARED);
    round_trip(ded, "kb-docs--ded", TQ_PLACEMENT_DEDICATED);

    /* gamma's points survived beta's whole life, offboard included */
    const char *scope[] = {"team-a"};
    uint64_t n = 0;
    expect_ok(tq_raw_count(gamma, &tq_test_docs, scope, NULL, &n, &d), &d, "gamma count");
    assert_int_equal(n, 3);
    /* and beta, with the same keys in the same collection, sees none of them */
    expect_ok(tq_raw_onboard(beta, &tq_test_docs, &d), &d, "onboard beta");
    tq_raw_result_t r;
    const char *keys[] = {"doc-1", "doc-2", "doc-3"};
    expect_ok(tq_raw_get(beta, &tq_test_docs, scope, keys, 3, 0, &r, &d), &d, "beta get");
    assert_int_equal(r.count, 0);
    tq_raw_result_free(&r);
    const float q[2] = {1, 0};
    expect_ok(tq_raw_search(beta, &tq_test_docs, scope, q, 2, NULL, 10, NULL, 0, &r, &d), &d,
              "beta search");
    assert_int_equal(r.count, 0);
    tq_raw_result_free(&r);

    /* the dedicated tenant's data lived on the second server only */
    tq_stats_t *s;
    assert_int_equal(tq_client_stats(L->client, &s), TQ_OK);
    assert_int_equal(s->leak_guard_trips, 0);
    for (size_t i = 0; i < s->tenant_count; i++) {
        for (int op = 0; op < TQ_OP_LAST; op++)
            assert_int_equal(s->tenants[i].ops[op].errors,
                             (strcmp(s->tenants[i].tenant, "acme") == 0 ||
                              strcmp(s->tenants[i].tenant, "ded") == 0) &&
                                     op == TQ_OP_COUNT
                                 ? 1
                                 : 0);
    }
    assert_true(s->tenants[0].ops[TQ_OP_UPSERT].calls > 0);
    tq_stats_free(s);
    tq_ctx_free(acme);
    tq_ctx_free(beta);
    tq_ctx_free(gamma);
    tq_ctx_free(ded);
    close_live(L);
}

/* Reads the request log into an array of objects. */
static cJSON *read_log(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    cJSON *all = cJSON_CreateArray();
    char line[8192];
    while (fgets(line, sizeof line, f)) {
        cJSON *o = cJSON_Parse(line);
        assert_non_null(o);
        cJSON_AddItemToArray(all, o);
    }
    fclose(f);
    return all;
}

static void retries_under_injected_faults(void **state)
{
    (void)state;
    live_t *L = &the_live;
    const char *faults[] = {"--fault-rate", "0.3", "--fault-drop", "0.1", "--fault-seed", "7",
                            NULL};
    open_live(L, "{\"acme\":{}}", 0, 10, faults, 0);
    tenant_ctx_t *acme;
    tq_detail_t d;
    CHECK(tq_ctx_new(L->client, "acme", &acme, &d));
    expect_ok(tq_raw_onboard(acme, &tq_test_docs, &d), &d, "onboard");
    for (int i = 0; i < 20; i++) {
        upsert_three(acme, "team-a");
        uint64_t n = 0;
        const char *scope[] = {"team-a"};
        expect_ok(tq_raw_count(acme, &tq_test_docs, scope, NULL, &n, &d), &d, "count");
        assert_int_equal(n, 3);
    }
    tq_stats_t *s;
    assert_int_equal(tq_client_stats(L->client, &s), TQ_OK);
    uint64_t retries = 0, requests = 0;
    for (int op = 0; op < TQ_OP_LAST; op++) {
        retries += s->tenants[0].ops[op].retries;
        requests += s->tenants[0].ops[op].requests;
    }
    tq_stats_free(s);
    /* Every injected 503 was answered by one retry of ours. A dropped connection is
     * either retried by us or, when it was a reused keep-alive connection, resent once by
     * libcurl itself; either way the call succeeded and nothing else was resent. */
    cJSON *log = read_log(L->log_path);
    uint64_t n503 = 0, ndrop = 0, logged = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, log)
    {
        logged++;
        const cJSON *fault = cJSON_GetObjectItem(e, "fault");
        if (fault && strcmp(fault->valuestring, "503") == 0)
            n503++;
        else if (fault && strcmp(fault->valuestring, "drop") == 0)
            ndrop++;
    }
    cJSON_Delete(log);
    assert_true(n503 > 0);
    assert_true(ndrop > 0);
    assert_true(retries >= n503);
    assert_true(retries <= n503 + ndrop);
    assert_int_equal(logged, requests + (n503 + ndrop - retries));
    tq_ctx_free(acme);
    close_live(L);
}

#define THREADS 8
#define TENANTS 10
#define ROUNDS 6

typedef struct worker {
    tenant_ctx_t **ctxs;
    int index;
    int failures;
    char first_error[TQ_DETAIL_MESSAGE_MAX];
} worker_t;

static void *work(void *arg)
{
    worker_t *w = arg;
    for (int round = 0; round < ROUNDS; round++) {
        for (int k = 0; k < TENANTS; k++) {
            tenant_ctx_t *ctx = w->ctxs[(w->index + k + round) % TENANTS];
            const char *scope[] = {"team-a"};
            tq_detail_t d;
            tq_raw_batch_t *b = tq_raw_batch_new(ctx, &tq_test_docs, scope);
            char key[32];
            snprintf(key, sizeof key, "w%d-r%d", w->index, round);
            const float v[2] = {(float)w->index, 1};
            tq_raw_batch_point(b, key, v, 2);
            tq_status_t st = tq_raw_batch_upsert(b, &d);
            tq_raw_batch_free(b);
            tq_raw_result_t r;
            if (st == TQ_OK)
                st = tq_raw_search(ctx, &tq_test_docs, scope, v, 2, NULL, 3, NULL, 0, &r, &d);
            if (st == TQ_OK)
                tq_raw_result_free(&r);
            if (st != TQ_OK && w->failures++ == 0)
                snprintf(w->first_error, sizeof w->first_error, "%s", d.message);
        }
    }
    return NULL;
}

static void threads_never_cross_tokens(void **state)
{
    (void)state;
    live_t *L = &the_live;
    char tenants[1024] = "{";
    for (int i = 0; i < TENANTS; i++) {
        char one[32];
        snprintf(one, sizeof one, "%s\"t%02d\":{}", i ? "," : "", i);
        strcat(tenants, one);
    }
    strcat(tenants, "}");
    open_live(L, tenants, 1, 4, NULL, 0);
    tenant_ctx_t *ctxs[TENANTS];
    tq_detail_t d;
    for (int i = 0; i < TENANTS; i++) {
        char id[8];
        snprintf(id, sizeof id, "t%02d", i);
        CHECK(tq_ctx_new(L->client, id, &ctxs[i], &d));
        expect_ok(tq_raw_onboard(ctxs[i], &tq_test_docs, &d), &d, "onboard");
    }
    pthread_t th[THREADS];
    worker_t w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].ctxs = ctxs;
        w[i].index = i;
        assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        if (w[i].failures)
            fail_msg("thread %d: %d failures, first: %s", i, w[i].failures, w[i].first_error);
    }
    /* Every data request carried a token naming exactly its own tenant and collection. */
    cJSON *log = read_log(L->log_path);
    size_t data_requests = 0, admin_requests = 0, rbac_proofs = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, log)
    {
        const char *path = cJSON_GetObjectItem(e, "path")->valuestring;
        const char *cred = cJSON_GetObjectItem(e, "credential")->valuestring;
        if (strstr(path, "/collections/tq-rbac-probe-unlisted/") == path) {
            /* the one-time proof that the server refuses a token for another collection */
            assert_int_equal(cJSON_GetObjectItem(e, "status")->valueint, 403);
            rbac_proofs++;
            continue;
        }
        assert_int_equal(cJSON_GetObjectItem(e, "status")->valueint, 200);
        if (!strstr(path, "/points")) {
            assert_string_equal(cred, "api_key");
            admin_requests++;
            continue;
        }
        data_requests++;
        assert_string_equal(cred, "jwt");
        const char *coll = path + strlen("/collections/");
        const char *slash = strchr(coll, '/');
        char collection[128];
        snprintf(collection, sizeof collection, "%.*s", (int)(slash - coll), coll);
        const char *tenant = strstr(collection, "--") + 2;
        assert_string_equal(cJSON_GetObjectItem(e, "jwt_sub")->valuestring, tenant);
        const cJSON *access = cJSON_GetObjectItem(e, "jwt_access");
        assert_int_equal(cJSON_GetArraySize(access), 1);
        const cJSON *entry = cJSON_GetArrayItem(access, 0);
        assert_string_equal(cJSON_GetObjectItem(entry, "collection")->valuestring, collection);
        /* least privilege: points read/write for the upsert, read-only for the search */
        assert_string_equal(cJSON_GetObjectItem(entry, "access")->valuestring,
                            strstr(path, "/points/query") ? "r" : "prw");
    }
    cJSON_Delete(log);
    assert_int_equal(rbac_proofs, 1);
    assert_int_equal(data_requests, (size_t)THREADS * ROUNDS * TENANTS * 2);
    assert_true(admin_requests >= TENANTS);
    for (int i = 0; i < TENANTS; i++)
        tq_ctx_free(ctxs[i]);
    close_live(L);
}

static void server_refuses_a_token_for_another_collection(void **state)
{
    (void)state;
    /* The server-side layer: a misrouted data request carrying one tenant's token is
     * refused by the server (403), because data requests never carry the API key. */
    live_t *L = &the_live;
    open_live(L, "{\"acme\":{},\"globex\":{}}", 1, 0, NULL, 0);
    tenant_ctx_t *acme, *globex;
    tq_detail_t d;
    CHECK(tq_ctx_new(L->client, "acme", &acme, &d));
    CHECK(tq_ctx_new(L->client, "globex", &globex, &d));
    expect_ok(tq_raw_onboard(acme, &tq_test_docs, &d), &d, "onboard acme");
    expect_ok(tq_raw_onboard(globex, &tq_test_docs, &d), &d, "onboard globex");
    tq_raw_route_t acme_route;
    expect_ok(tq_raw_route(acme, &tq_test_docs, &acme_route, &d), &d, "route");
    tq_auth_t auth;
    expect_ok(tq_test_auth(acme, &acme_route, 0, 0, TQ_ACCESS_READ, &auth, &d), &d, "auth");
    assert_int_equal(auth.kind, TQ_CRED_BEARER);
    const char *paths[] = {"/collections/kb-docs--globex/points/count",
                           "/collections/kb-docs--acme/points/count"};
    const tq_status_t want[] = {TQ_EAUTH, TQ_OK};
    for (int i = 0; i < 2; i++) {
        tq_request_t rq = {
            .kind = TQ_REQ_POINTS_COUNT,
            .method = "POST",
            .endpoint = &L->client->endpoints[0],
            .path = paths[i],
            .body = "{\"exact\":true}",
            .credential = auth.kind,
            .secret = auth.secret,
            .op = TQ_OP_COUNT,
        };
        tq_response_t resp = {0};
        assert_int_equal(tq_http_perform(L->client, &rq, &resp, &d), want[i]);
        if (want[i] == TQ_EAUTH) {
            assert_int_equal(d.http_status, 403);
            assert_non_null(strstr(d.message, "kb-docs--globex"));
        }
        tq_response_free(&resp);
    }
    tq_auth_release(&auth);
    tq_ctx_free(acme);
    tq_ctx_free(globex);
    close_live(L);
}

/* GET / answers with the server's version and needs no credential: the request log
 * shows none was sent although the client holds an API key. */
static void expect_message(const tq_detail_t *d, const char *fragment)
{
    if (!strstr(d->message, fragment))
        fail_msg("message \"%s\" lacks \"%s\"", d->message, fragment);
}

static size_t log_count_path_prefix(const char *log_path, const char *prefix)
{
    cJSON *log = read_log(log_path);
    size_t n = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, log)
    {
        if (strncmp(cJSON_GetObjectItem(e, "path")->valuestring, prefix, strlen(prefix)) == 0)
            n++;
    }
    cJSON_Delete(log);
    return n;
}

/* Issue: with tenant_jwt on, a server without an API key accepted every token and the
 * server layer vanished without a word. Now the first token-bearing call proves the
 * server refuses a token for a collection the token does not list; when it does not,
 * every call fails with TQ_EAUTH, and the proof is asked for once per endpoint. */
static void tokens_need_a_server_that_enforces_rbac(void **state)
{
    (void)state;
    live_t *L = &the_live;
    open_custom(L, NULL, KEY, 1); /* a server with no key at all: auth is off */
    tenant_ctx_t *acme;
    tq_detail_t d;
    uint64_t n;
    CHECK(tq_ctx_new(L->client, "acme", &acme, &d));
    expect_ok(tq_raw_onboard(acme, &tq_test_notes, &d), &d, "onboard (API key)");
    for (int i = 0; i < 3; i++) {
        assert_int_equal(tq_raw_count(acme, &tq_test_notes, NULL, NULL, &n, &d), TQ_EAUTH);
        expect_message(&d, "does not enforce JWT RBAC");
        expect_message(&d, "HTTP 404, not 403");
    }
    tq_raw_batch_t *b = tq_raw_batch_new(acme, &tq_test_notes, NULL);
    const float v[4] = {1, 0, 0, 0};
    tq_raw_batch_point(b, "k", v, 4);
    assert_int_equal(tq_raw_batch_upsert(b, &d), TQ_EAUTH);
    tq_raw_batch_free(b);
    /* one proof for the endpoint, and no data request ever left without it */
    assert_int_equal(log_count_path_prefix(L->log_path, "/collections/tq-rbac-probe-unlisted/"),
                     1);
    assert_int_equal(log_count_path_prefix(L->log_path, "/collections/kb-notes/points"), 0);
    tq_ctx_free(acme);
    assert_int_equal(release_live(L), 0);

    /* A server with the key but without jwt_rbac answers tokens with 401. */
    const char *key_only[] = {"--api-key", KEY, NULL};
    open_custom(L, key_only, KEY, 1);
    CHECK(tq_ctx_new(L->client, "acme", &acme, &d));
    assert_int_equal(tq_raw_count(acme, &tq_test_notes, NULL, NULL, &n, &d), TQ_EAUTH);
    expect_message(&d, "refused a token signed with the key from TENANTQ_QDRANT_API_KEY (HTTP 401)");
    tq_ctx_free(acme);
    assert_int_equal(release_live(L), 0);

    /* With RBAC on, the proof passes and data flows (403 for the probe only). */
    const char *rbac[] = {"--api-key", KEY, "--jwt-rbac", NULL};
    open_custom(L, rbac, KEY, 1);
    CHECK(tq_ctx_new(L->client, "acme", &acme, &d));
    expect_ok(tq_raw_onboard(acme, &tq_test_notes, &d), &d, "onboard");
    expect_ok(tq_raw_count(acme, &tq_test_notes, NULL, NULL, &n, &d), &d, "count");
    expect_ok(tq_raw_count(acme, &tq_test_notes, NULL, NULL, &n, &d), &d, "count again");
    assert_int_equal(log_count_path_prefix(L->log_path, "/collections/tq-rbac-probe-unlisted/"),
                     1);
    tq_ctx_free(acme);
}

/* Messages say what to do: an auth failure names where the key came from, a missing
 * collection names the onboard function. */
static void failures_say_what_to_do(void **state)
{
    (void)state;
    live_t *L = &the_live;
    const char *rbac[] = {"--api-key", KEY, "--jwt-rbac", NULL};
    open_custom(L, rbac, "not-the-key", 0);
    tenant_ctx_t *acme;
    tq_detail_t d;
    uint64_t n;
    CHECK(tq_ctx_new(L->client, "acme", &acme, &d));
    assert_int_equal(tq_raw_count(acme, &tq_test_notes, NULL, NULL, &n, &d), TQ_EAUTH);
    expect_message(&d, "HTTP 401");
    expect_message(&d, "(credential: the API key from TENANTQ_QDRANT_API_KEY)");
    tq_ctx_free(acme);
    assert_int_equal(release_live(L), 0);

    open_custom(L, rbac, KEY, 0);
    CHECK(tq_ctx_new(L->client, "globex", &acme, &d));
    const char *scope[] = {"team-a"};
    assert_int_equal(tq_raw_count(acme, &tq_test_docs, scope, NULL, &n, &d), TQ_ENOTFOUND);
    expect_message(&d, "collection kb-docs--globex does not exist: tenant \"globex\" is probably "
                       "not onboarded; call kb_onboard_tenant() first");
    tq_ctx_free(acme);
}

static void server_info_sends_no_credential(void **state)
{
    (void)state;
    live_t *L = &the_live;
    open_live(L, "{\"acme\":{}}", 0, 0, NULL, 1);
    tq_server_info_t info;
    tq_detail_t d;
    expect_ok(tq_client_server_info(L->client, NULL, &info, &d), &d, "server info");
    assert_string_equal(info.title, "qdrant - vector search engine");
    assert_string_equal(info.version, "1.19.0");
    assert_true(info.latency_us > 0);
    expect_ok(tq_client_server_info(L->client, "second", &info, &d), &d, "second endpoint");
    assert_int_equal(tq_client_server_info(L->client, "nowhere", &info, &d), TQ_EINVAL);
    assert_non_null(strstr(d.message, "nowhere"));
    FILE *log = fopen(L->log_path, "r");
    assert_non_null(log);
    char line[4096];
    int root_requests = 0;
    while (fgets(line, sizeof line, log)) {
        if (!strstr(line, "\"path\":\"/\""))
            continue;
        root_requests++;
        assert_non_null(strstr(line, "\"credential\":\"none\""));
    }
    fclose(log);
    assert_int_equal(root_requests, 1);
    close_live(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(placements_round_trip, teardown),
        cmocka_unit_test_teardown(retries_under_injected_faults, teardown),
        cmocka_unit_test_teardown(threads_never_cross_tokens, teardown),
        cmocka_unit_test_teardown(server_refuses_a_token_for_another_collection, teardown),
        cmocka_unit_test_teardown(server_info_sends_no_credential, teardown),
        cmocka_unit_test_teardown(tokens_need_a_server_that_enforces_rbac, teardown),
        cmocka_unit_test_teardown(failures_say_what_to_do, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
