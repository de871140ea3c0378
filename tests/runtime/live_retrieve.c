/* live_retrieve.c: the request shapes of hybrid retrieval against the scripted HTTP
 * fixture, in every placement: text search, hybrid and grouped search each carry the
 * tenant and scope conditions in every prefetch branch and at the top level, the IDF
 * corpus of every sparse query is exactly the caller's tenant and scope, upserts store
 * the BM25 document vector, onboarding declares the sparse vector with modifier idf,
 * grouped answers pass the leak guard and the group-id check, and a tiered tenant's
 * requests (and only those) name its shard key with the "default" fallback. */
#include "test_common.h"

#include "bm25.h"
#include "http_fixture.h"
#include "uuid.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char empty_query[] = "{\"result\":{\"points\":[]},\"status\":\"ok\",\"time\":0}";
static const char empty_groups[] = "{\"result\":{\"groups\":[]},\"status\":\"ok\",\"time\":0}";
static const char *const scope_fields[] = {"team"};
static const char *const sparse_fields[] = {"title", "body"};

/* kb.docs with a BM25 vector over title and body, grouped by doc. */
static const tq_raw_collection_t hybrid_docs = {
    .schema = "kb",
    .name = "docs",
    .vector_name = "text",
    .dim = 2,
    .distance = TQ_DISTANCE_COSINE,
    .default_placement = TQ_PLACEMENT_COLLECTION,
    .scope_fields = scope_fields,
    .scope_count = 1,
    .sparse_name = "bm25",
    .sparse_fields = sparse_fields,
    .sparse_field_count = 2,
    .fusion = TQ_FUSION_DBSF,
    .group_field = "doc",
};

typedef struct env {
    fixture_t *fx;
    tq_registry_t *registry;
    tq_client_t *client;
    tenant_ctx_t *ctx[4]; /* acme: collection, initech: shared, umbrella: dedicated,
                             hooli: tiered */
} env_t;

#define PLACEMENTS 4
static const char *const tenants[] = {"acme", "initech", "umbrella", "hooli"};
static const char *const routed[] = {"kb-docs--acme", "kb-docs", "kb-docs--umbrella",
                                     "kb-docs-tiered"};

static env_t *open_env(void)
{
    env_t *e = calloc(1, sizeof *e);
    char json[512];
    tq_detail_t d;
    assert_non_null(e);
    e->fx = fixture_start();
    assert_non_null(e->fx);
    setenv("TENANTQ_QDRANT_URL", fixture_url(e->fx), 1);
    setenv("TENANTQ_QDRANT_API_KEY", "fixture-key", 1);
    snprintf(json, sizeof json,
             "{\"version\":1,\"endpoints\":{\"eu\":{\"url\":\"%s\"}},\"tenants\":{"
             "\"acme\":{},\"initech\":{\"placement\":\"shared\"},"
             "\"umbrella\":{\"placement\":\"dedicated\",\"endpoint\":\"eu\"},"
             "\"hooli\":{\"placement\":\"tiered\"}}}",
             fixture_url(e->fx));
    assert_int_equal(tq_registry_parse(json, strlen(json), "t", &e->registry, &d), TQ_OK);
    tq_client_options_t o;
    tq_client_options_init(&o);
    o.max_retries = 0;
    o.skip_schema_check = 1; /* the scripts answer the data requests only */
    assert_int_equal(tq_client_new(e->registry, &o, &e->client, &d), TQ_OK);
    for (size_t i = 0; i < PLACEMENTS; i++)
        assert_int_equal(tq_ctx_new(e->client, tenants[i], &e->ctx[i], &d), TQ_OK);
    return e;
}

static void close_env(env_t *e)
{
    for (size_t i = 0; i < PLACEMENTS; i++)
        tq_ctx_free(e->ctx[i]);
    tq_client_free(e->client);
    tq_registry_free(e->registry);
    fixture_stop(e->fx);
    free(e);
}

/* The shard key selector: {"target": tenant, "fallback": "default"} for the tiered
 * tenant, absent for every other placement. */
