/* ingest_faults_test.c: 10 tenants x 1,000 points through the generated client while
 * the devserver answers 10% of /points requests with 503 and drops 5% of connections,
 * and a proxy holds every request for a random delay up to the client's timeout (every
 * LATE_EVERY-th past it, so some calls are certain to fail).
 *
 * Each tenant has its own thread; all tenants use the same key names, so a point
 * written to the wrong tenant would be read back by the other one. A call that fails
 * must report its status and the first key it did not write; the test checks that
 * every key before that one is stored, then does what an application would: sends the
 * rest again. In the end, read through a second client without the proxy, every
 * tenant holds exactly its 1,000 points with exactly their content. It must never
 * accept a failure without a report, and never judge by anything but the read-back. */
#include "devserver_proc.h"
#include "rel_fixture.h"
#include "rel_proxy.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#define POINTS 1000
#define PER_CALL 100
#define CHUNK 25
#define TIMEOUT_MS 400
#define LATE_EVERY 40
#define LATE_MS (TIMEOUT_MS + 200)
#define RESEND_ATTEMPTS 30

typedef struct worker {
    size_t tenant;
    rel_env_t *faulty, *direct;
    pthread_t thread;
    rel_send_stats_t sent;
    int error;
    char why[512];
} worker_t;

static struct {
    tq_test_server_t server;
    rel_proxy_t *proxy;
    rel_env_t faulty, direct;
    char log_path[64];
} the;

static void *worker_main(void *arg)
{
    worker_t *w = arg;
    for (size_t from = 0; from < POINTS && !w->error; from += PER_CALL)
        w->error = rel_upsert_reported(w->faulty, w->direct, w->tenant, "k", from,
                                       POINTS - from < PER_CALL ? POINTS - from : PER_CALL, 1,
                                       CHUNK, RESEND_ATTEMPTS, &w->sent, w->why,
                                       sizeof w->why) != 0;
    return NULL;
}

static int server_port(const char *url)
{
    const char *colon = strrchr(url, ':');
    return colon ? atoi(colon + 1) : -1;
}

/* Counts request-log lines that carry `needle`. */
static unsigned log_count(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[4096];
    unsigned n = 0;
    while (fgets(line, sizeof line, f))
        n += strstr(line, needle) != NULL;
    fclose(f);
    return n;
}

static int teardown(void **state)
{
    (void)state;
    rel_env_close(&the.faulty);
    rel_env_close(&the.direct);
    rel_proxy_stop(the.proxy);
    the.proxy = NULL;
    int rc = the.server.pid ? tq_test_server_stop(&the.server) : 0;
    if (the.log_path[0])
        unlink(the.log_path);
    return rc == 0 ? 0 : -1;
}

static void expect_ok(tq_status_t st, const tq_detail_t *d, const char *what)
{
    if (st != TQ_OK)
        fail_msg("%s: %s: %s", what, tq_status_name(st), d->message);
}

static void ingest_under_faults(void **state)
{
    (void)state;
    snprintf(the.log_path, sizeof the.log_path, "/tmp/tq-rel-faults-%d.log", (int)getpid());
    unlink(the.log_path);
    const char *args[] = {"--fault-rate", "0.10", "--fault-drop", "0.05", "--fault-seed",
                          "20261123", "--request-log", the.log_path, NULL};
    assert_int_equal(tq_test_server_start(&the.server, args), 0);
    the.proxy = rel_proxy_start(server_port(the.server.url), TIMEOUT_MS, LATE_EVERY, LATE_MS, 7);
    assert_non_null(the.proxy);

    tq_detail_t d;
    tq_client_options_t direct_opts;
    rel_options(&direct_opts, 2000, 30000, 10, 2, 20);
    expect_ok(rel_env_open(&the.direct, the.server.url, &direct_opts, &d), &d, "direct client");
    expect_ok(rel_env_onboard(&the.direct, &d), &d, "onboard");

    char proxy_url[64];
    snprintf(proxy_url, sizeof proxy_url, "http://127.0.0.1:%d", rel_proxy_port(the.proxy));
    tq_client_options_t o;
    rel_options(&o, TIMEOUT_MS, TIMEOUT_MS, 6, 5, 50);
    o.upsert_batch_size = CHUNK;
    expect_ok(rel_env_open(&the.faulty, proxy_url, &o, &d), &d, "faulty client");

    worker_t workers[REL_TENANTS];
    memset(workers, 0, sizeof workers);
    for (size_t t = 0; t < REL_TENANTS; t++) {
        workers[t].tenant = t;
        workers[t].faulty = &the.faulty;
        workers[t].direct = &the.direct;
        assert_int_equal(pthread_create(&workers[t].thread, NULL, worker_main, &workers[t]), 0);
    }
    unsigned calls = 0, failed = 0, timeouts = 0;
    for (size_t t = 0; t < REL_TENANTS; t++) {
        pthread_join(workers[t].thread, NULL);
        calls += workers[t].sent.calls;
        failed += workers[t].sent.failed;
        timeouts += workers[t].sent.timeouts;
    }
    for (size_t t = 0; t < REL_TENANTS; t++)
        if (workers[t].error)
            fail_msg("%s", workers[t].why);

    uint32_t versions[POINTS];
    for (size_t i = 0; i < POINTS; i++)
        versions[i] = 1;
    char why[512];
    for (size_t t = 0; t < REL_TENANTS; t++)
        if (rel_verify_tenant(&the.direct, t, "k", versions, POINTS, why, sizeof why) != 0)
            fail_msg("final state: %s", why);

    uint64_t late = rel_proxy_late(the.proxy);
    uint64_t retries = rel_op_retries(the.faulty.client, TQ_OP_UPSERT);
    unsigned injected_503 = log_count(the.log_path, "\"fault\":\"503\"");
    unsigned injected_drop = log_count(the.log_path, "\"fault\":\"drop\"");
    printf("calls %u, failed and re-sent %u (timeouts %u), held past the timeout %llu, "
           "upsert retries %llu, injected 503 %u, dropped %u, proxied requests %llu\n",
           calls, failed, timeouts, (unsigned long long)late, (unsigned long long)retries,
           injected_503, injected_drop, (unsigned long long)rel_proxy_requests(the.proxy));
    /* The adversary really acted, and each request held past the timeout ended its
     * call with TQ_ETIMEOUT (timeouts are not retried), reported and re-sent. */
    assert_true(injected_503 > 0);
    assert_true(injected_drop > 0);
    assert_true(retries > 0 && retries != UINT64_MAX);
    assert_true(late > 0);
    assert_true(timeouts >= late);
    assert_int_equal(rel_leak_trips(the.faulty.client), 0);
    assert_int_equal(rel_leak_trips(the.direct.client), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(ingest_under_faults, teardown),
    };
    return cmocka_run_group_tests_name("reliability.ingest_faults", tests, NULL, NULL);
}
