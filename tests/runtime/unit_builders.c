/* unit_builders.c: the JSON that filters and upsert batches produce, and the values
 * they refuse (reserved and scope fields, non-finite floats, bad vectors). */
#include "test_common.h"

#include "batch.h"
#include "filter.h"
#include "json.h"
#include "result.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *print(const cJSON *item)
{
    char *s = cJSON_PrintUnformatted(item);
    assert_non_null(s);
    return s;
}

static void expect_json(const cJSON *item, const char *want)
{
    char *s = print(item);
    if (strcmp(s, want) != 0)
        fail_msg(" got %s\nwant %s", s, want);
    cJSON_free(s);
}

/* Point `i` of the batch as the upsert body carries it: the body of that point alone,
 * {"points":[...]}, without its wrapper (the caller frees it); its key in *key. */
static char *point_text(const tq_raw_batch_t *b, size_t i, const char **key)
{
    char *body = NULL;
    assert_int_equal(tq_batch_body(b, i, i + 1, &body), TQ_OK);
    size_t len = strlen(body);
    assert_true(len > 13 && strncmp(body, "{\"points\":[", 11) == 0 &&
                strcmp(body + len - 2, "]}") == 0);
    memmove(body, body + 11, len - 13);
    body[len - 13] = '\0';
    tq_batch_point_payload(b, i, key);
    return body;
}

static void filter_json(void **state)
{
    (void)state;
    tq_raw_filter_t *f = tq_raw_filter_new();
    assert_non_null(f);
    tq_raw_filter_match_keyword(f, "lang", "en");
    tq_raw_filter_match_int(f, "year", 2024);
    tq_raw_filter_match_bool(f, "draft", 0);
    const char *tags[] = {"a", "b"};
    tq_raw_filter_any_keyword(f, "tags", tags, 2);
    const int64_t nums[] = {1, -2};
    tq_raw_filter_any_int(f, "n", nums, 2);
    double lo = 0.5, hi = 2;
    tq_raw_filter_range(f, "score", &lo, &hi);
    tq_raw_filter_range(f, "score2", NULL, &hi);
    tq_raw_filter_range(f, "ignored", NULL, NULL);
    tq_raw_filter_datetime_range(f, "at", "2024-01-01T00:00:00Z", NULL);
    const char *scope[] = {"team-a"};
    cJSON *base = tq_json_scope_filter("acme", &tq_test_docs, scope, NULL, 0);
    tq_detail_t d;
    assert_int_equal(tq_filter_apply(f, &tq_test_docs, cJSON_GetObjectItem(base, "must"), &d), TQ_OK);
    expect_json(base,
                "{\"must\":[{\"key\":\"tq_tenant\",\"match\":{\"value\":\"acme\"}},"
                "{\"key\":\"team\",\"match\":{\"value\":\"team-a\"}},"
                "{\"key\":\"lang\",\"match\":{\"value\":\"en\"}},"
                "{\"key\":\"year\",\"match\":{\"value\":2024}},"
                "{\"key\":\"draft\",\"match\":{\"value\":false}},"
                "{\"key\":\"tags\",\"match\":{\"any\":[\"a\",\"b\"]}},"
                "{\"key\":\"n\",\"match\":{\"any\":[1,-2]}},"
                "{\"key\":\"score\",\"range\":{\"gte\":0.5,\"lte\":2}},"
                "{\"key\":\"score2\",\"range\":{\"lte\":2}},"
                "{\"key\":\"at\",\"range\":{\"gte\":\"2024-01-01T00:00:00Z\"}}]}");
    cJSON_Delete(base);
    tq_raw_filter_free(f);

    const char *ids[] = {"e725b592-3905-57a1-a9a8-f7bf4ba21426"};
    base = tq_json_scope_filter("acme", &tq_test_notes, NULL, ids, 1);
    expect_json(base, "{\"must\":[{\"key\":\"tq_tenant\",\"match\":{\"value\":\"acme\"}},"
                      "{\"has_id\":[\"e725b592-3905-57a1-a9a8-f7bf4ba21426\"]}]}");
    cJSON_Delete(base);
}

static void expect_filter_error(tq_raw_filter_t *f, const tq_raw_collection_t *c,
                                tq_status_t want, const char *fragment)
{
    cJSON *must = cJSON_CreateArray();
    tq_detail_t d;
    assert_int_equal(tq_filter_apply(f, c, must, &d), want);
    if (!strstr(d.message, fragment))
        fail_msg("message \"%s\" lacks \"%s\"", d.message, fragment);
    cJSON_Delete(must);
    tq_raw_filter_free(f);
}

