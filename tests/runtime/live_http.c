/* live_http.c: the HTTP transport against a scripted local server: retries (and their
 * absence for non-idempotent requests), dropped connections, the body-size limit,
 * per-request credentials on reused connections, keep-alive, error envelopes, the
 * request shapes of every operation, and the leak guard end to end. */
#include "test_common.h"

#include "http_fixture.h"
#include "late_server.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char count_body[] = "{\"result\":{\"count\":7},\"status\":\"ok\",\"time\":0}";
static const char exists_false[] = "{\"result\":{\"exists\":false},\"status\":\"ok\",\"time\":0}";
static const char exists_true[] = "{\"result\":{\"exists\":true},\"status\":\"ok\",\"time\":0}";
/* GET /collections/C of collections made before fingerprints (no metadata): adopted
 * because the vector matches, then stamped with a PATCH. */
static const char notes_info[] =
    "{\"result\":{\"config\":{\"params\":{\"vectors\":{\"body\":{\"size\":4,"
    "\"distance\":\"Dot\"}}}}},\"status\":\"ok\",\"time\":0}";
static const char docs_info[] =
    "{\"result\":{\"config\":{\"params\":{\"vectors\":{\"text\":{\"size\":2,"
    "\"distance\":\"Cosine\"}}}}},\"status\":\"ok\",\"time\":0}";
static const char empty_scroll[] =
    "{\"result\":{\"points\":[],\"next_page_offset\":null},\"status\":\"ok\",\"time\":0}";
static const char not_found[] =
    "{\"status\":{\"error\":\"Not found: Collection `kb-notes` doesn't exist!\"},\"time\":0}";
static const char unauthorized[] = "Must provide an API key or an Authorization bearer token";
static char big_body[8192];
static char leak_body[2048];

typedef struct env {
    fixture_t *fx;
    tq_registry_t *registry;
    tq_client_t *client;
    tenant_ctx_t *acme, *globex, *initech; /* initech: the shared placement */
} env_t;

static env_t *open_env(int tenant_jwt, size_t max_response_bytes, size_t batch)
{
    env_t *e = calloc(1, sizeof *e);
    assert_non_null(e);
    e->fx = fixture_start();
    assert_non_null(e->fx);
    setenv("TENANTQ_QDRANT_URL", fixture_url(e->fx), 1);
    setenv("TENANTQ_QDRANT_API_KEY", "fixture-key", 1);
    const char *json = "{\"version\":1,\"tenants\":{\"acme\":{},\"globex\":{},"
                       "\"initech\":{\"placement\":\"shared\"}}}";
    tq_detail_t d;
    assert_int_equal(tq_registry_parse(json, strlen(json), "t", &e->registry, &d), TQ_OK);
    tq_client_options_t o;
    tq_client_options_init(&o);
    o.retry_base_ms = 1;
    o.retry_max_ms = 4;
    o.max_retries = 3;
    o.tenant_jwt = tenant_jwt;
    o.skip_schema_check = 1; /* the scripts answer the data requests only */
    if (max_response_bytes)
        o.max_response_bytes = max_response_bytes;
    if (batch)
        o.upsert_batch_size = batch;
    assert_int_equal(tq_client_new(e->registry, &o, &e->client, &d), TQ_OK);
    assert_int_equal(tq_ctx_new(e->client, "acme", &e->acme, &d), TQ_OK);
    assert_int_equal(tq_ctx_new(e->client, "globex", &e->globex, &d), TQ_OK);
    assert_int_equal(tq_ctx_new(e->client, "initech", &e->initech, &d), TQ_OK);
    /* The fixture is not Qdrant; the RBAC proof is tested against the devserver. */
    tq_test_assume_rbac(e->client);
    return e;
}

static void close_env(env_t *e)
{
    tq_ctx_free(e->acme);
    tq_ctx_free(e->globex);
    tq_ctx_free(e->initech);
    tq_client_free(e->client);
    tq_registry_free(e->registry);
    fixture_stop(e->fx);
    free(e);
}

static const tq_op_stats_t *op_stats(tq_stats_t *s, const char *tenant, tq_op_t op)
{
    for (size_t i = 0; i < s->tenant_count; i++) {
        if (strcmp(s->tenants[i].tenant, tenant) == 0)
            return &s->tenants[i].ops[op];
    }
    fail_msg("no stats for %s", tenant);
    return NULL;
}

static void retries_503_then_succeeds(void **state)
{
    (void)state;
    env_t *e = open_env(0, 0, 0);
    const fixture_step_t steps[] = {{503, "busy", 0}, {503, "busy", 0}, {200, count_body, 0}};
    fixture_script(e->fx, steps, 3, NULL);
    uint64_t n = 0;
    tq_detail_t d;
    assert_int_equal(tq_raw_count(e->acme, &tq_test_notes, NULL, NULL, &n, &d), TQ_OK);
    assert_int_equal(n, 7);
    assert_int_equal(fixture_request_count(e->fx), 3);
    for (size_t i = 0; i < 3; i++) {
        fixture_request_t r = fixture_request(e->fx, i);
        assert_string_equal(r.method, "POST");
        assert_string_equal(r.url, "/collections/kb-notes/points/count");
    }
    tq_stats_t *s;
    assert_int_equal(tq_client_stats(e->client, &s), TQ_OK);
    const tq_op_stats_t *o = op_stats(s, "acme", TQ_OP_COUNT);
    assert_int_equal(o->requests, 3);
    assert_int_equal(o->retries, 2);
    assert_int_equal(o->calls, 1);
    assert_int_equal(o->errors, 0);
    tq_stats_free(s);
    close_env(e);
}

