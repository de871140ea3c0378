/* live_hybrid_test.c: the generated `hybrid` client (schemas/hybrid.tqs) against two
 * tenantq-devserver processes, in every placement, each tenant next to a neighbour in
 * the same placement:
 *   - the incident's shape: a query made only of terms in the neighbour's documents
 *     finds nothing by text, and hybrid and grouped searches return only the caller's
 *     points (the leak guard would fail the call otherwise);
 *   - a keyword question (a product number) is answered from the caller's own corpus;
 *   - no side channel: the caller's text and hybrid scores are bit-identical before and
 *     after the neighbour ingests documents full of the same terms;
 *   - grouped search gives one hit per document, and the full-text filter member
 *     selects only the chunks containing every word. */
#include "hybrid.tq.h"

#include "devserver_proc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define PLACEMENTS 3

typedef struct fixture {
    tq_test_server_t main_server;
    tq_test_server_t dedicated_server;
    tq_registry_t *registry;
    tq_client_t *client;
    tenant_ctx_t *caller[PLACEMENTS];
    tenant_ctx_t *neighbour[PLACEMENTS];
} fixture_t;

static const char *const CALLERS[PLACEMENTS] = {"acme", "initech", "umbrella"};
static const char *const NEIGHBOURS[PLACEMENTS] = {"hooli", "globex", "wayne"};
static const char *const PLACEMENT_NAMES[PLACEMENTS] = {"collection", "shared", "dedicated"};

static void expect_ok(tq_status_t status, const tq_detail_t *detail, const char *what) {
    if (status != TQ_OK) print_error("%s: %s (%s)\n", what, tq_status_name(status), detail->message);
    assert_int_equal(status, TQ_OK);
}

static int setup(void **state) {
    fixture_t *f = calloc(1, sizeof *f);
    char registry[1024];
    tq_detail_t detail;
    size_t i;
    int n;
    if (f == NULL || tq_test_server_start_or_external(&f->main_server, NULL) != 0 ||
        tq_test_server_start_or_external(&f->dedicated_server, NULL) != 0)
        return -1;
    n = snprintf(registry, sizeof registry,
                 "{\"version\": 1, \"endpoints\": {\"default\": {\"url\": \"%s\"},"
                 " \"eu\": {\"url\": \"%s\"}}, \"tenants\": {"
                 " \"acme\": {\"placement\": \"collection\"}, \"hooli\": {\"placement\": \"collection\"},"
                 " \"initech\": {\"placement\": \"shared\"}, \"globex\": {\"placement\": \"shared\"},"
                 " \"umbrella\": {\"placement\": \"dedicated\", \"endpoint\": \"eu\"},"
                 " \"wayne\": {\"placement\": \"dedicated\", \"endpoint\": \"eu\"}}}",
                 f->main_server.url, f->dedicated_server.url);
    if (n < 0 || (size_t)n >= sizeof registry) return -1;
    if (tq_registry_parse(registry, (size_t)n, "hybrid-registry", &f->registry, &detail) != TQ_OK ||
        tq_client_new(f->registry, NULL, &f->client, &detail) != TQ_OK) {
        fprintf(stderr, "setup: %s\n", detail.message);
        return -1;
    }
    for (i = 0; i < PLACEMENTS; i++) {
        if (tq_ctx_new(f->client, CALLERS[i], &f->caller[i], &detail) != TQ_OK ||
            tq_ctx_new(f->client, NEIGHBOURS[i], &f->neighbour[i], &detail) != TQ_OK ||
            hybrid_onboard_tenant(f->caller[i], &detail) != TQ_OK ||
            hybrid_onboard_tenant(f->neighbour[i], &detail) != TQ_OK) {
            fprintf(stderr, "setup: %s\n", detail.message);
            return -1;
        }
    }
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture_t *f = *state;
    tq_detail_t detail;
    int rc = 0;
    size_t i;
    for (i = 0; i < PLACEMENTS; i++) {
        if (hybrid_offboard_tenant(f->caller[i], &detail) != TQ_OK ||
            hybrid_offboard_tenant(f->neighbour[i], &detail) != TQ_OK)
            rc = -1;
        tq_ctx_free(f->caller[i]);
        tq_ctx_free(f->neighbour[i]);
    }
    tq_client_free(f->client);
    tq_registry_free(f->registry);
    if (tq_test_server_stop(&f->dedicated_server) != 0) rc = -1;
    if (tq_test_server_stop(&f->main_server) != 0) rc = -1;
    free(f);
    return rc;
}

