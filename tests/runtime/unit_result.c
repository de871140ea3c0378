/* unit_result.c: response parsing under limits, the leak guard on crafted answers
 * (another tenant's point gives TQ_ELEAK and no data), payload accessors, and
 * allocation failures on every parsing step. */
#include "test_common.h"

#include "result.h"
#include "uuid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const scope_fields[] = {"team"};
static const char *const scope_a[] = {"team-a"};

static tq_guard_t guard(void)
{
    tq_guard_t g = {
        .tenant = "acme",
        .collection = "kb-docs--acme",
        .logical = "kb-docs",
        .scope_fields = scope_fields,
        .scope_values = scope_a,
        .scope_count = 1,
        .vector_name = "text",
        .dim = 2,
        .max_results = 100,
        .max_depth = 64,
    };
    return g;
}

static void id_for(const char *tenant, const char *team, const char *key, char *out)
{
    const char *scope[] = {team};
    assert_int_equal(tq_point_id_derive(tenant, "kb-docs", scope, 1, key, out), TQ_OK);
}

/* A point JSON for (tenant, team, key) whose id is derived from `id_tenant`. */
static void point_json(char *out, size_t cap, const char *id_tenant, const char *tenant,
                       const char *team, const char *key)
{
    char id[TQ_UUID_STR_LEN + 1];
    id_for(id_tenant, team, key, id);
    snprintf(out, cap,
             "{\"id\":\"%s\",\"score\":0.75,\"payload\":{\"tq_tenant\":\"%s\",\"tq_key\":\"%s\","
             "\"team\":\"%s\",\"title\":\"T\",\"year\":2024,\"rank\":1.5,\"draft\":false,"
             "\"tags\":[\"x\",\"y\"],\"nums\":[1,2,3],\"gone\":null},\"vector\":{\"text\":[0.25,0.5]}}",
             id, tenant, key, team);
}

static char *response(const char *p1, const char *p2, const char *next)
{
    char *body = malloc(8192);
    assert_non_null(body);
    snprintf(body, 8192,
             "{\"result\":{\"points\":[%s%s%s],\"next_page_offset\":%s},\"status\":\"ok\","
             "\"time\":0.001}",
             p1, p2 ? "," : "", p2 ? p2 : "", next);
    return body;
}