static void persistent_429_is_busy(void **state)
{
    (void)state;
    env_t *e = open_env(0, 0, 0);
    const fixture_step_t busy = {429, "{\"status\":{\"error\":\"Too many requests\"},\"time\":0}", 0};
    fixture_script(e->fx, NULL, 0, &busy);
    uint64_t n = 0;
    tq_detail_t d;
    assert_int_equal(tq_raw_count(e->acme, &tq_test_notes, NULL, NULL, &n, &d), TQ_EBUSY);
    assert_int_equal(d.http_status, 429);
    assert_non_null(strstr(d.message, "Too many requests"));
    assert_int_equal(fixture_request_count(e->fx), 4); /* 1 + max_retries */
    close_env(e);
}

static void collection_create_is_not_retried(void **state)
{
    (void)state;
    env_t *e = open_env(0, 0, 0);
    /* first: is acme (default placement shared) stored in the collection placement? */
    const fixture_step_t steps[] = {
        {200, exists_false, 0}, {200, exists_false, 0}, {503, "unavailable", 0}};
    fixture_script(e->fx, steps, 3, NULL);
    tq_detail_t d;
    assert_int_equal(tq_raw_onboard(e->acme, &tq_test_notes, &d), TQ_EBUSY);
    assert_int_equal(fixture_request_count(e->fx), 3);
    assert_string_equal(fixture_request(e->fx, 0).url, "/collections/kb-notes--acme/exists");
    assert_string_equal(fixture_request(e->fx, 2).method, "PUT");
    assert_string_equal(fixture_request(e->fx, 2).url, "/collections/kb-notes");
    /* the same failure on an idempotent index request is retried */
    const fixture_step_t steps2[] = {{200, exists_false, 0}, {200, exists_true, 0},
                                     {200, notes_info, 0},   {200, NULL, 0},
                                     {503, "x", 0},          {200, NULL, 0}};
    fixture_script(e->fx, steps2, 6, NULL);
    assert_int_equal(tq_raw_onboard(e->acme, &tq_test_notes, &d), TQ_OK);
    assert_string_equal(fixture_request(e->fx, 2).url, "/collections/kb-notes");
    assert_string_equal(fixture_request(e->fx, 3).method, "PATCH");
    assert_string_equal(fixture_request(e->fx, 4).url, "/collections/kb-notes/index?wait=true");
    assert_string_equal(fixture_request(e->fx, 5).url, "/collections/kb-notes/index?wait=true");
    /* placement probe, exists, info, metadata, tq_tenant (twice), tq_key */
    assert_int_equal(fixture_request_count(e->fx), 7);
    close_env(e);
}

static void dropped_connection_is_retried(void **state)
{
    (void)state;
    env_t *e = open_env(0, 0, 0);
    const fixture_step_t steps[] = {{0, NULL, 0}, {200, count_body, 0}};
    fixture_script(e->fx, steps, 2, NULL);
    uint64_t n = 0;
    tq_detail_t d;
    assert_int_equal(tq_raw_count(e->acme, &tq_test_notes, NULL, NULL, &n, &d), TQ_OK);
    assert_int_equal(n, 7);
    assert_int_equal(fixture_request_count(e->fx), 2);
    close_env(e);
}

static void oversized_answer_is_refused(void **state)
{
    (void)state;
    env_t *e = open_env(0, 2048, 0);
    memset(big_body, ' ', sizeof big_body - 1);
    memcpy(big_body, count_body, strlen(count_body));
    const fixture_step_t big = {200, big_body, 0};
    fixture_script(e->fx, NULL, 0, &big);
    uint64_t n = 99;
    tq_detail_t d;
    assert_int_equal(tq_raw_count(e->acme, &tq_test_notes, NULL, NULL, &n, &d), TQ_ELIMIT);
    assert_non_null(strstr(d.message, "max_response_bytes (2048)"));
    assert_int_equal(n, 99);
    assert_int_equal(fixture_request_count(e->fx), 1);
    close_env(e);
}

static void expect_bearer_for(const fixture_request_t *r, const char *tenant,
                              const char *collection)
{
    assert_string_equal(r->api_key, "");
    assert_memory_equal(r->authorization, "Bearer ", 7);
    char *claims_text = tq_test_jwt_claims(r->authorization + 7);
    assert_non_null(claims_text);
    cJSON *claims = cJSON_Parse(claims_text);
    free(claims_text);
    assert_string_equal(cJSON_GetObjectItem(claims, "sub")->valuestring, tenant);
    cJSON *access = cJSON_GetObjectItem(claims, "access");
    assert_int_equal(cJSON_GetArraySize(access), 1);
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetArrayItem(access, 0), "collection")->valuestring, collection);
    cJSON_Delete(claims);
}

