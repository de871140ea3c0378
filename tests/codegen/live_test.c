/* live_test.c: the generated kb client end to end against tenantq-devserver.
 *
 * Six tenants, two per placement (collection, shared, dedicated on a second server),
 * each with two values of the `bot` scope, store points under the SAME keys. Every
 * upsert, search, get, delete, delete_where, count and scroll is then checked to see
 * only the caller's tenant and scope: each returned record's `source` names the
 * tenant and scope that wrote it, so any crossing fails an assertion. */
#include "kb.tq.h"

#include "devserver_proc.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define POINTS 5

static const char *const BOTS[] = {"support", "sales"};

typedef struct pair {
    const char *placement;
    const char *tenants[2];
} pair_t;

static const pair_t PAIRS[] = {
    {"collection", {"acme", "globex"}},
    {"shared", {"initech", "umbrella"}},
    {"dedicated", {"hooli", "stark"}},
};

typedef struct fixture {
    tq_test_server_t main_server;
    tq_test_server_t dedicated_server;
    tq_registry_t *registry;
    tq_client_t *client;
} fixture_t;

static void make_vector(float *v, const char *tenant, const char *bot, int i) {
    unsigned seed = (unsigned)i * 7919u + 17u;
    const char *p;
    size_t j;
    for (p = tenant; *p != '\0'; p++) seed = seed * 31u + (unsigned char)*p;
    for (p = bot; *p != '\0'; p++) seed = seed * 37u + (unsigned char)*p;
    for (j = 0; j < KB_CHUNKS_DIM; j++) {
        seed = seed * 1103515245u + 12345u;
        v[j] = (float)((int)((seed >> 8) % 2001u) - 1000) / 1000.0f;
    }
}

static void source_of(char *out, size_t size, const char *tenant, const char *bot) {
    snprintf(out, size, "%s/%s", tenant, bot);
}

static void expect_ok(tq_status_t status, const tq_detail_t *detail, const char *what) {
    if (status != TQ_OK) print_error("%s: %s (%s)\n", what, tq_status_name(status), detail->message);
    assert_int_equal(status, TQ_OK);
}