/* A deterministic unit-ish vector for chunk `seed`. */
static void fill_vector(float *v, int seed) {
    int j;
    for (j = 0; j < HYBRID_CHUNKS_DIM; j++) v[j] = (float)((seed * 7 + j * 3) % 11) + 1.0f;
}

typedef struct chunk {
    const char *document;
    const char *title;
    const char *body;
} chunk_t;

/* Upserts `count` chunks under keys "<prefix>-<i>" in scope "routers". */
static void ingest(const tenant_ctx_t *ctx, const char *prefix, const chunk_t *chunks,
                   size_t count, int seed) {
    hybrid_chunks_point_t points[64];
    float vectors[64][HYBRID_CHUNKS_DIM];
    char keys[64][32];
    tq_detail_t detail;
    size_t i;
    assert_true(count <= 64);
    memset(points, 0, sizeof points);
    for (i = 0; i < count; i++) {
        snprintf(keys[i], sizeof keys[i], "%s-%zu", prefix, i);
        fill_vector(vectors[i], seed + (int)i);
        points[i].key = keys[i];
        points[i].vector = vectors[i];
        points[i].vector_len = HYBRID_CHUNKS_DIM;
        points[i].document = chunks[i].document;
        points[i].title = chunks[i].title;
        points[i].body = chunks[i].body;
        points[i].page = (int64_t)i;
        points[i].has_page = 1;
    }
    expect_ok(hybrid_chunks_upsert(ctx, "routers", points, count, &detail), &detail, "upsert");
}

static const chunk_t CALLER_CHUNKS[] = {
    {"manual", "Power supply", "Replace the power supply when error E-1234 appears on boot."},
    {"manual", "Disk failure", "A disk failure shows as a red light; back up the data first."},
    {"manual", "Network", "Reset the network switch and check every cable."},
    {"faq", "Disk space", "Free disk space by removing old snapshots."},
    {"faq", "Passwords", "Reset a password from the admin console."},
};

static const chunk_t NEIGHBOUR_CHUNKS[] = {
    {"secret", "Quasar XR7731", "The quasar XR7731 overheats: thermal fault code QZ-9."},
    {"secret", "Roadmap", "Quasar launch moves to spring; XR7731 pricing stays confidential."},
};

/* Every returned key starts with the caller's prefix. */
static void expect_own(const hybrid_chunks_records_t *r, const char *prefix) {
    size_t i;
    for (i = 0; i < r->count; i++)
        if (strncmp(r->items[i].key, prefix, strlen(prefix)) != 0)
            fail_msg("point %s is not the caller's (%s)", r->items[i].key, prefix);
}

/* The scores of a text search and of a hybrid search of the caller for `text`. */
static void scores(const tenant_ctx_t *ctx, const char *text, double *out, size_t *n) {
    hybrid_chunks_records_t r;
    tq_detail_t detail;
    float v[HYBRID_CHUNKS_DIM];
    size_t i;
    fill_vector(v, 1);
    *n = 0;
    expect_ok(hybrid_chunks_text_search(ctx, "routers", text, NULL, 10, NULL, &r, &detail),
              &detail, "text_search");
    assert_true(r.count > 0);
    for (i = 0; i < r.count; i++) out[(*n)++] = r.items[i].score;
    hybrid_chunks_records_free(&r);
    expect_ok(hybrid_chunks_hybrid(ctx, "routers", v, HYBRID_CHUNKS_DIM, text, NULL, 10, NULL, &r, &detail), &detail,
              "hybrid");
    for (i = 0; i < r.count; i++) out[(*n)++] = r.items[i].score;
    hybrid_chunks_records_free(&r);
}