static void credentials_are_chosen_per_request(void **state)
{
    (void)state;
    env_t *e = open_env(1, 0, 0);
    const fixture_step_t ok = {200, count_body, 0};
    fixture_script(e->fx, NULL, 0, &ok);
    uint64_t n;
    tq_detail_t d;
    size_t before = fixture_connections(e->fx);
    tenant_ctx_t *order[] = {e->acme, e->globex, e->acme, e->globex, e->globex, e->acme};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(tq_raw_count(order[i], &tq_test_docs, (const char *[]){"t"}, NULL, &n, &d),
                         TQ_OK);
    assert_int_equal(fixture_request_count(e->fx), 6);
    for (size_t i = 0; i < 6; i++) {
        fixture_request_t r = fixture_request(e->fx, i);
        const char *t = tq_ctx_tenant(order[i]);
        char coll[64];
        snprintf(coll, sizeof coll, "kb-docs--%s", t);
        char url[128];
        snprintf(url, sizeof url, "/collections/%s/points/count", coll);
        assert_string_equal(r.url, url);
        expect_bearer_for(&r, t, coll);
    }
    /* one keep-alive connection per tenant served all six: never one across tenants */
    assert_int_equal(fixture_connections(e->fx) - before, 2);

    /* admin requests carry the API key and no token */
    const fixture_step_t steps[] = {
        {200, exists_false, 0}, {200, exists_true, 0}, {200, docs_info, 0}};
    fixture_script(e->fx, steps, 3, NULL);
    assert_int_equal(tq_raw_onboard(e->acme, &tq_test_docs, &d), TQ_OK);
    size_t count = fixture_request_count(e->fx);
    /* placement probe (does kb-docs exist?), exists, info, metadata, then tq_tenant,
     * tq_key, team, year */
    assert_int_equal(count, 8);
    assert_string_equal(fixture_request(e->fx, 0).url, "/collections/kb-docs/exists");
    for (size_t i = 0; i < count; i++) {
        fixture_request_t r = fixture_request(e->fx, i);
        assert_string_equal(r.api_key, "fixture-key");
        assert_string_equal(r.authorization, "");
    }
    /* and a data request right after an admin one on the same connection has no key */
    fixture_script(e->fx, NULL, 0, &ok);
    assert_int_equal(tq_raw_count(e->globex, &tq_test_notes, NULL, NULL, &n, &d), TQ_OK);
    fixture_request_t r = fixture_request(e->fx, 0);
    expect_bearer_for(&r, "globex", "kb-notes");
    close_env(e);

    e = open_env(0, 0, 0);
    fixture_script(e->fx, NULL, 0, &ok);
    assert_int_equal(tq_raw_count(e->acme, &tq_test_notes, NULL, NULL, &n, &d), TQ_OK);
    r = fixture_request(e->fx, 0);
    assert_string_equal(r.api_key, "fixture-key");
    assert_string_equal(r.authorization, "");
    close_env(e);
}

/* A pooled handle keeps only the options every request shares: one request's method
 * and body never carry over to the next request on the same keep-alive connection. */
static void methods_and_bodies_do_not_carry_over(void **state)
{
    (void)state;
    env_t *e = open_env(1, 0, 0);
    const fixture_step_t ok = {200, count_body, 0};
    fixture_script(e->fx, NULL, 0, &ok);
    uint64_t n;
    tq_detail_t d;
    assert_int_equal(tq_raw_count(e->acme, &tq_test_notes, NULL, NULL, &n, &d), TQ_OK);
    fixture_request_t r = fixture_request(e->fx, 0);
    assert_string_equal(r.method, "POST");
    assert_non_null(r.body);
    assert_true(strlen(r.body) > 0);
    size_t connections = fixture_connections(e->fx);

    /* GET .../exists right after the POST, on the same connection: a GET without a body */
    const fixture_step_t steps[] = {
        {200, exists_false, 0}, {200, exists_true, 0}, {200, docs_info, 0}};
    fixture_script(e->fx, steps, 3, NULL);
    assert_int_equal(tq_raw_onboard(e->acme, &tq_test_docs, &d), TQ_OK);
    r = fixture_request(e->fx, 0);
    assert_string_equal(r.url, "/collections/kb-docs/exists");
    assert_string_equal(r.method, "GET");
    assert_true(r.body == NULL || r.body[0] == '\0');
    assert_string_equal(r.authorization, "");

    /* and a POST after the GETs and PUTs carries its own body and a token again */
    fixture_script(e->fx, NULL, 0, &ok);
    assert_int_equal(tq_raw_count(e->acme, &tq_test_notes, NULL, NULL, &n, &d), TQ_OK);
    r = fixture_request(e->fx, 0);
    assert_string_equal(r.method, "POST");
    assert_non_null(r.body);
    assert_non_null(strstr(r.body, "acme"));
    expect_bearer_for(&r, "acme", "kb-notes");
    assert_int_equal(fixture_connections(e->fx), connections);
    close_env(e);
}

