/* live_verify.c: the schema-fingerprint check before the first data call on each
 * physical collection (fingerprint.c), against tenantq-devserver and its request log.
 *
 * The check's verdict is a per-collection flag read without a lock; these tests show
 * that it still does its job: 8 threads racing their first calls over fresh
 * collections compare each collection exactly once; a collection whose stored shape
 * differs from the descriptor is refused with TQ_ESCHEMA on every call, by every
 * thread, and never marked verified; onboarding marks the collection it made. Built
 * with ThreadSanitizer (TENANTQ_SANITIZE=thread) this is also the race check of the
 * flag. */
#include "test_common.h"

#include "devserver_proc.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KEY "live-verify-key"
#define TENANTS 10
#define THREADS 8
#define ROUNDS 3

typedef struct verify_env {
    tq_test_server_t server;
    char log_path[64];
    tq_registry_t *registry;
    tq_client_t *client;
    tenant_ctx_t *ctxs[TENANTS];
} verify_env_t;

static verify_env_t the_env;

/* Tenants t00..t09; the odd ones override the docs collection's default (collection)
 * placement with shared, so the run has 5 per-tenant collections and 1 shared one. */
static void registry_json(char *out, size_t cap)
{
    size_t len = (size_t)snprintf(out, cap, "{\"version\":1,\"tenants\":{");
    for (int i = 0; i < TENANTS; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s\"t%02d\":%s", i ? "," : "", i,
                                i % 2 ? "{\"placement\":\"shared\"}" : "{}");
    snprintf(out + len, cap - len, "}}");
}

/* A new client (with an empty table of verified collections) and its contexts. */
static void open_client(verify_env_t *e)
{
    char json[2048];
    registry_json(json, sizeof json);
    tq_detail_t d;
    assert_int_equal(tq_registry_parse(json, strlen(json), "verify", &e->registry, &d), TQ_OK);
    tq_client_options_t o;
    tq_client_options_init(&o);
    o.tenant_jwt = 1;
    if (tq_client_new(e->registry, &o, &e->client, &d) != TQ_OK)
        fail_msg("client: %s", d.message);
    for (int i = 0; i < TENANTS; i++) {
        char id[8];
        snprintf(id, sizeof id, "t%02d", i);
        if (tq_ctx_new(e->client, id, &e->ctxs[i], &d) != TQ_OK)
            fail_msg("context %s: %s", id, d.message);
    }
}

static void close_client(verify_env_t *e)
{
    for (int i = 0; i < TENANTS; i++)
        tq_ctx_free(e->ctxs[i]);
    tq_client_free(e->client);
    tq_registry_free(e->registry);
    e->client = NULL;
    e->registry = NULL;
}

/* A devserver with a request log, and every tenant onboarded for tq_test_docs by a
 * first client, which is then closed. */
static void open_env(verify_env_t *e)
{
    memset(e, 0, sizeof *e);
    snprintf(e->log_path, sizeof e->log_path, "/tmp/tq-verify-%d.log", (int)getpid());
    unlink(e->log_path);
    const char *args[] = {"--api-key", KEY, "--jwt-rbac", "--request-log", e->log_path, NULL};
    assert_int_equal(tq_test_server_start(&e->server, args), 0);
    setenv("TENANTQ_QDRANT_URL", e->server.url, 1);
    setenv("TENANTQ_QDRANT_API_KEY", KEY, 1);
    open_client(e);
    for (int i = 0; i < TENANTS; i++) {
        tq_detail_t d;
        if (tq_raw_onboard(e->ctxs[i], &tq_test_docs, &d) != TQ_OK)
            fail_msg("onboard t%02d: %s", i, d.message);
    }
    close_client(e);
}

static int teardown(void **state)
{
    (void)state;
    verify_env_t *e = &the_env;
    if (e->client)
        close_client(e);
    int rc = e->server.pid ? tq_test_server_stop(&e->server) : 0;
    e->server.pid = 0;
    if (e->log_path[0])
        unlink(e->log_path);
    return rc;
}

/* Request-log lines from line `from` on (0-based) that are GET /collections/<name>, the
 * collection info read by the fingerprint check: their count, and in `names` (when not
 * NULL) how many per distinct name. */
typedef struct info_reads {
    char names[TENANTS + 1][128];
    size_t per_name[TENANTS + 1];
    size_t distinct, total;
} info_reads_t;

static size_t log_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = 0;
    char line[8192];
    while (fgets(line, sizeof line, f))
        n++;
    fclose(f);
    return n;
}

static void count_info_reads(const char *path, size_t from, info_reads_t *out)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[8192];
    for (size_t n = 0; fgets(line, sizeof line, f); n++) {
        if (n < from)
            continue;
        cJSON *o = cJSON_Parse(line);
        assert_non_null(o);
        const char *method = cJSON_GetObjectItem(o, "method")->valuestring;
        const char *path_ = cJSON_GetObjectItem(o, "path")->valuestring;
        const char *name = path_ + strlen("/collections/");
        if (strcmp(method, "GET") == 0 && strncmp(path_, "/collections/", 13) == 0 &&
            !strchr(name, '/')) {
            size_t k = 0;
            while (k < out->distinct && strcmp(out->names[k], name) != 0)
                k++;
            assert_true(k <= TENANTS);
            if (k == out->distinct)
                snprintf(out->names[out->distinct++], sizeof out->names[0], "%s", name);
            out->per_name[k]++;
            out->total++;
        }
        cJSON_Delete(o);
    }
    fclose(f);
}