static void expect_selector(const cJSON *body, const char *tenant)
{
    const cJSON *sel = cJSON_GetObjectItem(body, "shard_key");
    if (strcmp(tenant, "hooli") != 0) {
        assert_null(sel);
        return;
    }
    assert_int_equal(cJSON_GetArraySize(sel), 2);
    assert_string_equal(cJSON_GetObjectItem(sel, "target")->valuestring, tenant);
    assert_string_equal(cJSON_GetObjectItem(sel, "fallback")->valuestring, "default");
}

static cJSON *body_of(fixture_t *fx, size_t i)
{
    fixture_request_t r = fixture_request(fx, i);
    assert_non_null(r.body);
    cJSON *body = cJSON_Parse(r.body);
    assert_non_null(body);
    return body;
}

static int is_match(const cJSON *condition, const char *key, const char *value)
{
    const cJSON *k = cJSON_GetObjectItem(condition, "key");
    const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(condition, "match"), "value");
    return cJSON_IsString(k) && strcmp(k->valuestring, key) == 0 && cJSON_IsString(v) &&
           strcmp(v->valuestring, value) == 0;
}

/* `filter` is {"must":[tenant, team, ...]} with `extra` conditions after the two. */
static void expect_scoped(const cJSON *filter, const char *tenant, int extra, const char *where)
{
    const cJSON *must = cJSON_GetObjectItem(filter, "must");
    if (!cJSON_IsArray(must) || cJSON_GetArraySize(must) != 2 + extra ||
        !is_match(cJSON_GetArrayItem(must, 0), "tq_tenant", tenant) ||
        !is_match(cJSON_GetArrayItem(must, 1), "team", "team-a"))
        fail_msg("%s: filter is not the tenant %s and scope team-a plus %d conditions", where,
                 tenant, extra);
}

/* A sparse branch: the BM25 query on "bm25" with the IDF corpus of the caller. */
static void expect_sparse(const cJSON *branch, const char *tenant, size_t terms)
{
    assert_string_equal(cJSON_GetObjectItem(branch, "using")->valuestring, "bm25");
    const cJSON *q = cJSON_GetObjectItem(branch, "query");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(q, "indices")), terms);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(q, "values")), terms);
    const cJSON *corpus = cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(branch, "params"), "idf"), "corpus");
    expect_scoped(corpus, tenant, 0, "IDF corpus");
}

static void expect_dense(const cJSON *branch)
{
    assert_string_equal(cJSON_GetObjectItem(branch, "using")->valuestring, "text");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(branch, "query")), 2);
    assert_null(cJSON_GetObjectItem(branch, "params"));
}

/* The two prefetch branches of a fused request and its fusion. */
static void expect_fused(const cJSON *body, const char *tenant, int limit)
{
    const cJSON *prefetch = cJSON_GetObjectItem(body, "prefetch");
    assert_int_equal(cJSON_GetArraySize(prefetch), 2);
    expect_dense(cJSON_GetArrayItem(prefetch, 0));
    expect_sparse(cJSON_GetArrayItem(prefetch, 1), tenant, 2);
    for (int i = 0; i < 2; i++) {
        const cJSON *branch = cJSON_GetArrayItem(prefetch, i);
        expect_scoped(cJSON_GetObjectItem(branch, "filter"), tenant, 1, "prefetch branch");
        assert_int_equal(cJSON_GetObjectItem(branch, "limit")->valueint, limit * 4 < 32 ? 32 : limit * 4);
    }
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetObjectItem(body, "query"), "fusion")->valuestring, "dbsf");
    expect_scoped(cJSON_GetObjectItem(body, "filter"), tenant, 1, "top level");
}