static void error_envelopes(void **state)
{
    (void)state;
    env_t *e = open_env(0, 0, 0);
    const fixture_step_t nf = {404, not_found, 0};
    fixture_script(e->fx, NULL, 0, &nf);
    uint64_t n;
    tq_detail_t d;
    assert_int_equal(tq_raw_count(e->acme, &tq_test_notes, NULL, NULL, &n, &d), TQ_ENOTFOUND);
    assert_int_equal(d.http_status, 404);
    assert_non_null(strstr(d.message, "Not found: Collection `kb-notes` doesn't exist!"));
    const fixture_step_t un = {401, unauthorized, 0};
    fixture_script(e->fx, NULL, 0, &un);
    assert_int_equal(tq_raw_count(e->acme, &tq_test_notes, NULL, NULL, &n, &d), TQ_EAUTH);
    assert_non_null(strstr(d.message, unauthorized));
    assert_null(strstr(d.message, "fixture-key"));
    const fixture_step_t conflict = {409, "{\"status\":{\"error\":\"exists\"}}", 0};
    fixture_script(e->fx, NULL, 0, &conflict);
    assert_int_equal(tq_raw_count(e->acme, &tq_test_notes, NULL, NULL, &n, &d), TQ_ECONFLICT);
    const fixture_step_t bad = {400, "{\"status\":{\"error\":\"Wrong input\"}}", 0};
    fixture_script(e->fx, NULL, 0, &bad);
    assert_int_equal(tq_raw_count(e->acme, &tq_test_notes, NULL, NULL, &n, &d), TQ_EHTTP);
    assert_int_equal(fixture_request_count(e->fx), 1);
    const fixture_step_t junk = {200, "<html>", 0};
    fixture_script(e->fx, NULL, 0, &junk);
    assert_int_equal(tq_raw_count(e->acme, &tq_test_notes, NULL, NULL, &n, &d), TQ_EPROTO);
    close_env(e);
}

static void connection_refused(void **state)
{
    (void)state;
    env_t *e = open_env(0, 0, 0);
    fixture_t *fx = e->fx;
    char url[64];
    snprintf(url, sizeof url, "%s", fixture_url(fx));
    tq_ctx_free(e->acme);
    tq_ctx_free(e->globex);
    tq_ctx_free(e->initech);
    tq_client_free(e->client);
    fixture_stop(fx);
    e->fx = NULL;
    /* the fixture's port is closed now */
    setenv("TENANTQ_QDRANT_URL", url, 1);
    tq_client_options_t o;
    tq_client_options_init(&o);
    o.retry_base_ms = 1;
    o.retry_max_ms = 2;
    o.max_retries = 2;
    tq_detail_t d;
    assert_int_equal(tq_client_new(e->registry, &o, &e->client, &d), TQ_OK);
    assert_int_equal(tq_ctx_new(e->client, "acme", &e->acme, &d), TQ_OK);
    e->globex = NULL;
    e->initech = NULL;
    uint64_t n;
    assert_int_equal(tq_raw_count(e->acme, &tq_test_notes, NULL, NULL, &n, &d), TQ_ECONNECT);
    assert_non_null(strstr(d.message, url));
    tq_stats_t *s;
    assert_int_equal(tq_client_stats(e->client, &s), TQ_OK);
    assert_int_equal(op_stats(s, "acme", TQ_OP_COUNT)->requests, 3);
    assert_int_equal(op_stats(s, "acme", TQ_OP_COUNT)->errors, 1);
    tq_stats_free(s);
    close_env(e);
}

static cJSON *body_of(fixture_t *fx, size_t i)
{
    fixture_request_t r = fixture_request(fx, i);
    assert_non_null(r.body);
    cJSON *body = cJSON_Parse(r.body);
    assert_non_null(body);
    return body;
}

/* Fails unless `condition` is {"key": key, "match": {"value": value}}. */
static void expect_match(const cJSON *condition, const char *key, const char *value)
{
    const cJSON *k = cJSON_GetObjectItem(condition, "key");
    const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(condition, "match"), "value");
    if (!cJSON_IsString(k) || strcmp(k->valuestring, key) != 0 || !cJSON_IsString(v) ||
        strcmp(v->valuestring, value) != 0)
        fail_msg("expected the condition %s = %s first in the filter", key, value);
}

/* Checks that `filter` starts with the tenant and scope conditions. */
static void expect_tenant_filter(const cJSON *body, const char *tenant, const char *team)
{
    const cJSON *must = cJSON_GetObjectItem(cJSON_GetObjectItem(body, "filter"), "must");
    assert_true(cJSON_IsArray(must));
    expect_match(cJSON_GetArrayItem(must, 0), "tq_tenant", tenant);
    if (team)
        expect_match(cJSON_GetArrayItem(must, 1), "team", team);
}