static void good_answer(void **state)
{
    (void)state;
    char p1[1024], p2[1024];
    point_json(p1, sizeof p1, "acme", "acme", "team-a", "doc-1");
    point_json(p2, sizeof p2, "acme", "acme", "team-a", "doc-2");
    char *body = response(p1, p2, "\"936DA01F-9ABD-4D9D-80C7-02AF85C822A8\"");
    tq_guard_t g = guard();
    tq_raw_result_t r;
    tq_detail_t d;
    assert_int_equal(tq_result_parse(body, strlen(body), TQ_PARSE_SCROLL, &g, &r, &d), TQ_OK);
    assert_int_equal(r.count, 2);
    assert_string_equal(r.next_cursor, "936da01f-9abd-4d9d-80c7-02af85c822a8");
    const tq_raw_point_t *p = tq_raw_result_point(&r, 0);
    assert_string_equal(tq_raw_point_key(p), "doc-1");
    assert_true(tq_raw_point_score(p) == 0.0);
    size_t dim = 0;
    const float *v = tq_raw_point_vector(p, &dim);
    assert_int_equal(dim, 2);
    assert_true(v[0] == 0.25f && v[1] == 0.5f);
    assert_null(tq_raw_result_point(&r, 2));

    char *s = NULL;
    int64_t i = 0;
    double f = 0;
    int b = 7, present = 0;
    assert_int_equal(tq_raw_point_keyword(p, "title", &s, &present), TQ_OK);
    assert_true(present);
    assert_string_equal(s, "T");
    free(s);
    assert_int_equal(tq_raw_point_int(p, "year", &i, &present), TQ_OK);
    assert_int_equal(i, 2024);
    assert_int_equal(tq_raw_point_float(p, "rank", &f, &present), TQ_OK);
    assert_true(f == 1.5);
    assert_int_equal(tq_raw_point_bool(p, "draft", &b, &present), TQ_OK);
    assert_int_equal(b, 0);
    char **tags = NULL;
    size_t n = 0;
    assert_int_equal(tq_raw_point_keyword_array(p, "tags", &tags, &n, &present), TQ_OK);
    assert_int_equal(n, 2);
    assert_string_equal(tags[1], "y");
    free(tags[0]);
    free(tags[1]);
    free(tags);
    int64_t *nums = NULL;
    assert_int_equal(tq_raw_point_int_array(p, "nums", &nums, &n, &present), TQ_OK);
    assert_int_equal(n, 3);
    assert_int_equal(nums[2], 3);
    free(nums);
    /* absent and null: present = 0, out untouched */
    i = 99;
    assert_int_equal(tq_raw_point_int(p, "missing", &i, &present), TQ_OK);
    assert_false(present);
    assert_int_equal(i, 99);
    assert_int_equal(tq_raw_point_int(p, "gone", &i, &present), TQ_OK);
    assert_false(present);
    /* wrong types */
    assert_int_equal(tq_raw_point_int(p, "title", &i, &present), TQ_EPROTO);
    assert_int_equal(tq_raw_point_int(p, "rank", &i, &present), TQ_EPROTO);
    assert_int_equal(tq_raw_point_keyword(p, "year", &s, &present), TQ_EPROTO);
    assert_int_equal(tq_raw_point_bool(p, "year", &b, &present), TQ_EPROTO);
    assert_int_equal(tq_raw_point_keyword_array(p, "nums", &tags, &n, &present), TQ_EPROTO);
    assert_int_equal(tq_raw_point_int_array(p, "tags", &nums, &n, &present), TQ_EPROTO);
    tq_raw_result_free(&r);
    assert_int_equal(r.count, 0);
    assert_null(r.points);
    tq_raw_result_free(&r);
    free(body);

    /* query answers carry scores */
    body = response(p1, NULL, "null");
    assert_int_equal(tq_result_parse(body, strlen(body), TQ_PARSE_QUERY, &g, &r, &d), TQ_OK);
    assert_true(tq_raw_point_score(tq_raw_result_point(&r, 0)) == 0.75);
    assert_string_equal(r.next_cursor, "");
    tq_raw_result_free(&r);
    free(body);
}

static void expect_leak(const char *p1, const char *p2, const char *fragment)
{
    char *body = response(p1, p2, "null");
    tq_guard_t g = guard();
    tq_raw_result_t r;
    memset(&r, 0xAB, sizeof r);
    tq_raw_result_t before = r;
    tq_detail_t d;
    assert_int_equal(tq_result_parse(body, strlen(body), TQ_PARSE_SCROLL, &g, &r, &d), TQ_ELEAK);
    assert_int_equal(d.status, TQ_ELEAK);
    /* no data handed out: the result is exactly as it was */
    assert_memory_equal(&r, &before, sizeof r);
    assert_non_null(strstr(d.message, "kb-docs--acme"));
    if (!strstr(d.message, fragment))
        fail_msg("\"%s\" lacks \"%s\"", d.message, fragment);
    /* the other tenant's name never appears in the detail */
    assert_null(strstr(d.message, "globex"));
    free(body);
}