static int setup(void **state) {
    fixture_t *f = calloc(1, sizeof *f);
    char registry[2048];
    tq_detail_t detail;
    int n;
    if (f == NULL) return -1;
    if (tq_test_server_start_or_external(&f->main_server, NULL) != 0) return -1;
    if (tq_test_server_start_or_external(&f->dedicated_server, NULL) != 0) return -1;
    n = snprintf(registry, sizeof registry,
                 "{\"version\": 1,"
                 " \"endpoints\": {\"default\": {\"url\": \"%s\"}, \"east\": {\"url\": \"%s\"}},"
                 " \"tenants\": {"
                 "  \"acme\": {\"placement\": \"collection\"},"
                 "  \"globex\": {\"placement\": \"collection\"},"
                 "  \"initech\": {\"placement\": \"shared\"},"
                 "  \"umbrella\": {\"placement\": \"shared\"},"
                 "  \"hooli\": {\"placement\": \"dedicated\", \"endpoint\": \"east\"},"
                 "  \"stark\": {\"placement\": \"dedicated\", \"endpoint\": \"east\"}}}",
                 f->main_server.url, f->dedicated_server.url);
    if (n < 0 || (size_t)n >= sizeof registry) return -1;
    if (tq_registry_parse(registry, (size_t)n, "live-registry", &f->registry, &detail) != TQ_OK) {
        fprintf(stderr, "registry: %s\n", detail.message);
        return -1;
    }
    if (tq_client_new(f->registry, NULL, &f->client, &detail) != TQ_OK) {
        fprintf(stderr, "client: %s\n", detail.message);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture_t *f = *state;
    int rc = 0;
    tq_client_free(f->client);
    tq_registry_free(f->registry);
    if (tq_test_server_stop(&f->dedicated_server) != 0) rc = -1;
    if (tq_test_server_stop(&f->main_server) != 0) rc = -1;
    free(f);
    return rc;
}

static void upsert_points(const tenant_ctx_t *ctx, const char *tenant, const char *bot) {
    static float vectors[POINTS][KB_CHUNKS_DIM];
    kb_chunks_point_t points[POINTS];
    char keys[POINTS][16], source[64];
    const char *tags[POINTS][2];
    tq_detail_t detail;
    int i;
    source_of(source, sizeof source, tenant, bot);
    memset(points, 0, sizeof points);
    for (i = 0; i < POINTS; i++) {
        snprintf(keys[i], sizeof keys[i], "doc-%d", i);
        make_vector(vectors[i], tenant, bot, i);
        tags[i][0] = i % 2 == 0 ? "even" : "odd";
        tags[i][1] = tenant;
        points[i].key = keys[i];
        points[i].vector = vectors[i];
        points[i].vector_len = KB_CHUNKS_DIM;
        points[i].source = source;
        points[i].title = "a chunk";
        points[i].page = i;
        points[i].has_page = 1;
        points[i].tags = tags[i];
        points[i].tags_count = 2;
    }
    expect_ok(kb_chunks_upsert(ctx, bot, points, POINTS, &detail), &detail, "upsert");
}

static uint64_t count_where(const tenant_ctx_t *ctx, const char *bot, const kb_chunks_filter_t *filter) {
    tq_detail_t detail;
    uint64_t n = 0;
    expect_ok(kb_chunks_count(ctx, bot, filter, &n, &detail), &detail, "count");
    return n;
}

/* Every record must carry the caller's own source. */
static void assert_own(const kb_chunks_records_t *records, const char *tenant, const char *bot) {
    char source[64];
    size_t i;
    source_of(source, sizeof source, tenant, bot);
    for (i = 0; i < records->count; i++) {
        assert_non_null(records->items[i].source);
        assert_string_equal(records->items[i].source, source);
        assert_string_equal(records->items[i].title, "a chunk");
        assert_true(records->items[i].has_page);
    }
}

static void check_reads(const tenant_ctx_t *ctx, const char *tenant, const char *bot,
                        const char *other_tenant) {
    static float query[KB_CHUNKS_DIM];
    const char *keys[] = {"doc-0", "doc-1", "doc-2", "doc-3", "doc-4", "missing"};
    kb_chunks_records_t records;
    kb_chunks_filter_t filter;
    tq_detail_t detail;
    int64_t three = 3;
    char other_source[64];
    size_t total = 0, pages = 0;
    char cursor[64] = "";

    assert_int_equal(count_where(ctx, bot, NULL), POINTS);
    memset(&filter, 0, sizeof filter);
    filter.page_gte = &three;
    assert_int_equal(count_where(ctx, bot, &filter), 2);
    memset(&filter, 0, sizeof filter);
    source_of(other_source, sizeof other_source, other_tenant, bot);
    filter.source = other_source;
    assert_int_equal(count_where(ctx, bot, &filter), 0);
    memset(&filter, 0, sizeof filter);
    filter.tags = other_tenant;
    assert_int_equal(count_where(ctx, bot, &filter), 0);
    filter.tags = tenant;
    assert_int_equal(count_where(ctx, bot, &filter), POINTS);

    /* search: the nearest point to doc-2's vector is doc-2, and nothing foreign. */
    make_vector(query, tenant, bot, 2);
    expect_ok(kb_chunks_search(ctx, bot, query, KB_CHUNKS_DIM, NULL, 20, NULL, &records, &detail), &detail, "search");
    assert_int_equal(records.count, POINTS);
    assert_string_equal(records.items[0].key, "doc-2");
    assert_true(records.items[0].score > 0.99);
    assert_own(&records, tenant, bot);
    kb_chunks_records_free(&records);
    memset(&filter, 0, sizeof filter);
    filter.tags = "even";
    expect_ok(kb_chunks_search(ctx, bot, query, KB_CHUNKS_DIM, &filter, 20, NULL, &records, &detail), &detail,
              "filtered search");
    assert_int_equal(records.count, 3);
    assert_own(&records, tenant, bot);
    kb_chunks_records_free(&records);

    /* get: the same keys exist for every tenant and scope; only ours come back. */
    expect_ok(kb_chunks_get(ctx, bot, keys, 6, 1, &records, &detail), &detail, "get");
    assert_int_equal(records.count, POINTS);
    assert_own(&records, tenant, bot);
    assert_int_equal(records.items[0].vector_dim, KB_CHUNKS_DIM);
    assert_int_equal(records.items[0].tags_count, 2);
    assert_string_equal(records.items[0].tags[1], tenant);
    kb_chunks_records_free(&records);

    /* scroll in pages of two until the cursor runs out. */
    do {
        expect_ok(kb_chunks_scroll(ctx, bot, NULL, 2, cursor[0] != '\0' ? cursor : NULL, &records,
                                   &detail),
                  &detail, "scroll");
        assert_true(records.count <= 2);
        assert_own(&records, tenant, bot);
        total += records.count;
        pages++;
        snprintf(cursor, sizeof cursor, "%s", records.next_cursor);
        kb_chunks_records_free(&records);
    } while (cursor[0] != '\0' && pages < 10);
    assert_int_equal(total, POINTS);
    assert_int_equal(pages, 3);
}

static void run_pair(fixture_t *f, const pair_t *pair) {
    tenant_ctx_t *ctx[2];
    tq_detail_t detail;
    kb_chunks_filter_t filter;
    int64_t one = 1;
    int t, b;

    for (t = 0; t < 2; t++) {
        expect_ok(tq_ctx_new(f->client, pair->tenants[t], &ctx[t], &detail), &detail, "ctx");
        expect_ok(kb_onboard_tenant(ctx[t], &detail), &detail, "onboard");
        expect_ok(kb_onboard_tenant(ctx[t], &detail), &detail, "onboard again");
    }
    for (t = 0; t < 2; t++)
        for (b = 0; b < 2; b++) upsert_points(ctx[t], pair->tenants[t], BOTS[b]);
    for (t = 0; t < 2; t++)
        for (b = 0; b < 2; b++) check_reads(ctx[t], pair->tenants[t], BOTS[b], pair->tenants[1 - t]);

    /* delete by key touches only tenant 0, scope "support". */
    {
        const char *key = "doc-0";
        expect_ok(kb_chunks_delete(ctx[0], "support", &key, 1, &detail), &detail, "delete");
    }
    assert_int_equal(count_where(ctx[0], "support", NULL), POINTS - 1);
    assert_int_equal(count_where(ctx[0], "sales", NULL), POINTS);
    assert_int_equal(count_where(ctx[1], "support", NULL), POINTS);

    /* delete_where touches only tenant 1, scope "sales". */
    memset(&filter, 0, sizeof filter);
    filter.page_lte = &one;
    expect_ok(kb_chunks_delete_where(ctx[1], "sales", &filter, &detail), &detail, "delete_where");
    assert_int_equal(count_where(ctx[1], "sales", NULL), POINTS - 2);
    assert_int_equal(count_where(ctx[1], "support", NULL), POINTS);
    assert_int_equal(count_where(ctx[0], "sales", NULL), POINTS);

    /* Guards of the generated layer. */
    const size_t volatile short_len = 16;
    static const float short_query[KB_CHUNKS_DIM];
    kb_chunks_records_t unused;
    assert_int_equal(kb_chunks_search(ctx[0], "support", short_query, short_len, NULL, 5, NULL,
                                      &unused, &detail),
                     TQ_EINVAL);
    assert_string_equal(detail.message,
                        "tq_raw_search: query vector has 16 floats; collection kb.chunks expects 384");
    memset(&filter, 0, sizeof filter);
    assert_int_equal(kb_chunks_delete_where(ctx[0], "support", &filter, &detail), TQ_EINVAL);
    /* A NULL scope is refused at compile time (nonnull; tests/codegen/misuse_test.sh):
     * passing one at run time is undefined behaviour, which UBSan reports. */
    assert_int_equal(count_where(ctx[0], "support", NULL), POINTS - 1);

    /* offboarding tenant 0 leaves tenant 1 whole. */
    expect_ok(kb_offboard_tenant(ctx[0], &detail), &detail, "offboard");
    assert_int_equal(count_where(ctx[1], "support", NULL), POINTS);
    assert_int_equal(count_where(ctx[1], "sales", NULL), POINTS - 2);
    expect_ok(kb_offboard_tenant(ctx[1], &detail), &detail, "offboard 2");
    for (t = 0; t < 2; t++) tq_ctx_free(ctx[t]);
}

static void test_collection_placement(void **state) { run_pair(*state, &PAIRS[0]); }
static void test_shared_placement(void **state) { run_pair(*state, &PAIRS[1]); }
static void test_dedicated_placement(void **state) { run_pair(*state, &PAIRS[2]); }

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_collection_placement),
        cmocka_unit_test(test_shared_placement),
        cmocka_unit_test(test_dedicated_placement),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