static void filter_refusals(void **state)
{
    (void)state;
    tq_raw_filter_t *f = tq_raw_filter_new();
    tq_raw_filter_match_keyword(f, "tq_tenant", "globex");
    expect_filter_error(f, &tq_test_docs, TQ_EINVAL, "tq_tenant");
    f = tq_raw_filter_new();
    tq_raw_filter_match_keyword(f, "team", "team-b");
    expect_filter_error(f, &tq_test_docs, TQ_EINVAL, "scope fields are set by the runtime");
    f = tq_raw_filter_new();
    double nan = NAN;
    tq_raw_filter_range(f, "score", &nan, NULL);
    tq_raw_filter_match_keyword(f, "lang", "en"); /* ignored after the first error */
    expect_filter_error(f, &tq_test_docs, TQ_EINVAL, "finite");
    f = tq_raw_filter_new();
    double inf = INFINITY;
    tq_raw_filter_range(f, "score", NULL, &inf);
    expect_filter_error(f, &tq_test_docs, TQ_EINVAL, "finite");
    f = tq_raw_filter_new();
    tq_raw_filter_match_keyword(f, "a.b", "x");
    expect_filter_error(f, &tq_test_docs, TQ_EINVAL, "a.b");
    f = tq_raw_filter_new();
    tq_raw_filter_match_keyword(f, "lang", "bad \xc3\x28 utf-8");
    expect_filter_error(f, &tq_test_docs, TQ_EINVAL, "valid UTF-8");
    f = tq_raw_filter_new();
    tq_raw_filter_match_int(f, "n", INT64_MAX);
    expect_filter_error(f, &tq_test_docs, TQ_EINVAL, "2^53");
    /* NULL filters record nothing and do not crash */
    tq_raw_filter_match_keyword(NULL, "lang", "en");
    tq_raw_filter_range(NULL, "x", &nan, NULL);
    tq_raw_filter_any_keyword(NULL, "x", NULL, 3);
}

static void batch_json(void **state)
{
    (void)state;
    tq_test_env_t env;
    assert_int_equal(tq_test_env_open(&env, 0), 0);
    const char *scope[] = {"team-a"};
    tq_raw_batch_t *b = tq_raw_batch_new(env.acme, &tq_test_docs, scope);
    const float v[2] = {0.5f, -1.0f};
    tq_raw_batch_point(b, "doc-1", v, 2);
    tq_raw_batch_keyword(b, "title", "Hello");
    tq_raw_batch_int(b, "year", 2024);
    tq_raw_batch_float(b, "rank", 1.5);
    tq_raw_batch_bool(b, "draft", 1);
    const char *tags[] = {"x", "y"};
    tq_raw_batch_keyword_array(b, "tags", tags, 2);
    const int64_t n[] = {3, 4};
    tq_raw_batch_int_array(b, "nums", n, 2);
    const tenant_ctx_t *ctx;
    const tq_tenant_entry_t *tenant_entry;
    const tq_raw_collection_t *c;
    size_t count;
    tq_detail_t d;
    assert_int_equal(tq_batch_state(b, &ctx, &tenant_entry, &c, &count, &d), TQ_OK);
    assert_int_equal(count, 1);
    const char *key;
    char *point = point_text(b, 0, &key);
    assert_string_equal(point,
                "{\"id\":\"e725b592-3905-57a1-a9a8-f7bf4ba21426\",\"vector\":{\"text\":[0.5,-1]},"
                "\"payload\":{\"tq_tenant\":\"acme\",\"tq_key\":\"doc-1\",\"team\":\"team-a\","
                "\"title\":\"Hello\",\"year\":2024,\"rank\":1.5,\"draft\":true,"
                "\"tags\":[\"x\",\"y\"],\"nums\":[3,4]}}");
    free(point);
    assert_string_equal(key, "doc-1");
    tq_raw_batch_free(b);
    tq_test_env_close(&env);
}

static void expect_batch_error(tq_raw_batch_t *b, tq_status_t want, const char *fragment)
{
    const tenant_ctx_t *ctx;
    const tq_tenant_entry_t *tenant_entry;
    const tq_raw_collection_t *c;
    size_t count;
    tq_detail_t d;
    assert_int_equal(tq_batch_state(b, &ctx, &tenant_entry, &c, &count, &d), want);
    if (!strstr(d.message, fragment))
        fail_msg("message \"%s\" lacks \"%s\"", d.message, fragment);
    /* the upsert refuses it too, without sending anything */
    assert_int_equal(tq_raw_batch_upsert(b, &d), want);
    tq_raw_batch_free(b);
}

