/* timeouts_test.c: servers that stop answering or answer forever.
 *
 * - A devserver frozen with SIGSTOP (it still accepts connections: the kernel does)
 *   makes a count and an upsert fail with TQ_ETIMEOUT after the configured total
 *   timeout, not later (timeouts are not retried: the attempt's budget is the call's);
 *   the failed upsert names its first unwritten key, and after SIGCONT the client
 *   works again and the re-sent points read back exactly.
 * - A slow-loris server (rel_slow_server.c) that drips an endless chunked body is cut
 *   at max_response_bytes with TQ_ELIMIT, shortly after the limit; one that declares a
 *   1 TiB Content-Length is refused before its body; one that drips too slowly to reach
 *   the limit ends in TQ_ETIMEOUT at the total timeout. docs/runtime.md documents both:
 *   the body limit aborts the transfer with TQ_ELIMIT, the per-attempt total timeout
 *   gives TQ_ETIMEOUT, whichever comes first.
 * The time bounds are correctness bounds with generous slack (SLACK_MS), not
 * performance thresholds. It must never leave a stopped server behind. */
#include "devserver_proc.h"
#include "rel_fixture.h"
#include "rel_slow_server.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#define SLACK_MS 3000
#define FROZEN_TIMEOUT_MS 1000
#define LIMIT_BYTES 16384
#define DRIP_SLACK_BYTES (256 * 1024)
#define SLOW_TIMEOUT_MS 1500

static struct {
    tq_test_server_t server;
    int frozen;
    rel_slow_server_t *slow;
    rel_env_t env;
} the;

static int teardown(void **state)
{
    (void)state;
    rel_env_close(&the.env);
    rel_slow_stop(the.slow);
    the.slow = NULL;
    if (the.frozen)
        kill(the.server.pid, SIGCONT);
    the.frozen = 0;
    int rc = the.server.pid ? tq_test_server_stop(&the.server) : 0;
    return rc == 0 ? 0 : -1;
}

static void expect_ok(tq_status_t st, const tq_detail_t *d, const char *what)
{
    if (st != TQ_OK)
        fail_msg("%s: %s: %s", what, tq_status_name(st), d->message);
}

static void make_points(rel_point_buf_t *bufs, rel_items_point_t *points, size_t from, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char key[REL_KEY_MAX];
        rel_key_name(key, sizeof key, "k", from + i);
        rel_point_make(&bufs[i], 0, key, 1);
        points[i] = bufs[i].point;
    }
}

/* Asserts that a call that took `took` ms lasted at least the timeout and at most the
 * timeout plus SLACK_MS. */
static void expect_within_timeout(int64_t took, long timeout_ms, const char *what)
{
    printf("%s: failed after %lld ms (total timeout %ld ms)\n", what, (long long)took, timeout_ms);
    if (took < timeout_ms - 20 || took > timeout_ms + SLACK_MS)
        fail_msg("%s took %lld ms with a total timeout of %ld ms", what, (long long)took,
                 timeout_ms);
}

static void frozen_server_times_out(void **state)
{
    (void)state;
    assert_int_equal(tq_test_server_start(&the.server, NULL), 0);
    tq_client_options_t o;
    rel_options(&o, FROZEN_TIMEOUT_MS, FROZEN_TIMEOUT_MS, 4, 5, 20);
    tq_detail_t d;
    expect_ok(rel_env_open(&the.env, the.server.url, &o, &d), &d, "open");
    expect_ok(rel_onboard_tenant(the.env.ctx[0], &d), &d, "onboard");
    rel_point_buf_t bufs[20];
    rel_items_point_t points[20];
    make_points(bufs, points, 0, 20);
    expect_ok(rel_items_upsert(the.env.ctx[0], points, 10, &d), &d, "upsert");
    uint64_t count = 0;
    expect_ok(rel_items_count(the.env.ctx[0], &count, &d), &d, "count");
    assert_int_equal(count, 10);

    assert_int_equal(kill(the.server.pid, SIGSTOP), 0);
    the.frozen = 1;
    /* kill() returns before the child has stopped; wait until it has. */
    int wstatus = 0;
    assert_int_equal(waitpid(the.server.pid, &wstatus, WUNTRACED), the.server.pid);
    assert_true(WIFSTOPPED(wstatus));
    int64_t started = rel_now_ms();
    tq_status_t st = rel_items_count(the.env.ctx[0], &count, &d);
    assert_int_equal(st, TQ_ETIMEOUT);
    assert_int_equal(d.status, TQ_ETIMEOUT);
    expect_within_timeout(rel_now_ms() - started, FROZEN_TIMEOUT_MS,
                          "count against a frozen server");
    assert_int_equal(count, 10);

    started = rel_now_ms();
    st = rel_items_upsert(the.env.ctx[0], points + 10, 10, &d);
    assert_int_equal(st, TQ_ETIMEOUT);
    expect_within_timeout(rel_now_ms() - started, FROZEN_TIMEOUT_MS,
                          "upsert against a frozen server");
    char first[REL_KEY_MAX];
    assert_int_equal(rel_first_unwritten(d.message, first, sizeof first), 0);
    assert_string_equal(first, "k-10");
    assert_int_equal(d.items_done, 0);

    assert_int_equal(kill(the.server.pid, SIGCONT), 0);
    the.frozen = 0;
    /* The timed-out request may still be applied once the server runs again; the
     * report said k-10 onwards were not known to be written, so they are sent again. */
    expect_ok(rel_items_upsert(the.env.ctx[0], points + 10, 10, &d), &d, "re-send");
    uint32_t versions[20];
    for (size_t i = 0; i < 20; i++)
        versions[i] = 1;
    char why[512];
    if (rel_verify_tenant(&the.env, 0, "k", versions, 20, why, sizeof why) != 0)
        fail_msg("after SIGCONT: %s", why);
}