static void request_shapes(void **state)
{
    (void)state;
    env_t *e = open_env(0, 0, 2);
    const char *scope[] = {"team-a"};
    tq_detail_t d;
    tq_raw_result_t r;
    const fixture_step_t scroll = {200, empty_scroll, 0};

    /* get: a filtered scroll with has_id, never a bare retrieve */
    fixture_script(e->fx, NULL, 0, &scroll);
    const char *keys[] = {"doc-1"};
    assert_int_equal(tq_raw_get(e->acme, &tq_test_docs, scope, keys, 1, 0, &r, &d), TQ_OK);
    assert_int_equal(r.count, 0);
    tq_raw_result_free(&r);
    assert_string_equal(fixture_request(e->fx, 0).url, "/collections/kb-docs--acme/points/scroll");
    cJSON *body = body_of(e->fx, 0);
    expect_tenant_filter(body, "acme", "team-a");
    const cJSON *has_id = cJSON_GetObjectItem(
        cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(body, "filter"), "must"), 2),
        "has_id");
    assert_string_equal(cJSON_GetArrayItem(has_id, 0)->valuestring,
                        "e725b592-3905-57a1-a9a8-f7bf4ba21426");
    cJSON_Delete(body);

    /* search: the universal query endpoint with the named vector */
    const fixture_step_t query = {200, "{\"result\":{\"points\":[]},\"status\":\"ok\",\"time\":0}", 0};
    fixture_script(e->fx, NULL, 0, &query);
    const float v[2] = {0.5f, 0.25f};
    tq_raw_filter_t *f = tq_raw_filter_new();
    tq_raw_filter_match_keyword(f, "lang", "en");
    double threshold = 0.5;
    assert_int_equal(
        tq_raw_search(e->acme, &tq_test_docs, scope, v, 2, f, 5, &threshold, 0, &r, &d), TQ_OK);
    tq_raw_result_free(&r);
    assert_string_equal(fixture_request(e->fx, 0).url, "/collections/kb-docs--acme/points/query");
    body = body_of(e->fx, 0);
    expect_tenant_filter(body, "acme", "team-a");
    assert_string_equal(cJSON_GetObjectItem(body, "using")->valuestring, "text");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(body, "query")), 2);
    assert_int_equal(cJSON_GetObjectItem(body, "limit")->valueint, 5);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(body, "with_payload")));
    assert_true(cJSON_GetObjectItem(body, "score_threshold")->valuedouble == 0.5);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(body, "filter"),
                                                            "must")),
                     3);
    cJSON_Delete(body);
    /* non-finite query vectors never leave the process */
    const float bad[2] = {1.0f / 0.0f, 0};
    assert_int_equal(tq_raw_search(e->acme, &tq_test_docs, scope, bad, 2, f, 5, NULL, 0, &r, &d),
                     TQ_EINVAL);
    assert_int_equal(fixture_request_count(e->fx), 1);
    tq_raw_filter_free(f);

    /* delete by key and by filter go through the filtered delete */
    fixture_script(e->fx, NULL, 0, NULL);
    assert_int_equal(tq_raw_delete_keys(e->acme, &tq_test_docs, scope, keys, 1, &d), TQ_OK);
    assert_int_equal(tq_raw_delete_filter(e->acme, &tq_test_docs, scope, NULL, &d), TQ_OK);
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(fixture_request(e->fx, i).url,
                            "/collections/kb-docs--acme/points/delete?wait=true");
        body = body_of(e->fx, i);
        expect_tenant_filter(body, "acme", "team-a");
        assert_null(cJSON_GetObjectItem(body, "points"));
        cJSON_Delete(body);
    }

    /* scroll passes the cursor */
    fixture_script(e->fx, NULL, 0, &scroll);
    assert_int_equal(tq_raw_scroll(e->acme, &tq_test_docs, scope, NULL, 10,
                                   "e725b592-3905-57a1-a9a8-f7bf4ba21426", 1, &r, &d),
                     TQ_OK);
    tq_raw_result_free(&r);
    body = body_of(e->fx, 0);
    assert_string_equal(cJSON_GetObjectItem(body, "offset")->valuestring,
                        "e725b592-3905-57a1-a9a8-f7bf4ba21426");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(body, "with_vector")));
    cJSON_Delete(body);
    assert_int_equal(tq_raw_scroll(e->acme, &tq_test_docs, scope, NULL, 10, "../x", 1, &r, &d),
                     TQ_EINVAL);

    /* upsert in chunks of 2, wait=true; a failing chunk names its first key */
    const fixture_step_t steps[] = {{200, NULL, 0}, {500, "{\"status\":{\"error\":\"boom\"}}", 0}};
    fixture_script(e->fx, steps, 2, NULL);
    tq_raw_batch_t *b = tq_raw_batch_new(e->acme, &tq_test_docs, scope);
    const char *names[] = {"k0", "k1", "k2", "k3", "k4"};
    for (size_t i = 0; i < 5; i++)
        tq_raw_batch_point(b, names[i], v, 2);
    assert_int_equal(tq_raw_batch_upsert(b, &d), TQ_EHTTP);
    assert_non_null(strstr(d.message, "2 of 5 points stored; first key not written: \"k2\""));
    assert_int_equal(d.items_done, 2);
    assert_non_null(strstr(d.message, "boom"));
    assert_int_equal(fixture_request_count(e->fx), 2);
    assert_string_equal(fixture_request(e->fx, 0).method, "PUT");
    assert_string_equal(fixture_request(e->fx, 0).url, "/collections/kb-docs--acme/points?wait=true");
    body = body_of(e->fx, 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(body, "points")), 2);
    cJSON_Delete(body);
    fixture_script(e->fx, NULL, 0, NULL);
    assert_int_equal(tq_raw_batch_upsert(b, &d), TQ_OK);
    assert_int_equal(fixture_request_count(e->fx), 3);
    tq_raw_batch_free(b);

    /* offboard sweeps: it lists the endpoint's collections, counts the tenant's points
     * in the shared one, deletes them by the tenant filter, then counts exactly */
    const fixture_step_t off[] = {
        {200, "{\"result\":{\"collections\":[{\"name\":\"kb-notes\"},{\"name\":\"x\"}]}}", 0},
        {200, count_body, 0},
        {200, "{\"result\":{\"status\":\"completed\"}}", 0},
        {200, count_body, 0}};
    fixture_script(e->fx, off, 4, NULL);
    assert_int_equal(tq_raw_offboard(e->acme, &tq_test_notes, &d), TQ_EVERIFY);
    assert_non_null(strstr(d.message, "7 points"));
    assert_int_equal(fixture_request_count(e->fx), 4);
    assert_string_equal(fixture_request(e->fx, 0).url, "/collections");
    assert_string_equal(fixture_request(e->fx, 2).url,
                        "/collections/kb-notes/points/delete?wait=true");
    body = body_of(e->fx, 2);
    expect_tenant_filter(body, "acme", NULL);
    cJSON_Delete(body);
    body = body_of(e->fx, 3);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(body, "exact")));
    expect_tenant_filter(body, "acme", NULL);
    cJSON_Delete(body);
    close_env(e);
}