static void leak_guard(void **state)
{
    (void)state;
    char mine[1024], foreign[1024], p[1024];
    char id[TQ_UUID_STR_LEN + 1];
    point_json(mine, sizeof mine, "acme", "acme", "team-a", "doc-1");
    /* another tenant's point, genuine in every other respect */
    point_json(foreign, sizeof foreign, "globex", "globex", "team-a", "doc-9");
    id_for("globex", "team-a", "doc-9", id);
    expect_leak(mine, foreign, id);
    expect_leak(foreign, mine, "tq_tenant is not the caller's tenant");
    /* another scope */
    point_json(p, sizeof p, "acme", "acme", "team-b", "doc-3");
    expect_leak(mine, p, "scope team");
    /* our tenant name on a point whose id was derived for another tenant */
    point_json(p, sizeof p, "globex", "acme", "team-a", "doc-4");
    expect_leak(p, NULL, "id is not derived");
    /* no payload, a payload without tq_tenant, a numeric id, no tq_key */
    expect_leak("{\"id\":\"e725b592-3905-57a1-a9a8-f7bf4ba21426\"}", NULL, "no payload");
    expect_leak("{\"id\":1,\"payload\":{\"team\":\"team-a\"}}", NULL, "point 1:");
    expect_leak("{\"id\":1,\"payload\":{\"tq_tenant\":\"acme\",\"team\":\"team-a\",\"tq_key\":\"k\"}}",
                NULL, "no tq_key or UUID id");
    expect_leak("{\"id\":\"e725b592-3905-57a1-a9a8-f7bf4ba21426\",\"payload\":{\"tq_tenant\":"
                "\"acme\",\"team\":\"team-a\"}}",
                NULL, "no tq_key");
    expect_leak("{\"id\":\"x\",\"payload\":{\"tq_tenant\":[\"acme\"],\"team\":\"team-a\"}}", NULL,
                "tq_tenant");
}

static void expect_status(const char *body, tq_parse_kind_t kind, size_t max_results,
                          tq_status_t want, const char *fragment)
{
    tq_guard_t g = guard();
    g.max_results = max_results;
    g.max_depth = 16;
    tq_raw_result_t r;
    memset(&r, 0, sizeof r);
    tq_detail_t d;
    tq_status_t st = tq_result_parse(body, strlen(body), kind, &g, &r, &d);
    if (st != want || !strstr(d.message, fragment))
        fail_msg("%s: got %s \"%s\", want %s \"%s\"", body, tq_status_name(st), d.message,
                 tq_status_name(want), fragment);
    if (st == TQ_OK)
        tq_raw_result_free(&r);
    assert_int_equal(r.count, 0);
    assert_null(r.points);
}

static void limits_and_malformed(void **state)
{
    (void)state;
    char p1[1024];
    point_json(p1, sizeof p1, "acme", "acme", "team-a", "doc-1");
    char *two = response(p1, p1, "null");
    expect_status(two, TQ_PARSE_SCROLL, 1, TQ_ELIMIT, "more than max_results (1)");
    free(two);
    char deep[256] = "{\"result\":";
    for (int i = 0; i < 20; i++)
        strcat(deep, "[");
    expect_status(deep, TQ_PARSE_SCROLL, 10, TQ_ELIMIT, "max_json_depth (16)");
    /* brackets inside strings do not count */
    expect_status("{\"result\":{\"points\":[],\"x\":\"[[[[[[[[[[[[[[[[[[[[[[[[\"}}",
                  TQ_PARSE_SCROLL, 10, TQ_OK, "");
    /* nor after an escaped quote; but a string ending in an escaped backslash ends */
    expect_status("{\"result\":{\"points\":[],\"x\":\"\\\"[[[[[[[[[[[[[[[[[[[[\\\\\"}}",
                  TQ_PARSE_SCROLL, 10, TQ_OK, "");
    char escaped[256] = "{\"result\":\"a\\\\\",\"y\":";
    for (int i = 0; i < 20; i++)
        strcat(escaped, "[");
    expect_status(escaped, TQ_PARSE_SCROLL, 10, TQ_ELIMIT, "max_json_depth (16)");
    expect_status("not json", TQ_PARSE_SCROLL, 10, TQ_EPROTO, "not valid JSON");
    expect_status("{\"status\":\"ok\"}", TQ_PARSE_SCROLL, 10, TQ_EPROTO, "result.points");
    expect_status("{\"result\":[]}", TQ_PARSE_SCROLL, 10, TQ_EPROTO, "result.points");
    expect_status("{\"result\":{\"points\":[1]}}", TQ_PARSE_SCROLL, 10, TQ_EPROTO, "not an object");
    expect_status("{\"result\":{\"points\":[],\"next_page_offset\":5}}", TQ_PARSE_SCROLL, 10,
                  TQ_EPROTO, "next_page_offset");
    char body[2048];
    char id[TQ_UUID_STR_LEN + 1];
    id_for("acme", "team-a", "k", id);
    snprintf(body, sizeof body,
             "{\"result\":{\"points\":[{\"id\":\"%s\",\"payload\":{\"tq_tenant\":\"acme\","
             "\"tq_key\":\"k\",\"team\":\"team-a\"}}]}}",
             id);
    expect_status(body, TQ_PARSE_QUERY, 10, TQ_EPROTO, "no score");
    snprintf(body, sizeof body,
             "{\"result\":{\"points\":[{\"id\":\"%s\",\"payload\":{\"tq_tenant\":\"acme\","
             "\"tq_key\":\"k\",\"team\":\"team-a\"},\"vector\":{\"text\":[1,2,3]}}]}}",
             id);
    expect_status(body, TQ_PARSE_SCROLL, 10, TQ_EPROTO, "not of length 2");
    snprintf(body, sizeof body,
             "{\"result\":{\"points\":[{\"id\":\"%s\",\"payload\":{\"tq_tenant\":\"acme\","
             "\"tq_key\":\"k\",\"team\":\"team-a\"},\"vector\":{\"text\":[1,\"2\"]}}]}}",
             id);
    expect_status(body, TQ_PARSE_SCROLL, 10, TQ_EPROTO, "non-numeric");
}