static void test_every_placement(void **state) {
    fixture_t *f = *state;
    tq_detail_t detail;
    hybrid_chunks_records_t r;
    float v[HYBRID_CHUNKS_DIM];
    size_t p, i;
    fill_vector(v, 3);
    for (p = 0; p < PLACEMENTS; p++) {
        const tenant_ctx_t *me = f->caller[p], *other = f->neighbour[p];
        double before[32], after[32];
        size_t n_before, n_after;
        chunk_t flood[40];
        hybrid_chunks_filter_t filter;
        print_message("placement %s\n", PLACEMENT_NAMES[p]);

        ingest(me, "mine", CALLER_CHUNKS, sizeof CALLER_CHUNKS / sizeof CALLER_CHUNKS[0], 1);
        ingest(other, "theirs", NEIGHBOUR_CHUNKS, 2, 1);

        /* The incident's shape: terms that exist only in the neighbour's documents. */
        expect_ok(hybrid_chunks_text_search(me, "routers", "quasar XR7731 QZ-9", NULL, 10, NULL,
                                            &r, &detail),
                  &detail, "incident text_search");
        assert_int_equal(r.count, 0);
        hybrid_chunks_records_free(&r);
        expect_ok(hybrid_chunks_hybrid(me, "routers", v, HYBRID_CHUNKS_DIM, "quasar XR7731 QZ-9", NULL, 10, NULL, &r,
                                       &detail),
                  &detail, "incident hybrid");
        assert_true(r.count > 0); /* the dense branch still answers, from the caller */
        expect_own(&r, "mine");
        hybrid_chunks_records_free(&r);
        expect_ok(hybrid_chunks_search_groups(me, "routers", NULL, 0, "quasar XR7731", NULL, 10,
                                              NULL, &r, &detail),
                  &detail, "incident groups");
        assert_int_equal(r.count, 0);
        hybrid_chunks_records_free(&r);
        /* ...while the neighbour finds its own document with the same words. */
        expect_ok(hybrid_chunks_text_search(other, "routers", "quasar XR7731 QZ-9", NULL, 10,
                                            NULL, &r, &detail),
                  &detail, "neighbour text_search");
        assert_int_equal(r.count, 2);
        expect_own(&r, "theirs");
        hybrid_chunks_records_free(&r);

        /* A keyword question: the error code, from the caller's own corpus. */
        expect_ok(hybrid_chunks_hybrid(me, "routers", v, HYBRID_CHUNKS_DIM, "error E-1234", NULL, 3, NULL, &r,
                                       &detail),
                  &detail, "keyword hybrid");
        assert_true(r.count > 0);
        assert_string_equal(r.items[0].key, "mine-0");
        hybrid_chunks_records_free(&r);

        /* Grouped: one hit per document, best first. */
        expect_ok(hybrid_chunks_search_groups(me, "routers", v, HYBRID_CHUNKS_DIM, "disk", NULL, 10, NULL, &r,
                                              &detail),
                  &detail, "groups");
        assert_int_equal(r.count, 2);
        assert_string_not_equal(r.items[0].document, r.items[1].document);
        expect_own(&r, "mine");
        hybrid_chunks_records_free(&r);

        /* The full-text filter member: every word must occur in the body. */
        memset(&filter, 0, sizeof filter);
        filter.body = "disk data";
        expect_ok(hybrid_chunks_text_search(me, "routers", "disk", &filter, 10, NULL, &r, &detail),
                  &detail, "text filter");
        assert_int_equal(r.count, 1);
        assert_string_equal(r.items[0].key, "mine-1");
        hybrid_chunks_records_free(&r);

        /* No side channel: the neighbour floods the same terms; scores do not move. */
        scores(me, "disk failure snapshots", before, &n_before);
        for (i = 0; i < sizeof flood / sizeof flood[0]; i++) {
            flood[i].document = "flood";
            flood[i].title = "disk failure";
            flood[i].body = i % 2 ? "disk disk failure snapshots disk" : "failure of a disk";
        }
        ingest(other, "flood", flood, sizeof flood / sizeof flood[0], 5);
        scores(me, "disk failure snapshots", after, &n_after);
        assert_int_equal(n_before, n_after);
        assert_memory_equal(before, after, n_before * sizeof before[0]);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_placement),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