static void leak_guard_end_to_end(void **state)
{
    (void)state;
    env_t *e = open_env(0, 0, 0);
    const char *scope[] = {"team-a"};
    char foreign_id[TQ_UUID_STR_LEN + 1];
    tq_detail_t d;
    assert_int_equal(tq_raw_point_id(e->globex, &tq_test_docs, scope, "doc-1", foreign_id, &d),
                     TQ_OK);
    snprintf(leak_body, sizeof leak_body,
             "{\"result\":{\"points\":[{\"id\":\"%s\",\"payload\":{\"tq_tenant\":\"globex\","
             "\"tq_key\":\"doc-1\",\"team\":\"team-a\",\"secret\":\"globex data\"}}],"
             "\"next_page_offset\":null},\"status\":\"ok\",\"time\":0}",
             foreign_id);
    const fixture_step_t leak = {200, leak_body, 0};
    fixture_script(e->fx, NULL, 0, &leak);
    tq_raw_result_t r;
    memset(&r, 0, sizeof r);
    const char *keys[] = {"doc-1"};
    assert_int_equal(tq_raw_get(e->acme, &tq_test_docs, scope, keys, 1, 0, &r, &d), TQ_ELEAK);
    assert_int_equal(r.count, 0);
    assert_null(r.points);
    assert_non_null(strstr(d.message, "kb-docs--acme"));
    assert_non_null(strstr(d.message, foreign_id));
    assert_null(strstr(d.message, "globex data"));
    assert_int_equal(tq_raw_scroll(e->acme, &tq_test_docs, scope, NULL, 10, NULL, 0, &r, &d),
                     TQ_ELEAK);
    tq_stats_t *s;
    assert_int_equal(tq_client_stats(e->client, &s), TQ_OK);
    assert_int_equal(s->leak_guard_trips, 2);
    for (size_t i = 0; i < s->tenant_count; i++)
        assert_int_equal(s->tenants[i].leak_guard_trips,
                         strcmp(s->tenants[i].tenant, "acme") == 0 ? 2 : 0);
    assert_int_equal(op_stats(s, "acme", TQ_OP_GET)->errors, 1);
    tq_stats_free(s);
    close_env(e);
}

static void total_timeout_is_final(void **state)
{
    (void)state;
    env_t *e = open_env(0, 0, 0);
    tq_ctx_free(e->acme);
    tq_ctx_free(e->globex);
    tq_ctx_free(e->initech);
    e->initech = NULL; /* contexts are the client's memory: none may outlive it */
    tq_client_free(e->client);
    tq_client_options_t o;
    tq_client_options_init(&o);
    o.total_timeout_ms = 200;
    o.retry_base_ms = 1;
    tq_detail_t d;
    assert_int_equal(tq_client_new(e->registry, &o, &e->client, &d), TQ_OK);
    assert_int_equal(tq_ctx_new(e->client, "acme", &e->acme, &d), TQ_OK);
    assert_int_equal(tq_ctx_new(e->client, "globex", &e->globex, &d), TQ_OK);
    const fixture_step_t slow = {200, count_body, 1000};
    fixture_script(e->fx, NULL, 0, &slow);
    uint64_t n = 0;
    assert_int_equal(tq_raw_count(e->acme, &tq_test_notes, NULL, NULL, &n, &d), TQ_ETIMEOUT);
    /* a timeout is not retried: the server may still be working on the request */
    assert_int_equal(fixture_request_count(e->fx), 1);
    close_env(e);
}

static void https_with_a_ca_file(void **state)
{
    (void)state;
    char *cert = NULL, *key = NULL;
    assert_int_equal(fixture_make_cert(&cert, &key), 0);
    fixture_t *fx = fixture_start_tls(cert, key);
    assert_non_null(fx);
    assert_memory_equal(fixture_url(fx), "https://", 8);
    char ca_path[] = "/tmp/tq-ca-XXXXXX";
    int fd = mkstemp(ca_path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, cert, strlen(cert)), (ssize_t)strlen(cert));
    close(fd);
    setenv("TENANTQ_QDRANT_URL", fixture_url(fx), 1);
    setenv("TENANTQ_QDRANT_API_KEY", "fixture-key", 1);
    const char *json = "{\"version\":1,\"tenants\":{\"acme\":{}}}";
    tq_registry_t *reg;
    tq_detail_t d;
    assert_int_equal(tq_registry_parse(json, strlen(json), "t", &reg, &d), TQ_OK);
    const fixture_step_t ok = {200, count_body, 0};
    for (int with_ca = 0; with_ca < 2; with_ca++) {
        tq_client_options_t o;
        tq_client_options_init(&o);
        o.max_retries = 0;
        /* Certificate checks, not timeouts, are under test: leave room for a TLS
         * handshake under valgrind, where both ends run in this one slowed process. */
        o.connect_timeout_ms = 30000;
        o.ca_file = with_ca ? ca_path : NULL;
        o.skip_schema_check = 1;
        tq_client_t *client;
        tenant_ctx_t *acme;
        assert_int_equal(tq_client_new(reg, &o, &client, &d), TQ_OK);
        assert_int_equal(tq_ctx_new(client, "acme", &acme, &d), TQ_OK);
        fixture_script(fx, NULL, 0, &ok);
        uint64_t n = 0;
        tq_status_t st = tq_raw_count(acme, &tq_test_notes, NULL, NULL, &n, &d);
        if (with_ca) {
            assert_int_equal(st, TQ_OK);
            assert_int_equal(n, 7);
            assert_string_equal(fixture_request(fx, 0).api_key, "fixture-key");
        } else {
            /* a self-signed server is refused by the system trust store */
            assert_int_equal(st, TQ_ETLS);
            assert_int_equal(fixture_request_count(fx), 0);
        }
        tq_ctx_free(acme);
        tq_client_free(client);
    }
    tq_registry_free(reg);
    unlink(ca_path);
    fixture_stop(fx);
    free(cert);
    free(key);
}