static void counts(void **state)
{
    (void)state;
    uint64_t n = 0;
    int e = 0;
    tq_detail_t d;
    const char *ok = "{\"result\":{\"count\":42},\"status\":\"ok\"}";
    assert_int_equal(tq_count_parse(ok, strlen(ok), 64, &n, &d), TQ_OK);
    assert_int_equal(n, 42);
    const char *neg = "{\"result\":{\"count\":-1}}";
    assert_int_equal(tq_count_parse(neg, strlen(neg), 64, &n, &d), TQ_EPROTO);
    const char *frac = "{\"result\":{\"count\":1.5}}";
    assert_int_equal(tq_count_parse(frac, strlen(frac), 64, &n, &d), TQ_EPROTO);
    const char *none = "{\"result\":{}}";
    assert_int_equal(tq_count_parse(none, strlen(none), 64, &n, &d), TQ_EPROTO);
    const char *ex = "{\"result\":{\"exists\":true}}";
    assert_int_equal(tq_exists_parse(ex, strlen(ex), 64, &e, &d), TQ_OK);
    assert_int_equal(e, 1);
    const char *exn = "{\"result\":{\"exists\":\"no\"}}";
    assert_int_equal(tq_exists_parse(exn, strlen(exn), 64, &e, &d), TQ_EPROTO);
}

/* The one-pass reader is strict where a tree parser lets the first of two members win
 * or reads past the document: a repeated member, a repeated tenant, key or scope field,
 * an escaped NUL in the tenant and trailing bytes are refused; escapes that spell the
 * caller's own values are decoded and accepted. */
