/* live_types_test.c: every field type of the generated `wide` client against
 * tenantq-devserver: values written by upsert come back unchanged from get, and each
 * kind of typed filter (equality, set, range, datetime range, uuid, array contains,
 * bool) selects exactly the points it should, within one tenant and two scopes. */
#include "wide.tq.h"

#include "devserver_proc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define EVENTS 4

typedef struct fixture {
    tq_test_server_t server;
    tq_registry_t *registry;
    tq_client_t *client;
} fixture_t;

static const char *const NAMES[EVENTS] = {"deploy", "rollback", "deploy", "alert"};
static const char *const TIMES[EVENTS] = {"2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z",
                                          "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"};
static const char *const REFS[EVENTS] = {
    "0b6f5c8e-0000-4000-8000-000000000001", "0b6f5c8e-0000-4000-8000-000000000002",
    "0b6f5c8e-0000-4000-8000-000000000003", "0b6f5c8e-0000-4000-8000-000000000004"};

static void expect_ok(tq_status_t status, const tq_detail_t *detail, const char *what) {
    if (status != TQ_OK) print_error("%s: %s (%s)\n", what, tq_status_name(status), detail->message);
    assert_int_equal(status, TQ_OK);
}

static int setup(void **state) {
    fixture_t *f = calloc(1, sizeof *f);
    char registry[1024];
    tq_detail_t detail;
    int n;
    if (f == NULL || tq_test_server_start_or_external(&f->server, NULL) != 0) return -1;
    n = snprintf(registry, sizeof registry,
                 "{\"version\": 1, \"endpoints\": {\"default\": {\"url\": \"%s\"}},"
                 " \"tenants\": {\"acme\": {\"placement\": \"collection\"},"
                 " \"globex\": {\"placement\": \"shared\"}}}",
                 f->server.url);
    if (n < 0 || (size_t)n >= sizeof registry) return -1;
    if (tq_registry_parse(registry, (size_t)n, "types-registry", &f->registry, &detail) != TQ_OK ||
        tq_client_new(f->registry, NULL, &f->client, &detail) != TQ_OK) {
        fprintf(stderr, "setup: %s\n", detail.message);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture_t *f = *state;
    int rc;
    tq_client_free(f->client);
    tq_registry_free(f->registry);
    rc = tq_test_server_stop(&f->server);
    free(f);
    return rc == 0 ? 0 : -1;
}

static void upsert_events(const tenant_ctx_t *ctx, const char *workspace, const char *channel) {
    static float vectors[EVENTS][WIDE_EVENTS_DIM];
    static const int64_t codes[EVENTS][2] = {{1, 2}, {2, 3}, {3, 4}, {4, 5}};
    const char *labels[EVENTS][2];
    wide_events_point_t points[EVENTS];
    char keys[EVENTS][16];
    tq_detail_t detail;
    int i, j;

    memset(points, 0, sizeof points);
    for (i = 0; i < EVENTS; i++) {
        for (j = 0; j < WIDE_EVENTS_DIM; j++) vectors[i][j] = (float)((i + 1) * (j % 3 + 1));
        snprintf(keys[i], sizeof keys[i], "event-%d", i);
        labels[i][0] = i % 2 == 0 ? "even" : "odd";
        labels[i][1] = channel;
        points[i].key = keys[i];
        points[i].vector = vectors[i];
        points[i].vector_len = WIDE_EVENTS_DIM;
        points[i].name = NAMES[i];
        points[i].body = "something happened";
        points[i].count_total = 10 * i;
        points[i].has_count_total = 1;
        points[i].weight = 0.5 + i;
        points[i].has_weight = 1;
        points[i].urgent = i == 3;
        points[i].has_urgent = 1;
        points[i].at = TIMES[i];
        points[i].ref = REFS[i];
        points[i].labels = labels[i];
        points[i].labels_count = 2;
        points[i].codes = codes[i];
        points[i].codes_count = 2;
        points[i].note = i == 0 ? "first" : NULL;
        points[i].level = i;
        points[i].has_level = 1;
        points[i].seen = 1;
        points[i].has_seen = 1;
    }
    expect_ok(wide_events_upsert(ctx, workspace, channel, points, EVENTS, &detail), &detail, "upsert");
    /* A point without a required field is refused before anything is sent. */
    points[0].name = NULL;
    assert_int_equal(wide_events_upsert(ctx, workspace, channel, points, 1, &detail), TQ_EINVAL);
}

static uint64_t count(const tenant_ctx_t *ctx, const char *ws, const char *ch,
                      const wide_events_filter_t *filter) {
    tq_detail_t detail;
    uint64_t n = 0;
    expect_ok(wide_events_count(ctx, ws, ch, filter, &n, &detail), &detail, "count");
    return n;
}

static void check_values(const tenant_ctx_t *ctx, const char *ws, const char *ch) {
    const char *keys[] = {"event-0", "event-3"};
    wide_events_records_t records;
    const wide_events_record_t *r;
    tq_detail_t detail;
    size_t i;

    expect_ok(wide_events_get(ctx, ws, ch, keys, 2, 0, &records, &detail), &detail, "get");
    assert_int_equal(records.count, 2);
    for (i = 0; i < records.count; i++) {
        int k;
        r = &records.items[i];
        k = strcmp(r->key, "event-0") == 0 ? 0 : 3;
        assert_string_equal(r->key, k == 0 ? "event-0" : "event-3");
        assert_string_equal(r->name, NAMES[k]);
        assert_string_equal(r->body, "something happened");
        assert_true(r->has_count_total);
        assert_int_equal(r->count_total, 10 * k);
        assert_true(r->has_weight);
        assert_true(r->weight == 0.5 + k);
        assert_true(r->has_urgent);
        assert_int_equal(r->urgent, k == 3);
        assert_non_null(r->at);
        assert_int_equal(strncmp(r->at, TIMES[k], 10), 0);
        assert_string_equal(r->ref, REFS[k]);
        assert_int_equal(r->labels_count, 2);
        assert_string_equal(r->labels[1], ch);
        assert_int_equal(r->codes_count, 2);
        assert_int_equal(r->codes[0], k + 1);
        if (k == 0) {
            assert_string_equal(r->note, "first");
        } else {
            assert_null(r->note);
        }
        assert_true(r->has_level);
        assert_false(r->has_ratio);
        assert_true(r->has_seen && r->seen);
        assert_null(r->vector);
    }
    wide_events_records_free(&records);
}

static void check_filters(const tenant_ctx_t *ctx, const char *ws, const char *ch) {
    wide_events_filter_t f;
    const char *deploy_or_alert[] = {"deploy", "alert"};
    const int64_t some_totals[] = {10, 30, 99};
    int64_t twenty = 20, three = 3, two = 2;
    double low = 1.0, high = 3.0;
    int yes = 1;

    assert_int_equal(count(ctx, ws, ch, NULL), EVENTS);
    memset(&f, 0, sizeof f);
    f.name = "deploy";
    assert_int_equal(count(ctx, ws, ch, &f), 2);
    memset(&f, 0, sizeof f);
    f.name_any = deploy_or_alert;
    f.name_any_count = 2;
    assert_int_equal(count(ctx, ws, ch, &f), 3);
    memset(&f, 0, sizeof f);
    f.count_total_any = some_totals;
    f.count_total_any_count = 3;
    assert_int_equal(count(ctx, ws, ch, &f), 2);
    memset(&f, 0, sizeof f);
    f.count_total_gte = &twenty;
    assert_int_equal(count(ctx, ws, ch, &f), 2);
    memset(&f, 0, sizeof f);
    f.weight_gte = &low;
    f.weight_lte = &high;
    assert_int_equal(count(ctx, ws, ch, &f), 2); /* 1.5, 2.5 */
    memset(&f, 0, sizeof f);
    f.urgent = &yes;
    assert_int_equal(count(ctx, ws, ch, &f), 1);
    memset(&f, 0, sizeof f);
    f.at_gte = "2026-01-15T00:00:00Z";
    f.at_lte = "2026-03-15T00:00:00Z";
    assert_int_equal(count(ctx, ws, ch, &f), 2);
    memset(&f, 0, sizeof f);
    f.ref = REFS[2];
    assert_int_equal(count(ctx, ws, ch, &f), 1);
    memset(&f, 0, sizeof f);
    f.labels = "odd";
    assert_int_equal(count(ctx, ws, ch, &f), 2);
    f.labels = ch;
    assert_int_equal(count(ctx, ws, ch, &f), EVENTS);
    memset(&f, 0, sizeof f);
    f.codes = &three;
    assert_int_equal(count(ctx, ws, ch, &f), 2);
    memset(&f, 0, sizeof f);
    f.level = &two;
    assert_int_equal(count(ctx, ws, ch, &f), 1);
    /* conditions combine */
    memset(&f, 0, sizeof f);
    f.name = "deploy"; /* events 0 and 2 */
    f.codes = &three;  /* events 1 and 2 */
    assert_int_equal(count(ctx, ws, ch, &f), 1);
    f.urgent = &yes;
    assert_int_equal(count(ctx, ws, ch, &f), 0);
}

static void run_tenant(fixture_t *f, const char *tenant) {
    static const char *const CHANNELS[] = {"alerts", "builds"};
    tenant_ctx_t *ctx;
    tq_detail_t detail;
    wide_events_filter_t filter;
    uint64_t n = 0;
    int c;

    expect_ok(tq_ctx_new(f->client, tenant, &ctx, &detail), &detail, "ctx");
    expect_ok(wide_onboard_tenant(ctx, &detail), &detail, "onboard");
    for (c = 0; c < 2; c++) upsert_events(ctx, "ops", CHANNELS[c]);
    for (c = 0; c < 2; c++) {
        check_values(ctx, "ops", CHANNELS[c]);
        check_filters(ctx, "ops", CHANNELS[c]);
    }
    /* Another workspace sees nothing. */
    assert_int_equal(count(ctx, "dev", "alerts", NULL), 0);
    memset(&filter, 0, sizeof filter);
    filter.name = "deploy";
    expect_ok(wide_events_delete_where(ctx, "ops", "alerts", &filter, &detail), &detail, "delete_where");
    assert_int_equal(count(ctx, "ops", "alerts", NULL), EVENTS - 2);
    assert_int_equal(count(ctx, "ops", "builds", NULL), EVENTS);
    /* The audit collection has no scope. */
    expect_ok(wide_audit_count(ctx, NULL, &n, &detail), &detail, "audit count");
    assert_int_equal(n, 0);
    expect_ok(wide_offboard_tenant(ctx, &detail), &detail, "offboard");
    tq_ctx_free(ctx);
}

static void test_collection_placement(void **state) { run_tenant(*state, "acme"); }
static void test_shared_placement(void **state) { run_tenant(*state, "globex"); }

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_collection_placement),
        cmocka_unit_test(test_shared_placement),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
