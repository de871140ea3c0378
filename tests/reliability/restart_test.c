/* restart_test.c: the devserver (with --snapshot) is stopped with SIGTERM in the middle
 * of an ingestion of 10 tenants x 1,000 points and started again on the same port.
 *
 * Ten threads keep writing (and deleting every tenth key by key, also idempotent) while
 * the server is down; the client must reconnect and retry, and a call that gives up
 * must report what it did not write, which the thread then sends again. The final
 * state is read back exactly, then the server is restarted once more from its snapshot
 * and read back again, so nothing acknowledged lived only in memory. It must never
 * leave a server behind: the teardown stops whatever is running. */
#include "devserver_proc.h"
#include "rel_fixture.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#define POINTS 1000
#define PER_CALL 50
#define CHUNK 25
#define DELETED(i) ((i) % 10 == 3)
#define RESEND_ATTEMPTS 30
#define STOP_AT (REL_TENANTS * POINTS * 4 / 10)
#define DOWNTIME_MS 300

typedef struct worker {
    size_t tenant;
    rel_env_t *env;
    atomic_uint *acked, *finished;
    pthread_t thread;
    rel_send_stats_t sent;
    unsigned delete_failures;
    int error;
    char why[512];
} worker_t;

static struct {
    tq_test_server_t server;
    rel_env_t env;
    char snapshot[64];
} the;

/* Deletes the DELETED keys of [from, from + n), repeating transient failures. */
static int delete_some(worker_t *w, size_t from, size_t n)
{
    char names[PER_CALL][REL_KEY_MAX];
    const char *keys[PER_CALL];
    size_t k = 0;
    for (size_t i = from; i < from + n; i++) {
        if (DELETED(i)) {
            rel_key_name(names[k], sizeof names[k], "k", i);
            keys[k] = names[k];
            k++;
        }
    }
    tq_status_t st = TQ_OK;
    tq_detail_t d;
    for (int attempt = 0; attempt < RESEND_ATTEMPTS; attempt++) {
        st = rel_items_delete(w->env->ctx[w->tenant], keys, k, &d);
        if (st == TQ_OK || !rel_status_transient(st))
            break;
        w->delete_failures++;
        rel_sleep_ms(50);
    }
    if (st != TQ_OK)
        snprintf(w->why, sizeof w->why, "%s: delete: %s: %.400s", rel_tenant_id(w->tenant),
                 tq_status_name(st), d.message);
    return st == TQ_OK ? 0 : -1;
}

static void *worker_main(void *arg)
{
    worker_t *w = arg;
    for (size_t from = 0; from < POINTS && !w->error; from += PER_CALL) {
        size_t n = POINTS - from < PER_CALL ? POINTS - from : PER_CALL;
        w->error = rel_upsert_reported(w->env, w->env, w->tenant, "k", from, n, 1, CHUNK,
                                       RESEND_ATTEMPTS, &w->sent, w->why, sizeof w->why) != 0 ||
                   delete_some(w, from, n) != 0;
        atomic_fetch_add(w->acked, (unsigned)n);
    }
    atomic_fetch_add(w->finished, 1);
    return NULL;
}

static void start_server(const char *port)
{
    const char *args[] = {"--port", port, "--snapshot", the.snapshot, NULL};
    assert_int_equal(tq_test_server_start(&the.server, args), 0);
    char want[32];
    snprintf(want, sizeof want, ":%s", port);
    const char *colon = strrchr(the.server.url, ':');
    assert_non_null(colon);
    assert_string_equal(colon, want);
}

static void verify_all(const char *when)
{
    uint32_t versions[POINTS];
    for (size_t i = 0; i < POINTS; i++)
        versions[i] = DELETED(i) ? 0 : 1;
    char why[512];
    for (size_t t = 0; t < REL_TENANTS; t++)
        if (rel_verify_tenant(&the.env, t, "k", versions, POINTS, why, sizeof why) != 0)
            fail_msg("%s: %s", when, why);
}