static void batch_refusals(void **state)
{
    (void)state;
    tq_test_env_t env;
    assert_int_equal(tq_test_env_open(&env, 0), 0);
    const char *scope[] = {"team-a"};
    const float good[2] = {1, 0};
    const float nan_v[2] = {1, NAN};
    const float inf_v[2] = {-INFINITY, 0};

    tq_raw_batch_t *b = tq_raw_batch_new(env.acme, &tq_test_docs, scope);
    tq_raw_batch_point(b, "k", nan_v, 2);
    expect_batch_error(b, TQ_EINVAL, "non-finite");
    b = tq_raw_batch_new(env.acme, &tq_test_docs, scope);
    tq_raw_batch_point(b, "k", inf_v, 2);
    expect_batch_error(b, TQ_EINVAL, "non-finite");
    b = tq_raw_batch_new(env.acme, &tq_test_docs, scope);
    tq_raw_batch_point(b, "k", good, 2);
    tq_raw_batch_float(b, "rank", NAN);
    expect_batch_error(b, TQ_EINVAL, "non-finite float");
    b = tq_raw_batch_new(env.acme, &tq_test_docs, scope);
    tq_raw_batch_point(b, "k", good, 2);
    tq_raw_batch_float(b, "rank", INFINITY);
    expect_batch_error(b, TQ_EINVAL, "non-finite float");
    b = tq_raw_batch_new(env.acme, &tq_test_docs, scope);
    tq_raw_batch_point(b, "k", good, 3);
    expect_batch_error(b, TQ_EINVAL, "vector has 3 floats; collection kb.docs expects 2");
    b = tq_raw_batch_new(env.acme, &tq_test_docs, scope);
    tq_raw_batch_point(b, "k", good, 2);
    tq_raw_batch_keyword(b, "tq_tenant", "globex");
    expect_batch_error(b, TQ_EINVAL, "tq_tenant");
    b = tq_raw_batch_new(env.acme, &tq_test_docs, scope);
    tq_raw_batch_point(b, "k", good, 2);
    tq_raw_batch_keyword(b, "team", "team-b");
    expect_batch_error(b, TQ_EINVAL, "scope field");
    b = tq_raw_batch_new(env.acme, &tq_test_docs, scope);
    tq_raw_batch_keyword(b, "title", "x");
    expect_batch_error(b, TQ_EINVAL, "before any point");
    b = tq_raw_batch_new(env.acme, &tq_test_docs, scope);
    tq_raw_batch_point(b, "k", good, 2);
    tq_raw_batch_int(b, "n", 1);
    tq_raw_batch_int(b, "n", 2);
    expect_batch_error(b, TQ_EINVAL, "set twice");
    b = tq_raw_batch_new(env.acme, &tq_test_docs, scope);
    tq_raw_batch_point(b, "", good, 2);
    expect_batch_error(b, TQ_EINVAL, "key");
    b = tq_raw_batch_new(env.acme, &tq_test_docs, scope);
    tq_raw_batch_point(b, "line\nbreak", good, 2);
    expect_batch_error(b, TQ_EINVAL, "key");
    b = tq_raw_batch_new(env.acme, &tq_test_docs, scope);
    tq_raw_batch_point(b, "k", good, 2);
    tq_raw_batch_keyword(b, "title", "bad \xc3\x28 utf-8");
    expect_batch_error(b, TQ_EINVAL, "title");
    const char *bad_scope[] = {""};
    b = tq_raw_batch_new(env.acme, &tq_test_docs, bad_scope);
    expect_batch_error(b, TQ_ESCOPE, "team");
    b = tq_raw_batch_new(env.acme, &tq_test_docs, NULL);
    expect_batch_error(b, TQ_ESCOPE, "scope");
    /* NULL batches: setters are no-ops and the upsert reports TQ_ENOMEM */
    tq_raw_batch_point(NULL, "k", good, 2);
    tq_raw_batch_keyword(NULL, "title", "x");
    tq_detail_t d;
    assert_int_equal(tq_raw_batch_upsert(NULL, &d), TQ_ENOMEM);
    tq_test_env_close(&env);
}

