/* unit_hardening.c: contexts cannot be retargeted, reused after free or forged; keys
 * and scope values refuse invisible code points (Cc, Cf, Zl, Zp) and say which one and
 * where; NULL-argument messages name the function. No server: routing, point ids and
 * batches are computed in process (the live tests cover the requests). */
#include "test_common.h"

#include "batch.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void expect_fragment(const tq_detail_t *d, const char *fragment)
{
    if (!strstr(d->message, fragment))
        fail_msg("message \"%s\" lacks \"%s\"", d->message, fragment);
}

/* Issue: strcpy((char *)tq_ctx_tenant(ctx), "globex") made every later call route to
 * globex. Now the string handed out is a copy routing never reads, and overwriting it
 * fails every call with TQ_ETENANT. */
static void overwritten_tenant_id_fails_closed(void **state)
{
    (void)state;
    tq_test_env_t env;
    assert_int_equal(tq_test_env_open(&env, 0), 0);
    tq_raw_route_t r;
    tq_detail_t d;
    assert_int_equal(tq_raw_route(env.acme, &tq_test_docs, &r, &d), TQ_OK);
    assert_string_equal(r.collection, "kb-docs--acme");
    strcpy((char *)tq_ctx_tenant(env.acme), "globex");
    memset(&r, 0, sizeof r);
    assert_int_equal(tq_raw_route(env.acme, &tq_test_docs, &r, &d), TQ_ETENANT);
    expect_fragment(&d, "tq_raw_route: the context's tenant id was overwritten");
    assert_string_equal(r.collection, "");
    char id[TQ_UUID_STR_LEN + 1];
    assert_int_equal(tq_raw_point_id(env.acme, &tq_test_notes, NULL, "k", id, &d), TQ_ETENANT);
    tq_raw_batch_t *b = tq_raw_batch_new(env.acme, &tq_test_notes, NULL);
    const float v[4] = {1, 0, 0, 0};
    tq_raw_batch_point(b, "k", v, 4);
    assert_int_equal(tq_raw_batch_upsert(b, &d), TQ_ETENANT);
    tq_raw_batch_free(b);
    uint64_t n;
    assert_int_equal(tq_raw_count(env.acme, &tq_test_notes, NULL, NULL, &n, &d), TQ_ETENANT);
    assert_null(tq_ctx_tenant(env.acme));
    assert_int_equal(tq_ctx_placement_override(env.acme), -1);
    /* globex's own context is untouched */
    assert_int_equal(tq_raw_route(env.globex, &tq_test_docs, &r, &d), TQ_OK);
    assert_string_equal(r.collection, "kb-docs--globex");
    tq_test_env_close(&env);
}

/* Issue: a context kept after tq_ctx_free became the next tenant's context when the
 * allocator reused the block. Now handles belong to the client and are reused only
 * for the same tenant; a freed handle fails with TQ_EINVAL. */
static void stale_context_never_becomes_another_tenant(void **state)
{
    (void)state;
    tq_test_env_t env;
    assert_int_equal(tq_test_env_open(&env, 0), 0);
    tenant_ctx_t *stale = env.acme;
    tq_ctx_free(env.acme);
    env.acme = NULL;
    tq_detail_t d;
    tq_raw_route_t r;
    /* many new contexts of other tenants: none of them may be the stale pointer */
    tenant_ctx_t *others[32];
    for (size_t i = 0; i < 32; i++) {
        assert_int_equal(tq_ctx_new(env.client, i % 2 ? "sh" : "globex", &others[i], &d), TQ_OK);
        assert_ptr_not_equal(others[i], stale);
    }
    assert_int_equal(tq_raw_route(stale, &tq_test_docs, &r, &d), TQ_EINVAL);
    expect_fragment(&d, "tq_raw_route: the context was freed");
    uint64_t n;
    assert_int_equal(tq_raw_count(stale, &tq_test_notes, NULL, NULL, &n, &d), TQ_EINVAL);
    expect_fragment(&d, "tq_raw_count: the context was freed");
    assert_null(tq_ctx_tenant(stale));
    /* a double free is harmless */
    tq_ctx_free(stale);
    /* the same tenant may get the handle back, as a new generation */
    tenant_ctx_t *again = NULL;
    assert_int_equal(tq_ctx_new(env.client, "acme", &again, &d), TQ_OK);
    assert_int_equal(tq_raw_route(again, &tq_test_docs, &r, &d), TQ_OK);
    assert_string_equal(r.collection, "kb-docs--acme");
    for (size_t i = 0; i < 32; i++)
        tq_ctx_free(others[i]);
    env.acme = again;
    tq_test_env_close(&env);
}