static void every_op_every_placement(void **state)
{
    (void)state;
    env_t *e = open_env();
    const char *scope[] = {"team-a"};
    const float v[2] = {0.5f, 0.25f};
    const fixture_step_t query = {200, empty_query, 0}, groups = {200, empty_groups, 0};
    tq_raw_result_t r;
    tq_detail_t d;
    char url[128];
    tq_raw_filter_t *f = tq_raw_filter_new();
    tq_raw_filter_match_text(f, "body", "disk full");

    for (size_t p = 0; p < PLACEMENTS; p++) {
        const tenant_ctx_t *ctx = e->ctx[p];
        const char *tenant = tenants[p];
        cJSON *body;

        /* text search: the sparse query at the top level, with the IDF corpus */
        fixture_script(e->fx, NULL, 0, &query);
        assert_int_equal(tq_raw_retrieve(ctx, &hybrid_docs, scope, TQ_RETRIEVE_TEXT, NULL, 0,
                                         "Error E-4012 on the disks", f, 5, NULL, &r, &d),
                         TQ_OK);
        tq_raw_result_free(&r);
        snprintf(url, sizeof url, "/collections/%s/points/query", routed[p]);
        assert_string_equal(fixture_request(e->fx, 0).url, url);
        body = body_of(e->fx, 0);
        /* error, e, 4012, disk */
        expect_sparse(body, tenant, 4);
        expect_selector(body, tenant);
        expect_scoped(cJSON_GetObjectItem(body, "filter"), tenant, 1, "text search");
        const cJSON *text_cond =
            cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(body, "filter"), "must"), 2);
        assert_string_equal(
            cJSON_GetObjectItem(cJSON_GetObjectItem(text_cond, "match"), "text")->valuestring,
            "disk full");
        assert_null(cJSON_GetObjectItem(body, "prefetch"));
        assert_int_equal(cJSON_GetObjectItem(body, "limit")->valueint, 5);
        cJSON_Delete(body);

        /* hybrid: two scoped branches, fused, scoped again at the top */
        fixture_script(e->fx, NULL, 0, &query);
        double threshold = 0.25;
        assert_int_equal(tq_raw_retrieve(ctx, &hybrid_docs, scope, TQ_RETRIEVE_HYBRID, v, 2,
                                         "disk errors", f, 10, &threshold, &r, &d),
                         TQ_OK);
        tq_raw_result_free(&r);
        assert_string_equal(fixture_request(e->fx, 0).url, url);
        body = body_of(e->fx, 0);
        expect_fused(body, tenant, 10);
        expect_selector(body, tenant);
        assert_true(cJSON_GetObjectItem(body, "score_threshold")->valuedouble == 0.25);
        assert_null(cJSON_GetObjectItem(body, "group_by"));
        cJSON_Delete(body);

        /* grouped: fused, dense only and text only, on the groups endpoint */
        snprintf(url, sizeof url, "/collections/%s/points/query/groups", routed[p]);
        fixture_script(e->fx, NULL, 0, &groups);
        assert_int_equal(tq_raw_retrieve(ctx, &hybrid_docs, scope, TQ_RETRIEVE_GROUPS, v, 2,
                                         "disk errors", f, 3, NULL, &r, &d),
                         TQ_OK);
        tq_raw_result_free(&r);
        assert_int_equal(tq_raw_retrieve(ctx, &hybrid_docs, scope, TQ_RETRIEVE_GROUPS, v, 2,
                                         NULL, f, 3, NULL, &r, &d),
                         TQ_OK);
        tq_raw_result_free(&r);
        assert_int_equal(tq_raw_retrieve(ctx, &hybrid_docs, scope, TQ_RETRIEVE_GROUPS, NULL, 0,
                                         "disk errors", f, 3, NULL, &r, &d),
                         TQ_OK);
        assert_int_equal(fixture_request_count(e->fx), 3);
        for (size_t i = 0; i < 3; i++) {
            assert_string_equal(fixture_request(e->fx, i).url, url);
            body = body_of(e->fx, i);
            assert_string_equal(cJSON_GetObjectItem(body, "group_by")->valuestring, "doc");
            expect_selector(body, tenant);
            assert_int_equal(cJSON_GetObjectItem(body, "group_size")->valueint, 1);
            assert_int_equal(cJSON_GetObjectItem(body, "limit")->valueint, 3);
            if (i == 0)
                expect_fused(body, tenant, 3);
            else
                expect_scoped(cJSON_GetObjectItem(body, "filter"), tenant, 1, "grouped");
            if (i == 1)
                expect_dense(body);
            if (i == 2)
                expect_sparse(body, tenant, 2);
            cJSON_Delete(body);
        }
        tq_raw_result_free(&r);
    }
    tq_raw_filter_free(f);
    close_env(e);
}