/* The shared placement keeps every tenant in one collection, so each read and delete,
 * get by key included (never a bare lookup by id), must carry the tenant and scope. */
static void shared_request_shapes(void **state)
{
    (void)state;
    env_t *e = open_env(0, 0, 2);
    const char *scope[] = {"team-a"};
    const char *keys[] = {"doc-1"};
    const float v[2] = {0.5f, 0.25f};
    const fixture_step_t scroll = {200, empty_scroll, 0};
    const fixture_step_t query = {200, "{\"result\":{\"points\":[]},\"status\":\"ok\",\"time\":0}", 0};
    const fixture_step_t count = {200, count_body, 0};
    tq_detail_t d;
    tq_raw_result_t r;
    uint64_t n = 0;
    static const char *const urls[] = {
        "/collections/kb-docs/points/scroll", "/collections/kb-docs/points/query",
        "/collections/kb-docs/points/count", "/collections/kb-docs/points/scroll",
        "/collections/kb-docs/points/delete?wait=true",
    };
    for (size_t call = 0; call < sizeof urls / sizeof *urls; call++) {
        tq_status_t st;
        switch (call) {
        case 0:
            fixture_script(e->fx, NULL, 0, &scroll);
            st = tq_raw_get(e->initech, &tq_test_docs, scope, keys, 1, 0, &r, &d);
            tq_raw_result_free(&r);
            break;
        case 1:
            fixture_script(e->fx, NULL, 0, &query);
            st = tq_raw_search(e->initech, &tq_test_docs, scope, v, 2, NULL, 5, NULL, 0, &r, &d);
            tq_raw_result_free(&r);
            break;
        case 2:
            fixture_script(e->fx, NULL, 0, &count);
            st = tq_raw_count(e->initech, &tq_test_docs, scope, NULL, &n, &d);
            break;
        case 3:
            fixture_script(e->fx, NULL, 0, &scroll);
            st = tq_raw_scroll(e->initech, &tq_test_docs, scope, NULL, 10, NULL, 0, &r, &d);
            tq_raw_result_free(&r);
            break;
        default:
            fixture_script(e->fx, NULL, 0, NULL);
            st = tq_raw_delete_keys(e->initech, &tq_test_docs, scope, keys, 1, &d);
            break;
        }
        if (st != TQ_OK)
            fail_msg("call %zu: %s: %s", call, tq_status_name(st), d.message);
        assert_int_equal(fixture_request_count(e->fx), 1);
        assert_string_equal(fixture_request(e->fx, 0).url, urls[call]);
        cJSON *body = body_of(e->fx, 0);
        expect_tenant_filter(body, "initech", "team-a");
        cJSON_Delete(body);
    }
    close_env(e);
}

/* Issue: one connection pool served every tenant, and an answer nobody asked for,
 * left on a kept-alive connection, was read by the next request: another tenant's
 * count came back as TQ_OK with the first tenant's figure. */
static void late_answers_never_reach_another_tenant(void **state)
{
    (void)state;
    const char *scope[] = {"t"};
    const char *json = "{\"version\":1,\"tenants\":{\"acme\":{},\"globex\":{}}}";
    for (int mode = LATE_AFTER_FIRST; mode <= LATE_BEFORE_SECOND; mode++) {
        late_server_t *srv = late_start((late_mode_t)mode, 20);
        assert_non_null(srv);
        setenv("TENANTQ_QDRANT_URL", late_url(srv), 1);
        unsetenv("TENANTQ_QDRANT_API_KEY");
        tq_registry_t *reg;
        tq_client_t *client;
        tenant_ctx_t *acme, *globex;
        tq_detail_t d;
        uint64_t n = 0;
        tq_client_options_t o;
        tq_client_options_init(&o);
        o.skip_schema_check = 1; /* the server answers counts only */
        assert_int_equal(tq_registry_parse(json, strlen(json), "t", &reg, &d), TQ_OK);
        assert_int_equal(tq_client_new(reg, &o, &client, &d), TQ_OK);
        assert_int_equal(tq_ctx_new(client, "acme", &acme, &d), TQ_OK);
        assert_int_equal(tq_ctx_new(client, "globex", &globex, &d), TQ_OK);
        assert_int_equal(tq_raw_count(acme, &tq_test_docs, scope, NULL, &n, &d), TQ_OK);
        assert_int_equal(n, 1);
        nanosleep(&(struct timespec){0, 150 * 1000000L}, NULL); /* the extra answer waits */
        assert_int_equal(tq_raw_count(globex, &tq_test_docs, scope, NULL, &n, &d), TQ_OK);
        if (n != 2)
            fail_msg("mode %d: globex's count is %llu, not 2: it read an answer sent on "
                     "acme's connection",
                     mode, (unsigned long long)n);
        if (mode == LATE_AFTER_FIRST) {
            /* acme's own connection holds unread bytes: it is dropped, not read from */
            assert_int_equal(tq_raw_count(acme, &tq_test_docs, scope, NULL, &n, &d), TQ_OK);
            assert_int_equal(n, 1);
            assert_int_equal(late_connections(srv), 3);
        }
        tq_ctx_free(acme);
        tq_ctx_free(globex);
        tq_client_free(client);
        tq_registry_free(reg);
        late_stop(srv);
    }
}