/* Overwriting the handle itself (its slot, generation or any byte) is detected. */
static void forged_or_corrupted_handles_fail(void **state)
{
    (void)state;
    tq_test_env_t env;
    assert_int_equal(tq_test_env_open(&env, 0), 0);
    tq_detail_t d;
    tq_raw_route_t r;
    /* retarget the slot to globex's, with the id copy matching: the record check fails */
    tenant_ctx_t saved = *env.acme;
    env.acme->slot = env.globex->slot;
    strcpy(env.acme->tenant, "globex");
    assert_int_equal(tq_raw_route(env.acme, &tq_test_docs, &r, &d), TQ_EINVAL);
    expect_fragment(&d, "stale or forged");
    *env.acme = saved;
    env.acme->generation++;
    assert_int_equal(tq_raw_route(env.acme, &tq_test_docs, &r, &d), TQ_EINVAL);
    *env.acme = saved;
    /* a copy of a valid handle elsewhere in memory is not a context either */
    tenant_ctx_t copy = *env.globex;
    assert_int_equal(tq_raw_route(&copy, &tq_test_docs, &r, &d), TQ_EINVAL);
    /* garbage bytes */
    tenant_ctx_t junk;
    memset(&junk, 0xa5, sizeof junk);
    assert_int_equal(tq_raw_route(&junk, &tq_test_docs, &r, &d), TQ_EINVAL);
    expect_fragment(&d, "not a context made by tq_ctx_new");
    assert_int_equal(tq_raw_route(NULL, &tq_test_docs, &r, &d), TQ_EINVAL);
    assert_string_equal(d.message, "tq_raw_route: the context is NULL");
    /* and the real handle still works */
    assert_int_equal(tq_raw_route(env.acme, &tq_test_docs, &r, &d), TQ_OK);
    assert_string_equal(r.collection, "kb-docs--acme");
    tq_test_env_close(&env);
}

/* Keys and scope values refuse every code point of categories Cc, Cf, Zl and Zp and
 * name the code point and its byte offset. */
static void invisible_code_points_refused(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *fragment;
    } cases[] = {
        {"ab\xc2\x85", "U+0085 at byte offset 2"},        /* C1 control NEL */
        {"abc\xe2\x80\xae", "U+202E at byte offset 3"},   /* right-to-left override */
        {"a\xe2\x80\x8b", "U+200B at byte offset 1"},     /* zero-width space */
        {"\xef\xbb\xbf" "doc", "U+FEFF at byte offset 0"}, /* byte order mark */
        {"x\xe2\x80\xa8y", "U+2028 at byte offset 1"},    /* line separator */
        {"x\xe2\x80\xa9y", "U+2029 at byte offset 1"},    /* paragraph separator */
        {"x\xc2\xad", "U+00AD at byte offset 1"},         /* soft hyphen */
        {"t\xf3\xa0\x80\x81", "U+E0001 at byte offset 1"}, /* language tag */
        {"a\tb", "U+0009 at byte offset 1"},
        {"a\xff", "malformed UTF-8 at byte offset 1"},
    };
    tq_test_env_t env;
    assert_int_equal(tq_test_env_open(&env, 0), 0);
    char id[TQ_UUID_STR_LEN + 1];
    tq_detail_t d;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(tq_raw_point_id(env.acme, &tq_test_notes, NULL, cases[i].text, id, &d),
                         TQ_EINVAL);
        expect_fragment(&d, "point key refused");
        expect_fragment(&d, cases[i].fragment);
        const char *scope[] = {cases[i].text};
        assert_int_equal(tq_raw_point_id(env.acme, &tq_test_docs, scope, "k", id, &d),
                         TQ_ESCOPE);
        expect_fragment(&d, "scope team: value refused");
        expect_fragment(&d, cases[i].fragment);
    }
    /* visible non-ASCII text stays welcome */
    const char *fine[] = {"caf\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac", "\xf0\x9f\x98\x80",
                          "a b", "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d"};
    for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
        assert_int_equal(tq_raw_point_id(env.acme, &tq_test_notes, NULL, fine[i], id, &d), TQ_OK);
        const char *scope[] = {fine[i]};
        assert_int_equal(tq_raw_point_id(env.acme, &tq_test_docs, scope, "k", id, &d), TQ_OK);
    }
    /* the table's edges */
    assert_true(tq_text_invisible(0x0) && tq_text_invisible(0x9f) && tq_text_invisible(0xe007f));
    assert_false(tq_text_invisible(0xa0) || tq_text_invisible(0x2030) ||
                 tq_text_invisible(0xe0080) || tq_text_invisible(0x20));
    tq_test_env_close(&env);
}