static void stop_words_and_bad_arguments(void **state)
{
    (void)state;
    env_t *e = open_env();
    const char *scope[] = {"team-a"};
    const float v[2] = {0.5f, 0.25f}, inf[2] = {1.0f / 0.0f, 0};
    const fixture_step_t query = {200, empty_query, 0};
    tq_raw_result_t r;
    tq_detail_t d;
    const tenant_ctx_t *ctx = e->ctx[1];

    fixture_script(e->fx, NULL, 0, &query);
    /* Only stop words: text search asks nothing, hybrid keeps the dense branch. */
    memset(&r, 0x5a, sizeof r);
    assert_int_equal(tq_raw_retrieve(ctx, &hybrid_docs, scope, TQ_RETRIEVE_TEXT, NULL, 0,
                                     "the and of", NULL, 5, NULL, &r, &d),
                     TQ_OK);
    assert_int_equal(r.count, 0);
    assert_int_equal(fixture_request_count(e->fx), 0);
    assert_int_equal(tq_raw_retrieve(ctx, &hybrid_docs, scope, TQ_RETRIEVE_HYBRID, v, 2,
                                     "the and of", NULL, 5, NULL, &r, &d),
                     TQ_OK);
    tq_raw_result_free(&r);
    cJSON *body = body_of(e->fx, 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(body, "prefetch")), 1);
    expect_scoped(cJSON_GetObjectItem(
                      cJSON_GetArrayItem(cJSON_GetObjectItem(body, "prefetch"), 0), "filter"),
                  "initech", 0, "dense branch");
    expect_scoped(cJSON_GetObjectItem(body, "filter"), "initech", 0, "top level");
    cJSON_Delete(body);

    /* Refused before anything is sent. */
    fixture_script(e->fx, NULL, 0, &query);
    struct {
        tq_retrieval_t mode;
        const float *vector;
        size_t dim;
        const char *text;
        uint32_t limit;
        const char *const *scope;
    } bad[] = {
        {TQ_RETRIEVE_TEXT, v, 2, "disk", 5, scope},   {TQ_RETRIEVE_TEXT, NULL, 0, NULL, 5, scope},
        {TQ_RETRIEVE_HYBRID, NULL, 0, "disk", 5, scope}, {TQ_RETRIEVE_HYBRID, v, 2, NULL, 5, scope},
        {TQ_RETRIEVE_HYBRID, v, 3, "disk", 5, scope}, {TQ_RETRIEVE_HYBRID, inf, 2, "disk", 5, scope},
        {TQ_RETRIEVE_GROUPS, NULL, 0, NULL, 5, scope}, {TQ_RETRIEVE_HYBRID, v, 2, "disk", 0, scope},
        {TQ_RETRIEVE_TEXT, NULL, 0, "caf\xc3", 5, scope}, {(tq_retrieval_t)7, v, 2, "disk", 5, scope},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(tq_raw_retrieve(ctx, &hybrid_docs, bad[i].scope, bad[i].mode,
                                         bad[i].vector, bad[i].dim, bad[i].text, NULL,
                                         bad[i].limit, NULL, &r, &d),
                         TQ_EINVAL);
    assert_int_equal(tq_raw_retrieve(ctx, &hybrid_docs, NULL, TQ_RETRIEVE_TEXT, NULL, 0, "disk",
                                     NULL, 5, NULL, &r, &d),
                     TQ_ESCOPE);
    /* A collection without a sparse vector or group field. */
    assert_int_equal(tq_raw_retrieve(ctx, &tq_test_docs, scope, TQ_RETRIEVE_TEXT, NULL, 0,
                                     "disk", NULL, 5, NULL, &r, &d),
                     TQ_EINVAL);
    assert_int_equal(tq_raw_retrieve(ctx, &tq_test_docs, scope, TQ_RETRIEVE_GROUPS, v, 2, NULL,
                                     NULL, 5, NULL, &r, &d),
                     TQ_EINVAL);
    assert_int_equal(fixture_request_count(e->fx), 0);
    close_env(e);
}

