/* unit_stats.c: the log-linear histogram (bounds, bucket choice, quantiles) and the
 * per-tenant statistics snapshot. */
#include "test_common.h"

#include "client.h"

#include <string.h>

static void bucket_bounds(void **state)
{
    (void)state;
    assert_int_equal(tq_histogram_bucket_upper_us(0), 1);
    assert_int_equal(tq_histogram_bucket_upper_us(3), 4);
    assert_int_equal(tq_histogram_bucket_upper_us(4), 5);
    assert_int_equal(tq_histogram_bucket_upper_us(7), 8);
    assert_int_equal(tq_histogram_bucket_upper_us(8), 10);
    assert_int_equal(tq_histogram_bucket_upper_us(11), 16);
    assert_int_equal(tq_histogram_bucket_upper_us(12), 20);
    for (size_t i = 1; i < TQ_HISTOGRAM_BUCKETS; i++) {
        uint64_t lo = tq_histogram_bucket_upper_us(i - 1), hi = tq_histogram_bucket_upper_us(i);
        assert_true(hi > lo);
        /* at most 25% wide relative to the lower bound (log-linear) */
        if (i >= 4)
            assert_true((hi - lo) * 4 <= lo);
        assert_int_equal(tq_histogram_bucket_of(hi), i);
        assert_int_equal(tq_histogram_bucket_of(lo + 1), i);
    }
    assert_true(tq_histogram_bucket_upper_us(TQ_HISTOGRAM_BUCKETS - 1) >= 3600ULL * 1000000ULL);
    assert_int_equal(tq_histogram_bucket_of(0), 0);
    assert_int_equal(tq_histogram_bucket_of(UINT64_MAX), TQ_HISTOGRAM_BUCKETS - 1);
}

static void quantiles(void **state)
{
    (void)state;
    uint64_t h[TQ_HISTOGRAM_BUCKETS];
    memset(h, 0, sizeof h);
    assert_int_equal(tq_histogram_quantile_us(h, 0.5), 0);
    /* 1..1000 us, once each */
    for (uint64_t us = 1; us <= 1000; us++)
        h[tq_histogram_bucket_of(us)]++;
    uint64_t p50 = tq_histogram_quantile_us(h, 0.5);
    uint64_t p95 = tq_histogram_quantile_us(h, 0.95);
    uint64_t p100 = tq_histogram_quantile_us(h, 1.0);
    assert_true(p50 >= 500 && p50 <= 625);
    assert_true(p95 >= 950 && p95 <= 1188);
    assert_true(p100 >= 1000 && p100 <= 1250);
    assert_int_equal(tq_histogram_quantile_us(h, 0.0), 1);
    assert_int_equal(tq_histogram_quantile_us(h, -3.0), 1);
    assert_int_equal(tq_histogram_quantile_us(h, 7.0), p100);
    memset(h, 0, sizeof h);
    h[tq_histogram_bucket_of(100)] = 99;
    h[tq_histogram_bucket_of(100000)] = 1;
    assert_int_equal(tq_histogram_quantile_us(h, 0.99), tq_histogram_bucket_upper_us(tq_histogram_bucket_of(100)));
    assert_int_equal(tq_histogram_quantile_us(h, 0.995), tq_histogram_bucket_upper_us(tq_histogram_bucket_of(100000)));
}

static void snapshot(void **state)
{
    (void)state;
    tq_test_env_t env;
    assert_int_equal(tq_test_env_open(&env, 0), 0);
    /* registry order acme, globex, sh, dd: slots 0..3 */
    tq_stats_note_request(env.client, 1, TQ_OP_SEARCH, 0);
    tq_stats_note_request(env.client, 1, TQ_OP_SEARCH, 1);
    tq_stats_note_call(env.client, 1, TQ_OP_SEARCH, TQ_OK, 120);
    tq_stats_note_call(env.client, 1, TQ_OP_SEARCH, TQ_EHTTP, 90);
    tq_stats_note_leak(env.client, 0);
    tq_stats_t *s = NULL;
    assert_int_equal(tq_client_stats(env.client, &s), TQ_OK);
    assert_int_equal(s->tenant_count, 4);
    assert_string_equal(s->tenants[0].tenant, "acme");
    assert_string_equal(s->tenants[1].tenant, "dd");
    assert_string_equal(s->tenants[2].tenant, "globex");
    assert_string_equal(s->tenants[3].tenant, "sh");
    const tq_op_stats_t *o = &s->tenants[2].ops[TQ_OP_SEARCH];
    assert_int_equal(o->requests, 2);
    assert_int_equal(o->retries, 1);
    assert_int_equal(o->calls, 2);
    assert_int_equal(o->errors, 1);
    assert_int_equal(o->buckets[tq_histogram_bucket_of(120)], 1);
    assert_int_equal(s->leak_guard_trips, 1);
    assert_int_equal(s->tenants[0].leak_guard_trips, 1);
    assert_int_equal(s->tenants[2].leak_guard_trips, 0);
    tq_stats_free(s);
    tq_test_env_close(&env);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bucket_bounds),
        cmocka_unit_test(quantiles),
        cmocka_unit_test(snapshot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