/* A wrong-length or NULL vector names expected and given, and NULL arguments name the
 * function. */
static void messages_say_what_to_do(void **state)
{
    (void)state;
    tq_test_env_t env;
    assert_int_equal(tq_test_env_open(&env, 0), 0);
    tq_detail_t d;
    const float sixteen[16] = {0};
    tq_raw_result_t r;
    const char *scope[] = {"team-a"};
    assert_int_equal(tq_raw_search(env.acme, &tq_test_notes, NULL, sixteen, 16, NULL, 3, NULL, 0,
                                   &r, &d),
                     TQ_EINVAL);
    assert_string_equal(d.message,
                        "tq_raw_search: query vector has 16 floats; collection kb.notes expects 4");
    assert_int_equal(tq_raw_search(env.acme, &tq_test_docs, scope, NULL, 2, NULL, 3, NULL, 0, &r,
                                   &d),
                     TQ_EINVAL);
    assert_string_equal(d.message, "tq_raw_search: vector is NULL");
    tq_raw_batch_t *b = tq_raw_batch_new(env.acme, &tq_test_notes, NULL);
    tq_raw_batch_point(b, "k", NULL, 4);
    assert_int_equal(tq_raw_batch_upsert(b, &d), TQ_EINVAL);
    expect_fragment(&d, "point \"k\": vector is NULL; collection kb.notes expects 4 floats");
    tq_raw_batch_free(b);
    uint64_t n;
    assert_int_equal(tq_raw_count(env.acme, &tq_test_notes, NULL, NULL, NULL, &d), TQ_EINVAL);
    assert_string_equal(d.message, "tq_raw_count: out is NULL");
    assert_int_equal(tq_raw_get(env.acme, &tq_test_notes, NULL, NULL, 1, 0, &r, &d), TQ_EINVAL);
    assert_string_equal(d.message, "tq_raw_get: keys is NULL");
    assert_int_equal(tq_raw_count(NULL, &tq_test_notes, NULL, NULL, &n, &d), TQ_EINVAL);
    assert_string_equal(d.message, "tq_raw_count: the context is NULL");
    tenant_ctx_t *c;
    assert_int_equal(tq_ctx_new(NULL, "acme", &c, &d), TQ_EINVAL);
    assert_string_equal(d.message, "tq_ctx_new: client is NULL");
    tq_registry_t *none;
    assert_int_equal(tq_registry_load(NULL, &none, &d), TQ_EINVAL);
    assert_string_equal(d.message, "tq_registry_load: path is NULL");
    assert_int_equal(tq_registry_parse("{}", 2, "reg.json", NULL, &d), TQ_EINVAL);
    assert_string_equal(d.message, "reg.json: tq_registry_parse: out is NULL");
    tq_client_t *no_client;
    assert_int_equal(tq_client_new(NULL, NULL, &no_client, &d), TQ_EINVAL);
    assert_string_equal(d.message, "tq_client_new: registry is NULL");
    assert_int_equal(tq_client_server_info(env.client, NULL, NULL, &d), TQ_EINVAL);
    assert_string_equal(d.message, "tq_client_server_info: out is NULL");
    assert_int_equal(tq_ctx_new(env.client, "Acme", &c, &d), TQ_ETENANT);
    assert_string_equal(d.message,
                        "tenant id \"Acme\": uppercase letter 'A' at offset 0; ids are lowercase");
    tq_test_env_close(&env);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(overwritten_tenant_id_fails_closed),
        cmocka_unit_test(stale_context_never_becomes_another_tenant),
        cmocka_unit_test(forged_or_corrupted_handles_fail),
        cmocka_unit_test(invisible_code_points_refused),
        cmocka_unit_test(messages_say_what_to_do),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