static void upsert_and_onboard(void **state)
{
    (void)state;
    env_t *e = open_env();
    const char *scope[] = {"team-a"};
    const float v[2] = {0.5f, 0.25f};
    const fixture_step_t exists[] = {
        {200, "{\"result\":{\"exists\":false},\"status\":\"ok\",\"time\":0}", 0},
        {200, "{\"result\":{\"exists\":false},\"status\":\"ok\",\"time\":0}", 0}};
    const fixture_step_t completed = {200, "{\"result\":{\"status\":\"completed\"}}", 0};
    tq_detail_t d;

    fixture_script(e->fx, exists, 2, &completed);
    assert_int_equal(tq_raw_onboard(e->ctx[0], &hybrid_docs, &d), TQ_OK);
    size_t create = 0;
    while (create < fixture_request_count(e->fx) &&
           (strcmp(fixture_request(e->fx, create).method, "PUT") != 0 ||
            strcmp(fixture_request(e->fx, create).url, "/collections/kb-docs--acme") != 0))
        create++;
    assert_true(create < fixture_request_count(e->fx));
    cJSON *body = body_of(e->fx, create);
    const cJSON *bm25 =
        cJSON_GetObjectItem(cJSON_GetObjectItem(body, "sparse_vectors"), "bm25");
    assert_string_equal(cJSON_GetObjectItem(bm25, "modifier")->valuestring, "idf");
    cJSON_Delete(body);

    fixture_script(e->fx, NULL, 0, &completed);
    tq_raw_batch_t *b = tq_raw_batch_new(e->ctx[1], &hybrid_docs, scope);
    tq_raw_batch_point(b, "k1", v, 2);
    tq_raw_batch_keyword(b, "title", "Cats");
    tq_raw_batch_keyword(b, "body", "running cats");
    tq_raw_batch_point(b, "k2", v, 2);
    tq_raw_batch_keyword(b, "body", "the and of");
    assert_int_equal(tq_raw_batch_upsert(b, &d), TQ_OK);
    tq_raw_batch_free(b);
    body = body_of(e->fx, 0);
    const cJSON *points = cJSON_GetObjectItem(body, "points");
    const cJSON *sparse =
        cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(points, 0), "vector"), "bm25");
    /* "Cats\nrunning cats": cat twice, run once among d = 3 stems. */
    uint32_t cat = tq_bm25_token_id("cat", 3), run = tq_bm25_token_id("run", 3);
    const cJSON *indices = cJSON_GetObjectItem(sparse, "indices");
    const cJSON *values = cJSON_GetObjectItem(sparse, "values");
    assert_int_equal(cJSON_GetArraySize(indices), 2);
    size_t ci = (uint32_t)cJSON_GetArrayItem(indices, 0)->valuedouble == cat ? 0 : 1;
    assert_true((uint32_t)cJSON_GetArrayItem(indices, (int)ci)->valuedouble == cat);
    assert_true((uint32_t)cJSON_GetArrayItem(indices, (int)(1 - ci))->valuedouble == run);
    float want = (float)(2 * 2.2 / (2 + 1.2 * (0.25 + 0.75 * 3 / 256.0)));
    assert_true((float)cJSON_GetArrayItem(values, (int)ci)->valuedouble == want);
    /* A text of stop words stores no sparse vector. */
    assert_null(cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetArrayItem(points, 1), "vector"), "bm25"));
    expect_selector(body, "initech");
    cJSON_Delete(body);

    /* The tiered tenant's upsert names its shard key; its onboarding creates the
     * collection custom-sharded, then the "default" shard key. */
    fixture_script(e->fx, NULL, 0, &completed);
    b = tq_raw_batch_new(e->ctx[3], &hybrid_docs, scope);
    tq_raw_batch_point(b, "k1", v, 2);
    assert_int_equal(tq_raw_batch_upsert(b, &d), TQ_OK);
    tq_raw_batch_free(b);
    assert_string_equal(fixture_request(e->fx, 0).url,
                        "/collections/kb-docs-tiered/points?wait=true");
    body = body_of(e->fx, 0);
    expect_selector(body, "hooli");
    cJSON_Delete(body);
    const fixture_step_t tiered[] = {
        {200, "{\"result\":{\"exists\":false},\"status\":\"ok\",\"time\":0}", 0},
        {200, "{\"result\":true,\"status\":\"ok\",\"time\":0}", 0},
        {200, "{\"result\":{\"shard_keys\":[]},\"status\":\"ok\",\"time\":0}", 0},
        {200, "{\"result\":true,\"status\":\"ok\",\"time\":0}", 0}};
    fixture_script(e->fx, tiered, 4, &completed);
    assert_int_equal(tq_raw_onboard(e->ctx[3], &hybrid_docs, &d), TQ_OK);
    assert_string_equal(fixture_request(e->fx, 1).url, "/collections/kb-docs-tiered");
    body = body_of(e->fx, 1);
    assert_string_equal(cJSON_GetObjectItem(body, "sharding_method")->valuestring, "custom");
    cJSON_Delete(body);
    assert_string_equal(fixture_request(e->fx, 2).url, "/collections/kb-docs-tiered/shards");
    assert_string_equal(fixture_request(e->fx, 3).method, "PUT");
    assert_string_equal(fixture_request(e->fx, 3).url,
                        "/collections/kb-docs-tiered/shards");
    body = body_of(e->fx, 3);
    assert_string_equal(cJSON_GetObjectItem(body, "shard_key")->valuestring, "default");
    cJSON_Delete(body);
    close_env(e);
}