static void one_pass_strictness(void **state)
{
    (void)state;
    char id[TQ_UUID_STR_LEN + 1], p[1024], body[2048];
    id_for("acme", "team-a", "k\"1", id);
    /* escaped tenant, scope, key and member names decode to the caller's values */
    snprintf(p, sizeof p,
             "{\"id\":\"%s\",\"p\\u0061yload\":{\"tq_tenant\":\"ac\\u006de\","
             "\"team\":\"team\\u002da\",\"tq_key\":\"k\\\"1\"}}",
             id);
    char *ok = response(p, NULL, "null");
    tq_guard_t g = guard();
    tq_raw_result_t r;
    tq_detail_t d;
    if (tq_result_parse(ok, strlen(ok), TQ_PARSE_SCROLL, &g, &r, &d) != TQ_OK)
        fail_msg("%s: %s", ok, d.message);
    assert_string_equal(tq_raw_point_key(tq_raw_result_point(&r, 0)), "k\"1");
    tq_raw_result_free(&r);
    free(ok);
    snprintf(p, sizeof p,
             "{\"id\":\"%s\",\"payload\":{\"tq_tenant\":\"acme\",\"team\":\"team-a\","
             "\"tq_key\":\"k\\\"1\",\"tq_tenant\":\"globex\"}}",
             id);
    expect_leak(p, NULL, "repeats a tenant, key or scope field");
    snprintf(p, sizeof p,
             "{\"id\":\"%s\",\"payload\":{\"tq_tenant\":\"acme\\u0000\",\"team\":"
             "\"team-a\",\"tq_key\":\"k\\\"1\"}}",
             id);
    expect_leak(p, NULL, "tq_tenant is not the caller's tenant");
    snprintf(body, sizeof body,
             "{\"result\":{\"points\":[{\"id\":\"%s\",\"payload\":{\"tq_tenant\":\"acme\","
             "\"team\":\"team-a\",\"tq_key\":\"k\\\"1\"},\"payload\":{}}]}}",
             id);
    expect_status(body, TQ_PARSE_SCROLL, 10, TQ_EPROTO, "repeats a member");
    expect_status("{\"result\":{\"points\":[]},\"result\":{\"points\":[]}}", TQ_PARSE_SCROLL,
                  10, TQ_EPROTO, "repeats a member");
    expect_status("{\"result\":{\"points\":[]}} x", TQ_PARSE_SCROLL, 10, TQ_EPROTO,
                  "not valid JSON");
    expect_status("{\"result\":{\"points\":[]},\"s\":\"\\x\"}", TQ_PARSE_SCROLL, 10,
                  TQ_EPROTO, "not valid JSON");
    expect_status("{\"result\":{\"points\":[]},\"n\":01}", TQ_PARSE_SCROLL, 10, TQ_EPROTO,
                  "not valid JSON");
    expect_status("{\"result\":{\"points\":[]},\"s\":\"a\tb\"}", TQ_PARSE_SCROLL, 10,
                  TQ_EPROTO, "not valid JSON");
    /* a body that is not NUL-terminated is read only up to its length */
    const char *cut = "{\"result\":{\"points\":[]}}garbage";
    assert_int_equal(tq_result_parse(cut, strlen(cut) - 7, TQ_PARSE_SCROLL, &g, &r, &d), TQ_OK);
    tq_raw_result_free(&r);
}

static void allocation_failures(void **state)
{
    (void)state;
    char p1[1024], p2[1024];
    point_json(p1, sizeof p1, "acme", "acme", "team-a", "doc-1");
    point_json(p2, sizeof p2, "acme", "acme", "team-a", "doc-2");
    char *good = response(p1, p2, "\"936da01f-9abd-4d9d-80c7-02af85c822a8\"");
    char foreign[1024];
    point_json(foreign, sizeof foreign, "globex", "globex", "team-a", "doc-9");
    char *leaky = response(p1, foreign, "null");
    const char *bodies[] = {good, leaky};
    const tq_status_t final[] = {TQ_OK, TQ_ELEAK};
    tq_test_alloc_install();
    for (size_t b = 0; b < 2; b++) {
        long n;
        for (n = 1;; n++) {
            tq_guard_t g = guard();
            tq_raw_result_t r;
            memset(&r, 0, sizeof r);
            tq_detail_t d;
            tq_test_alloc_reset(n);
            tq_status_t st = tq_result_parse(bodies[b], strlen(bodies[b]), TQ_PARSE_SCROLL, &g,
                                             &r, &d);
            int failed = tq_test_alloc_failed();
            tq_raw_result_free(&r);
            if (tq_test_alloc_live() != 0)
                fail_msg("body %zu, failing allocation %ld: %ld blocks leaked", b, n,
                         tq_test_alloc_live());
            if (!failed) {
                assert_int_equal(st, final[b]);
                break;
            }
            if (st != TQ_ENOMEM && st != final[b])
                fail_msg("body %zu, failing allocation %ld: %s", b, n, tq_status_name(st));
            if (st == TQ_OK)
                fail_msg("body %zu: success although allocation %ld failed", b, n);
        }
        /* The good answer allocates per point; the leaky one is refused by the guard
         * after the scan's single allocation (the table of point positions). */
        assert_true(n > (b == 0 ? 5 : 1));
    }
    tq_test_alloc_reset(0);
    free(good);
    free(leaky);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_answer),
        cmocka_unit_test(leak_guard),
        cmocka_unit_test(limits_and_malformed),
        cmocka_unit_test(counts),
        cmocka_unit_test(one_pass_strictness),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