/* Text values are content: newlines and tabs travel as JSON escapes. */
static void batch_multiline_text(void **state)
{
    (void)state;
    tq_test_env_t env;
    assert_int_equal(tq_test_env_open(&env, 0), 0);
    const char *scope[] = {"team-a"};
    const float v[2] = {1, 0};
    tq_raw_batch_t *b = tq_raw_batch_new(env.acme, &tq_test_docs, scope);
    tq_raw_batch_point(b, "doc-1", v, 2);
    tq_raw_batch_keyword(b, "title", "line one\n\tline two");
    const tenant_ctx_t *ctx;
    const tq_tenant_entry_t *tenant_entry;
    const tq_raw_collection_t *c;
    size_t count;
    tq_detail_t d;
    assert_int_equal(tq_batch_state(b, &ctx, &tenant_entry, &c, &count, &d), TQ_OK);
    const char *key;
    char *json = point_text(b, 0, &key);
    assert_non_null(strstr(json, "\"title\":\"line one\\n\\tline two\""));
    free(json);
    tq_raw_batch_free(b);
    tq_test_env_close(&env);
}

/* A point written by a batch comes back through the response parser (leak guard
 * included) with every value intact. */
static void batch_point_round_trip(void **state)
{
    (void)state;
    tq_test_env_t env;
    assert_int_equal(tq_test_env_open(&env, 0), 0);
    const char *scope[] = {"team-a"};
    tq_raw_batch_t *b = tq_raw_batch_new(env.acme, &tq_test_docs, scope);
    const float v[2] = {0.1f, -3.25e-7f};
    tq_raw_batch_point(b, "caf\xc3\xa9 \"key\"", v, 2);
    tq_raw_batch_keyword(b, "title", "line\\break \xe2\x9c\x93");
    tq_raw_batch_int(b, "year", -9007199254740992LL);
    tq_raw_batch_float(b, "rank", 0.1 + 0.2);
    tq_raw_batch_bool(b, "draft", 1);
    const char *tags[] = {"", "b"};
    tq_raw_batch_keyword_array(b, "tags", tags, 2);
    tq_raw_batch_int_array(b, "nums", NULL, 0);
    const char *key;
    char *point = point_text(b, 0, &key);
    size_t cap = strlen(point) + 64;
    char *body = malloc(cap);
    snprintf(body, cap, "{\"result\":{\"points\":[%s],\"next_page_offset\":null}}", point);
    free(point);
    char logical[] = "kb-docs";
    const char *const fields[] = {"team"};
    tq_guard_t g = {.tenant = "acme", .collection = "kb-docs--acme", .logical = logical,
                    .scope_fields = fields, .scope_values = scope, .scope_count = 1,
                    .vector_name = "text", .dim = 2, .max_results = 10, .max_depth = 64};
    tq_raw_result_t r;
    tq_detail_t d;
    assert_int_equal(tq_result_parse(body, strlen(body), TQ_PARSE_SCROLL, &g, &r, &d), TQ_OK);
    free(body);
    const tq_raw_point_t *p = tq_raw_result_point(&r, 0);
    assert_string_equal(tq_raw_point_key(p), "caf\xc3\xa9 \"key\"");
    size_t dim;
    const float *back = tq_raw_point_vector(p, &dim);
    assert_true(back[0] == v[0] && back[1] == v[1]);
    char *title;
    int present;
    int64_t year;
    double rank;
    int draft;
    char **tag_back;
    int64_t *nums;
    size_t n;
    assert_int_equal(tq_raw_point_keyword(p, "title", &title, &present), TQ_OK);
    assert_string_equal(title, "line\\break \xe2\x9c\x93");
    free(title);
    assert_int_equal(tq_raw_point_int(p, "year", &year, &present), TQ_OK);
    assert_true(year == -9007199254740992LL);
    assert_int_equal(tq_raw_point_float(p, "rank", &rank, &present), TQ_OK);
    assert_true(rank == 0.1 + 0.2);
    assert_int_equal(tq_raw_point_bool(p, "draft", &draft, &present), TQ_OK);
    assert_int_equal(draft, 1);
    assert_int_equal(tq_raw_point_keyword_array(p, "tags", &tag_back, &n, &present), TQ_OK);
    assert_int_equal(n, 2);
    assert_string_equal(tag_back[0], "");
    free(tag_back[0]);
    free(tag_back[1]);
    free(tag_back);
    assert_int_equal(tq_raw_point_int_array(p, "nums", &nums, &n, &present), TQ_OK);
    assert_true(present);
    assert_int_equal(n, 0);
    free(nums);
    tq_raw_result_free(&r);
    tq_raw_batch_free(b);
    tq_test_env_close(&env);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(filter_json),
        cmocka_unit_test(filter_refusals),
        cmocka_unit_test(batch_json),
        cmocka_unit_test(batch_refusals),
        cmocka_unit_test(batch_multiline_text),
        cmocka_unit_test(batch_point_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
