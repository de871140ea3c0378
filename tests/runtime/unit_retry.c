/* unit_retry.c: the retry rule (only idempotent kinds, only connection failures, 429
 * and 503, bounded), the backoff and the HTTP status mapping. */
#include "test_common.h"

#include "http.h"

#include <string.h>

static void only_idempotent_kinds_are_retried(void **state)
{
    (void)state;
    static const struct {
        tq_request_kind_t kind;
        int idempotent;
    } table[] = {
        {TQ_REQ_COLLECTION_CREATE, 0}, {TQ_REQ_COLLECTION_DELETE, 1},
        {TQ_REQ_COLLECTION_EXISTS, 1}, {TQ_REQ_INDEX_CREATE, 1},
        {TQ_REQ_POINTS_UPSERT, 1},     {TQ_REQ_POINTS_DELETE, 1},
        {TQ_REQ_POINTS_QUERY, 1},      {TQ_REQ_POINTS_SCROLL, 1},
        {TQ_REQ_POINTS_COUNT, 1},       {TQ_REQ_SERVER_INFO, 1},
        {TQ_REQ_COLLECTION_INFO, 1},    {TQ_REQ_COLLECTION_UPDATE, 1},
    };
    assert_int_equal(sizeof table / sizeof *table, TQ_REQ_KIND_LAST);
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        tq_request_kind_t k = table[i].kind;
        assert_int_equal(tq_request_idempotent(k), table[i].idempotent);
        int want = table[i].idempotent;
        assert_int_equal(tq_retry_should(k, TQ_ECONNECT, 0, 0, 4), want);
        assert_int_equal(tq_retry_should(k, TQ_OK, 503, 0, 4), want);
        assert_int_equal(tq_retry_should(k, TQ_OK, 429, 3, 4), want);
        /* never beyond max_retries */
        assert_int_equal(tq_retry_should(k, TQ_OK, 503, 4, 4), 0);
        assert_int_equal(tq_retry_should(k, TQ_ECONNECT, 0, 0, 0), 0);
        /* never on answers that replaying cannot change */
        static const long final_status[] = {200, 400, 401, 403, 404, 409, 422, 500, 502, 504};
        for (size_t s = 0; s < sizeof final_status / sizeof *final_status; s++)
            assert_int_equal(tq_retry_should(k, TQ_OK, final_status[s], 0, 4), 0);
        /* never on local or TLS failures, timeouts or limits */
        assert_int_equal(tq_retry_should(k, TQ_ETIMEOUT, 0, 0, 4), 0);
        assert_int_equal(tq_retry_should(k, TQ_ETLS, 0, 0, 4), 0);
        assert_int_equal(tq_retry_should(k, TQ_ELIMIT, 0, 0, 4), 0);
        assert_int_equal(tq_retry_should(k, TQ_ENOMEM, 0, 0, 4), 0);
    }
    assert_int_equal(tq_request_idempotent(TQ_REQ_KIND_LAST), 0);
    assert_int_equal(tq_retry_should(TQ_REQ_KIND_LAST, TQ_ECONNECT, 0, 0, 4), 0);
}

static void backoff_grows_with_jitter_within_bounds(void **state)
{
    (void)state;
    for (int attempt = 0; attempt < 10; attempt++) {
        long cap = 50L << attempt;
        if (cap > 2000)
            cap = 2000;
        for (uint64_t r = 0; r < 2000; r += 7) {
            long d = tq_retry_delay_ms(50, 2000, attempt, r * 0x9e3779b97f4a7c15ULL);
            assert_true(d >= cap / 2);
            assert_true(d <= cap);
        }
    }
    assert_int_equal(tq_retry_delay_ms(0, 0, 3, 12345), 0);
    /* jitter: different random inputs give different delays */
    assert_true(tq_retry_delay_ms(50, 2000, 3, 1) != tq_retry_delay_ms(50, 2000, 3, 2));
}

static void status_mapping(void **state)
{
    (void)state;
    assert_int_equal(tq_http_status_map(200), TQ_OK);
    assert_int_equal(tq_http_status_map(204), TQ_OK);
    assert_int_equal(tq_http_status_map(400), TQ_EHTTP);
    assert_int_equal(tq_http_status_map(422), TQ_EHTTP);
    assert_int_equal(tq_http_status_map(401), TQ_EAUTH);
    assert_int_equal(tq_http_status_map(403), TQ_EAUTH);
    assert_int_equal(tq_http_status_map(404), TQ_ENOTFOUND);
    assert_int_equal(tq_http_status_map(409), TQ_ECONFLICT);
    assert_int_equal(tq_http_status_map(429), TQ_EBUSY);
    assert_int_equal(tq_http_status_map(503), TQ_EBUSY);
    assert_int_equal(tq_http_status_map(500), TQ_EHTTP);
}

static void error_messages(void **state)
{
    (void)state;
    char out[64];
    const char *env = "{\"status\":{\"error\":\"Not found: Collection `x` doesn't exist!\"},"
                      "\"time\":0.1}";
    tq_http_error_message(env, strlen(env), out, sizeof out);
    assert_string_equal(out, "Not found: Collection `x` doesn't exist!");
    const char *plain = "Must provide an API key or an Authorization bearer token";
    tq_http_error_message(plain, strlen(plain), out, sizeof out);
    assert_string_equal(out, plain);
    const char *ctl = "bad\r\nX-Evil: 1";
    tq_http_error_message(ctl, strlen(ctl), out, sizeof out);
    assert_string_equal(out, "bad??X-Evil: 1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(only_idempotent_kinds_are_retried),
        cmocka_unit_test(backoff_grows_with_jitter_within_bounds),
        cmocka_unit_test(status_mapping),
        cmocka_unit_test(error_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