/* A groups answer holding one hit of `tenant` in group `group` whose doc is `doc`. */
static void groups_answer(char *out, size_t cap, const char *tenant, const char *group,
                          const char *doc)
{
    char id[TQ_UUID_STR_LEN + 1];
    const char *scope[] = {"team-a"};
    assert_int_equal(tq_point_id_derive(tenant, "kb-docs", scope, 1, "k1", id), TQ_OK);
    snprintf(out, cap,
             "{\"result\":{\"groups\":[{\"id\":\"%s\",\"hits\":[{\"id\":\"%s\",\"version\":1,"
             "\"score\":0.5,\"payload\":{\"tq_tenant\":\"%s\",\"tq_key\":\"k1\",\"team\":"
             "\"team-a\",\"doc\":\"%s\"}}]}]},\"status\":\"ok\",\"time\":0}",
             group, id, tenant, doc);
}

static void grouped_answers_are_guarded(void **state)
{
    (void)state;
    env_t *e = open_env();
    const char *scope[] = {"team-a"};
    static char own[1024], other[1024], wrong_group[1024];
    tq_raw_result_t r;
    tq_detail_t d;
    groups_answer(own, sizeof own, "initech", "manual", "manual");
    groups_answer(other, sizeof other, "acme", "manual", "manual");
    groups_answer(wrong_group, sizeof wrong_group, "initech", "faq", "manual");
    fixture_step_t steps[] = {{200, own, 0}, {200, other, 0}, {200, wrong_group, 0}};
    fixture_script(e->fx, steps, 3, NULL);
    assert_int_equal(tq_raw_retrieve(e->ctx[1], &hybrid_docs, scope, TQ_RETRIEVE_GROUPS, NULL, 0,
                                     "disk", NULL, 3, NULL, &r, &d),
                     TQ_OK);
    assert_int_equal(r.count, 1);
    assert_string_equal(tq_raw_point_key(tq_raw_result_point(&r, 0)), "k1");
    assert_true(tq_raw_point_score(tq_raw_result_point(&r, 0)) == 0.5);
    tq_raw_result_free(&r);
    memset(&r, 0, sizeof r);
    assert_int_equal(tq_raw_retrieve(e->ctx[1], &hybrid_docs, scope, TQ_RETRIEVE_GROUPS, NULL, 0,
                                     "disk", NULL, 3, NULL, &r, &d),
                     TQ_ELEAK);
    assert_int_equal(r.count, 0);
    assert_int_equal(tq_raw_retrieve(e->ctx[1], &hybrid_docs, scope, TQ_RETRIEVE_GROUPS, NULL, 0,
                                     "disk", NULL, 3, NULL, &r, &d),
                     TQ_EPROTO);
    close_env(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_op_every_placement),
        cmocka_unit_test(stop_words_and_bad_arguments),
        cmocka_unit_test(upsert_and_onboard),
        cmocka_unit_test(grouped_answers_are_guarded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