typedef struct worker {
    verify_env_t *env;
    const tq_raw_collection_t *collection;
    tq_status_t want;
    int index;
    int failures;
    char first_error[TQ_DETAIL_MESSAGE_MAX + 64];
} worker_t;

/* ROUNDS x every tenant, starting at a different tenant per thread, each a count that
 * must end with `want`. */
static void *work(void *arg)
{
    worker_t *w = arg;
    const char *scope[] = {"team-a"};
    for (int r = 0; r < ROUNDS; r++) {
        for (int k = 0; k < TENANTS; k++) {
            int t = (k + w->index) % TENANTS;
            uint64_t n = 0;
            tq_detail_t d;
            tq_status_t st = tq_raw_count(w->env->ctxs[t], w->collection, scope, NULL, &n, &d);
            if (st != w->want && w->failures++ == 0)
                snprintf(w->first_error, sizeof w->first_error, "t%02d: %s: %s", t,
                         tq_status_name(st), d.message);
        }
    }
    return NULL;
}

static void run_threads(verify_env_t *e, const tq_raw_collection_t *c, tq_status_t want)
{
    pthread_t th[THREADS];
    worker_t w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].env = e;
        w[i].collection = c;
        w[i].want = want;
        w[i].index = i;
        assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        if (w[i].failures)
            fail_msg("thread %d: %d calls not %s, first: %s", i, w[i].failures,
                     tq_status_name(want), w[i].first_error);
    }
}

/* 8 threads make the first calls of a fresh client at once: each of the 6 physical
 * collections is read for its fingerprint exactly once, however the calls race. */
static void checked_once_per_collection(void **state)
{
    (void)state;
    verify_env_t *e = &the_env;
    open_env(e);
    open_client(e);
    size_t from = log_lines(e->log_path);
    run_threads(e, &tq_test_docs, TQ_OK);
    info_reads_t reads;
    count_info_reads(e->log_path, from, &reads);
    assert_int_equal(reads.distinct, TENANTS / 2 + 1);
    for (size_t k = 0; k < reads.distinct; k++) {
        if (reads.per_name[k] != 1)
            fail_msg("collection %s read %zu times", reads.names[k], reads.per_name[k]);
    }
    close_client(e);
}

/* The same collections seen through a descriptor of another dimension: every call of
 * every thread is refused with TQ_ESCHEMA (the refusal is never cached as verified, so
 * each call compares again), and the right descriptor still passes afterwards in the
 * same client. */
static void drift_refused_on_every_call(void **state)
{
    (void)state;
    verify_env_t *e = &the_env;
    open_env(e);
    tq_raw_collection_t drifted = tq_test_docs;
    drifted.dim = 3;
    open_client(e);
    size_t from = log_lines(e->log_path);
    run_threads(e, &drifted, TQ_ESCHEMA);
    info_reads_t reads;
    count_info_reads(e->log_path, from, &reads);
    assert_int_equal(reads.total, (size_t)THREADS * ROUNDS * TENANTS);

    tq_detail_t d;
    uint64_t n = 0;
    const char *scope[] = {"team-a"};
    assert_int_equal(tq_raw_count(e->ctxs[0], &drifted, scope, NULL, &n, &d), TQ_ESCHEMA);
    assert_non_null(strstr(d.message, "kb-docs--t00"));
    if (tq_raw_count(e->ctxs[0], &tq_test_docs, scope, NULL, &n, &d) != TQ_OK)
        fail_msg("the schema's own descriptor: %s", d.message);
    close_client(e);
}

/* A collection this client onboarded is known to match: its first data call reads no
 * collection info. */
static void onboarding_marks_verified(void **state)
{
    (void)state;
    verify_env_t *e = &the_env;
    open_env(e);
    open_client(e);
    tq_detail_t d;
    if (tq_raw_onboard(e->ctxs[2], &tq_test_docs, &d) != TQ_OK)
        fail_msg("onboard: %s", d.message);
    size_t from = log_lines(e->log_path);
    uint64_t n = 0;
    const char *scope[] = {"team-a"};
    if (tq_raw_count(e->ctxs[2], &tq_test_docs, scope, NULL, &n, &d) != TQ_OK)
        fail_msg("count: %s", d.message);
    info_reads_t reads;
    count_info_reads(e->log_path, from, &reads);
    assert_int_equal(reads.total, 0);
    close_client(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(checked_once_per_collection, teardown),
        cmocka_unit_test_teardown(drift_refused_on_every_call, teardown),
        cmocka_unit_test_teardown(onboarding_marks_verified, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