/* Starts the slow server in `mode`, dripping `chunk` bytes every `interval_ms`, counts through
 * a client with `limit` and `timeout_ms`, and asserts the call failed with `want`
 * without touching its out-parameter and that the client then hung up. Returns the
 * call's duration in milliseconds. */
static int64_t count_on_slow_server(rel_slow_mode_t mode, size_t chunk, int interval_ms, size_t limit,
                             long timeout_ms, tq_status_t want)
{
    the.slow = rel_slow_start(mode, chunk, interval_ms);
    assert_non_null(the.slow);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", rel_slow_port(the.slow));
    tq_client_options_t o;
    rel_options(&o, 2000, timeout_ms, 4, 5, 20);
    o.max_response_bytes = limit;
    tq_detail_t d;
    expect_ok(rel_env_open(&the.env, url, &o, &d), &d, "open");
    uint64_t count = 7;
    int64_t started = rel_now_ms();
    tq_status_t st = rel_items_count(the.env.ctx[0], &count, &d);
    int64_t took = rel_now_ms() - started;
    if (st != want)
        fail_msg("count: %s, want %s: %s", tq_status_name(st), tq_status_name(want), d.message);
    assert_int_equal(d.status, want);
    assert_int_equal(count, 7);
    /* Neither a limit nor a timeout is retried: exactly one connection, then closed. */
    for (int i = 0; i < 500 && rel_slow_closed(the.slow) < 1; i++)
        rel_sleep_ms(10);
    assert_int_equal(rel_slow_closed(the.slow), 1);
    if (want == TQ_ELIMIT)
        assert_non_null(strstr(d.message, "max_response_bytes"));
    return took;
}

static void endless_body_cut_at_limit(void **state)
{
    (void)state;
    count_on_slow_server(REL_SLOW_CHUNKED, 1024, 5, LIMIT_BYTES, 60000, TQ_ELIMIT);
    size_t sent = rel_slow_body_sent(the.slow);
    printf("endless body: the client hung up after %zu body bytes (limit %d)\n", sent,
           LIMIT_BYTES);
    /* The client takes every byte up to the limit and refuses the chunk that would pass
     * it as soon as its size line arrives, so the server has sent the limit's worth, and
     * the refused chunk too when it wrote that together with its size line. */
    assert_true(sent >= LIMIT_BYTES);
    assert_true(sent <= LIMIT_BYTES + DRIP_SLACK_BYTES);
}

static void huge_declared_length_refused(void **state)
{
    (void)state;
    count_on_slow_server(REL_SLOW_HUGE_LENGTH, 1024, 200, LIMIT_BYTES, 60000, TQ_ELIMIT);
    printf("1 TiB Content-Length: the client hung up after %zu body bytes\n",
           rel_slow_body_sent(the.slow));
    assert_true(rel_slow_body_sent(the.slow) < LIMIT_BYTES);
}

static void slow_body_hits_total_timeout(void **state)
{
    (void)state;
    int64_t took = count_on_slow_server(REL_SLOW_CHUNKED, 16, 100, 1024 * 1024, SLOW_TIMEOUT_MS,
                                 TQ_ETIMEOUT);
    expect_within_timeout(took, SLOW_TIMEOUT_MS, "count against a dripping server");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(frozen_server_times_out, teardown),
        cmocka_unit_test_teardown(endless_body_cut_at_limit, teardown),
        cmocka_unit_test_teardown(huge_declared_length_refused, teardown),
        cmocka_unit_test_teardown(slow_body_hits_total_timeout, teardown),
    };
    return cmocka_run_group_tests_name("reliability.timeouts", tests, NULL, NULL);
}