static int teardown(void **state)
{
    (void)state;
    rel_env_close(&the.env);
    int rc = the.server.pid ? tq_test_server_stop(&the.server) : 0;
    if (the.snapshot[0]) {
        unlink(the.snapshot);
        char tmp[80];
        snprintf(tmp, sizeof tmp, "%s.tmp", the.snapshot);
        unlink(tmp);
    }
    return rc == 0 ? 0 : -1;
}

static void restart_mid_ingestion(void **state)
{
    (void)state;
    snprintf(the.snapshot, sizeof the.snapshot, "/tmp/tq-rel-restart-%d.json", (int)getpid());
    unlink(the.snapshot);
    int port_number = rel_free_port();
    assert_true(port_number > 0);
    char port[16];
    snprintf(port, sizeof port, "%d", port_number);
    start_server(port);

    tq_client_options_t o;
    rel_options(&o, 1000, 5000, 20, 10, 200);
    o.upsert_batch_size = CHUNK;
    tq_detail_t d;
    if (rel_env_open(&the.env, the.server.url, &o, &d) != TQ_OK ||
        rel_env_onboard(&the.env, &d) != TQ_OK)
        fail_msg("set-up: %s", d.message);

    atomic_uint acked = 0, finished = 0;
    worker_t workers[REL_TENANTS];
    memset(workers, 0, sizeof workers);
    for (size_t t = 0; t < REL_TENANTS; t++) {
        workers[t].tenant = t;
        workers[t].env = &the.env;
        workers[t].acked = &acked;
        workers[t].finished = &finished;
        assert_int_equal(pthread_create(&workers[t].thread, NULL, worker_main, &workers[t]), 0);
    }
    while (atomic_load(&acked) < STOP_AT && atomic_load(&finished) < REL_TENANTS)
        rel_sleep_ms(1);
    unsigned at_stop = atomic_load(&acked);
    int exit_status = tq_test_server_stop(&the.server);
    unsigned while_stopping = atomic_load(&acked);
    struct stat st;
    int saved = stat(the.snapshot, &st) == 0;
    rel_sleep_ms(DOWNTIME_MS);
    unsigned while_down = atomic_load(&acked);
    start_server(port);

    unsigned calls = 0, failed = 0, delete_failures = 0;
    for (size_t t = 0; t < REL_TENANTS; t++) {
        pthread_join(workers[t].thread, NULL);
        calls += workers[t].sent.calls;
        failed += workers[t].sent.failed;
        delete_failures += workers[t].delete_failures;
    }
    for (size_t t = 0; t < REL_TENANTS; t++)
        if (workers[t].error)
            fail_msg("%s", workers[t].why);
    uint64_t retries = rel_op_retries(the.env.client, TQ_OP_UPSERT) +
                       rel_op_retries(the.env.client, TQ_OP_DELETE);
    printf("points acknowledged when stopped %u, when it had exited %u, after %d ms down %u, "
           "of %u; upsert calls %u, failed and re-sent %u, delete calls repeated %u, "
           "upsert+delete retries %llu\n",
           at_stop, while_stopping, DOWNTIME_MS, while_down, REL_TENANTS * POINTS, calls,
           failed, delete_failures, (unsigned long long)retries);
    assert_int_equal(exit_status, 0);
    assert_true(saved);
    /* Ingestion was really cut: the server went down with work outstanding, and the
     * client got through the outage by retrying. */
    assert_true(while_down < (unsigned)(REL_TENANTS * POINTS));
    assert_true(retries > 0);
    verify_all("after the restart");

    /* Everything acknowledged must also be in the snapshot. */
    rel_env_close(&the.env);
    assert_int_equal(tq_test_server_stop(&the.server), 0);
    start_server(port);
    if (rel_env_open(&the.env, the.server.url, &o, &d) != TQ_OK)
        fail_msg("reopen: %s", d.message);
    verify_all("after a second restart from the snapshot");
    assert_int_equal(rel_leak_trips(the.env.client), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(restart_mid_ingestion, teardown),
    };
    return cmocka_run_group_tests_name("reliability.restart", tests, NULL, NULL);
}