/* Issue: upsert and delete took any HTTP 200 as success. Only "completed" is. */
static void write_acknowledgements_are_checked(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        tq_status_t want;
        const char *fragment;
    } answers[] = {
        {"{\"result\":{\"operation_id\":1,\"status\":\"wait_timeout\"},\"status\":\"ok\"}",
         TQ_ETIMEOUT, "wait timed out (wait_timeout); the write may still be applied"},
        {"{\"result\":{\"operation_id\":1,\"status\":\"acknowledged\"},\"status\":\"ok\"}",
         TQ_EPROTO, "only acknowledged a wait=true write"},
        {"{\"status\":{\"error\":\"Service internal error: disk full\"},\"time\":0}", TQ_EHTTP,
         "carried an error: Service internal error: disk full"},
        {"", TQ_EPROTO, "empty body; the write is unconfirmed"},
        {"<html>ok</html>", TQ_EPROTO, "the answer is not JSON"},
        {"{\"result\":true,\"status\":\"ok\"}", TQ_EPROTO,
         "update status \"(none)\" is not \"completed\""},
        {"{\"result\":{\"status\":\"ClockRejected\"},\"status\":\"ok\"}", TQ_EPROTO,
         "update status \"ClockRejected\" is not \"completed\""},
    };
    env_t *e = open_env(0, 0, 2);
    const char *scope[] = {"t"};
    const char *keys[] = {"k"};
    const float v[2] = {1, 0};
    tq_detail_t d;
    for (size_t i = 0; i < sizeof answers / sizeof *answers; i++) {
        /* upsert of 3 points in chunks of 2: the first chunk completes, the second not */
        const fixture_step_t steps[] = {{200, NULL, 0}, {200, answers[i].body, 0}};
        fixture_script(e->fx, steps, 2, NULL);
        tq_raw_batch_t *b = tq_raw_batch_new(e->acme, &tq_test_docs, scope);
        tq_raw_batch_point(b, "a", v, 2);
        tq_raw_batch_point(b, "b", v, 2);
        tq_raw_batch_point(b, "c", v, 2);
        assert_int_equal(tq_raw_batch_upsert(b, &d), answers[i].want);
        tq_raw_batch_free(b);
        if (!strstr(d.message, answers[i].fragment))
            fail_msg("upsert, answer %zu: \"%s\" lacks \"%s\"", i, d.message,
                     answers[i].fragment);
        assert_int_equal(d.items_done, 2);
        assert_non_null(strstr(d.message, "2 of 3 points stored; first key not written: \"c\""));
        /* delete by key and by filter */
        fixture_script(e->fx, steps + 1, 1, NULL);
        assert_int_equal(tq_raw_delete_keys(e->acme, &tq_test_docs, scope, keys, 1, &d),
                         answers[i].want);
        if (!strstr(d.message, answers[i].fragment))
            fail_msg("delete, answer %zu: \"%s\" lacks \"%s\"", i, d.message,
                     answers[i].fragment);
        assert_int_equal(d.items_done, 0);
        fixture_script(e->fx, steps + 1, 1, NULL);
        assert_int_equal(tq_raw_delete_filter(e->acme, &tq_test_docs, scope, NULL, &d),
                         answers[i].want);
    }
    /* and "completed" is success */
    fixture_script(e->fx, NULL, 0, NULL);
    assert_int_equal(tq_raw_delete_keys(e->acme, &tq_test_docs, scope, keys, 1, &d), TQ_OK);
    close_env(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(retries_503_then_succeeds),
        cmocka_unit_test(persistent_429_is_busy),
        cmocka_unit_test(collection_create_is_not_retried),
        cmocka_unit_test(dropped_connection_is_retried),
        cmocka_unit_test(oversized_answer_is_refused),
        cmocka_unit_test(credentials_are_chosen_per_request),
        cmocka_unit_test(methods_and_bodies_do_not_carry_over),
        cmocka_unit_test(error_envelopes),
        cmocka_unit_test(connection_refused),
        cmocka_unit_test(request_shapes),
        cmocka_unit_test(shared_request_shapes),
        cmocka_unit_test(leak_guard_end_to_end),
        cmocka_unit_test(https_with_a_ca_file),
        cmocka_unit_test(total_timeout_is_final),
        cmocka_unit_test(late_answers_never_reach_another_tenant),
        cmocka_unit_test(write_acknowledgements_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
