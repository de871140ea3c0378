/* soak_test.c: 8 threads interleave all 10 tenants over one client for a bounded time
 * (TQ_SOAK_SECONDS, default TQ_REL_SOAK_SECONDS from the CMake cache variable
 * TENANTQ_SOAK_SECONDS): upserts, gets, deletes by key and counts, each judged against
 * ground truth the test keeps.
 *
 * Every tenant uses the same key names ("w<thread>-<n>"), so a read that crossed
 * tenants returns content naming the wrong tenant. Each thread owns its keys in every
 * tenant, so it alone knows their versions; a count takes its tenant's lock
 * exclusively (writers share it), so the expected count is exact at that moment.
 * At the end each tenant is scrolled and must hold exactly the truth's points.
 *
 * Resources: the run has a warm-up phase, then the measured phase; both end with every
 * thread joined, so the two samples see the same quiescent client. File descriptors
 * (/proc/self/fd) must not grow, and resident memory (/proc/self/statm) must end within
 * 10% of the warm-up sample. Under AddressSanitizer freed memory first fills a
 * quarantine, so RSS climbs until the quarantine is full; the sanitized build runs
 * this test with the quarantine capped at 16 MiB (CMakeLists.txt), which the warm-up
 * fills, and the same bound then holds (figures in docs/reliability.md); LeakSanitizer
 * checks for leaks exactly at exit. It must never let a worker thread call a CMocka
 * assert: workers record errors, the main thread fails. */
#include "devserver_proc.h"
#include "rel_fixture.h"

#include <dirent.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#ifndef TQ_REL_SOAK_SECONDS
#define TQ_REL_SOAK_SECONDS 60
#endif

#define THREADS 8
#define KEYS 32      /* per thread and tenant */
#define MAX_BATCH 8  /* keys per call */
#define SCROLL_PAGE 100
#define MIN_SECONDS 10

enum { OP_UPSERT, OP_DELETE, OP_GET, OP_COUNT, OP_KINDS };
static const char *const op_names[OP_KINDS] = {"upsert", "delete", "get", "count"};

typedef struct worker {
    size_t index;
    pthread_t thread;
    uint64_t rng;
    uint32_t next_version;
    uint64_t ops[OP_KINDS];
    unsigned leaks;
    int error;
    char why[512];
} worker_t;

static struct {
    tq_test_server_t server;
    rel_env_t env;
    pthread_rwlock_t tenant_lock[REL_TENANTS]; /* writers shared, counts exclusive */
    /* truth[t][w][k]: version of key w-k in tenant t, 0 when absent; written only by
     * worker w, read by others only under tenant_lock[t] held exclusively. */
    uint32_t truth[REL_TENANTS][THREADS][KEYS];
    atomic_int stop;
    worker_t workers[THREADS];
} the;

static void worker_fail(worker_t *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void worker_fail(worker_t *w, const char *fmt, ...)
{
    if (w->error)
        return;
    w->error = 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->why, sizeof w->why, fmt, ap);
    va_end(ap);
    atomic_store(&the.stop, 1);
}

/* Notes a failed call; TQ_ELEAK is counted apart from other failures. */
static void call_failed(worker_t *w, const char *what, size_t tenant, tq_status_t st,
                        const tq_detail_t *d)
{
    w->leaks += st == TQ_ELEAK;
    worker_fail(w, "%s %s: %s: %.400s", what, rel_tenant_id(tenant), tq_status_name(st),
                d->message);
}

/* Keys first..first+n-1 (mod KEYS) of worker `w`, named into `names`. */
static void pick_keys(const worker_t *w, size_t first, size_t n, char names[][REL_KEY_MAX],
                      const char **keys)
{
    char prefix[16];
    snprintf(prefix, sizeof prefix, "w%zu", w->index);
    for (size_t i = 0; i < n; i++) {
        rel_key_name(names[i], REL_KEY_MAX, prefix, (first + i) % KEYS);
        keys[i] = names[i];
    }
}

/* Writes keys first..first+n-1 of tenant `t` at a new version, or deletes them when
 * `remove` is set, and records the outcome in the truth once the server confirmed it. */
static void write_keys(worker_t *w, size_t t, size_t first, size_t n, int remove)
{
    rel_point_buf_t bufs[MAX_BATCH];
    rel_items_point_t points[MAX_BATCH];
    char names[MAX_BATCH][REL_KEY_MAX];
    const char *keys[MAX_BATCH];
    pick_keys(w, first, n, names, keys);
    uint32_t version = remove ? 0 : ++w->next_version;
    for (size_t i = 0; i < n && !remove; i++) {
        rel_point_make(&bufs[i], t, keys[i], version);
        points[i] = bufs[i].point;
    }
    tq_detail_t d;
    pthread_rwlock_rdlock(&the.tenant_lock[t]);
    tq_status_t st = remove ? rel_items_delete(the.env.ctx[t], keys, n, &d)
                            : rel_items_upsert(the.env.ctx[t], points, n, &d);
    if (st == TQ_OK)
        for (size_t i = 0; i < n; i++)
            the.truth[t][w->index][(first + i) % KEYS] = version;
    pthread_rwlock_unlock(&the.tenant_lock[t]);
    if (st != TQ_OK)
        call_failed(w, remove ? "delete" : "upsert", t, st, &d);
}

static void do_get(worker_t *w, size_t t, size_t first, size_t n)
{
    char names[MAX_BATCH][REL_KEY_MAX];
    const char *keys[MAX_BATCH];
    uint32_t versions[MAX_BATCH];
    pick_keys(w, first, n, names, keys);
    for (size_t i = 0; i < n; i++)
        versions[i] = the.truth[t][w->index][(first + i) % KEYS];
    char why[512];
    if (rel_check_keys(&the.env, t, keys, versions, n, why, sizeof why) != 0) {
        w->leaks += strstr(why, "TQ_ELEAK") != NULL;
        worker_fail(w, "get: %s", why);
    }
}

static void do_count(worker_t *w, size_t t)
{
    uint64_t have = 0, want = 0;
    tq_detail_t d;
    pthread_rwlock_wrlock(&the.tenant_lock[t]);
    tq_status_t st = rel_items_count(the.env.ctx[t], &have, &d);
    for (size_t i = 0; i < THREADS; i++)
        for (size_t k = 0; k < KEYS; k++)
            want += the.truth[t][i][k] != 0;
    pthread_rwlock_unlock(&the.tenant_lock[t]);
    if (st != TQ_OK)
        call_failed(w, "count", t, st, &d);
    else if (have != want)
        worker_fail(w, "count %s: %llu, truth %llu", rel_tenant_id(t),
                    (unsigned long long)have, (unsigned long long)want);
}

static void *worker_main(void *arg)
{
    worker_t *w = arg;
    while (!atomic_load(&the.stop)) {
        uint64_t r = rel_xorshift(&w->rng);
        size_t t = (size_t)(r % REL_TENANTS);
        size_t first = (size_t)((r >> 8) % KEYS);
        size_t n = 1 + (size_t)((r >> 16) % MAX_BATCH);
        unsigned pick = (unsigned)((r >> 24) % 100);
        int op = pick < 35 ? OP_UPSERT : pick < 55 ? OP_DELETE : pick < 85 ? OP_GET : OP_COUNT;
        if (op == OP_UPSERT || op == OP_DELETE)
            write_keys(w, t, first, n, op == OP_DELETE);
        else if (op == OP_GET)
            do_get(w, t, first, n);
        else
            do_count(w, t);
        w->ops[op]++;
    }
    return NULL;
}

/* Runs every worker for `seconds` (or until one fails), then joins them all. */
static void run_phase(int seconds)
{
    atomic_store(&the.stop, 0);
    for (size_t i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&the.workers[i].thread, NULL, worker_main,
                                        &the.workers[i]), 0);
    int64_t end = rel_now_ms() + (int64_t)seconds * 1000;
    while (rel_now_ms() < end && !atomic_load(&the.stop))
        rel_sleep_ms(50);
    atomic_store(&the.stop, 1);
    for (size_t i = 0; i < THREADS; i++)
        pthread_join(the.workers[i].thread, NULL);
    for (size_t i = 0; i < THREADS; i++)
        if (the.workers[i].error)
            fail_msg("worker %zu: %s", i, the.workers[i].why);
}

static size_t rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%lu %lu", &size, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

static int fd_count(void)
{
    DIR *dir = opendir("/proc/self/fd");
    if (!dir)
        return -1;
    int n = 0;
    while (readdir(dir))
        n++;
    closedir(dir);
    return n;
}

/* The key index of `key` when it is "w<worker>-<n>" with both in range, else -1. */
static int parse_key(const char *key, size_t *worker, size_t *n)
{
    unsigned a, b;
    char tail;
    if (!key || sscanf(key, "w%u-%u%c", &a, &b, &tail) != 2 || a >= THREADS || b >= KEYS)
        return -1;
    *worker = a;
    *n = b;
    return 0;
}

/* Scrolls all of tenant `t` and checks it holds exactly the truth's points. */
static void verify_scroll(size_t t)
{
    static unsigned char seen[THREADS][KEYS];
    memset(seen, 0, sizeof seen);
    char cursor[64] = "";
    size_t total = 0, want = 0;
    char why[512];
    do {
        rel_items_records_t page = {0};
        tq_detail_t d;
        tq_status_t st = rel_items_scroll(the.env.ctx[t], SCROLL_PAGE,
                                          cursor[0] ? cursor : NULL, &page, &d);
        if (st != TQ_OK)
            fail_msg("scroll %s: %s: %s", rel_tenant_id(t), tq_status_name(st), d.message);
        for (size_t r = 0; r < page.count; r++) {
            const rel_items_record_t *rec = &page.items[r];
            size_t wi = 0, k = 0;
            if (parse_key(rec->key, &wi, &k) != 0)
                fail_msg("scroll %s: foreign key %s", rel_tenant_id(t), rec->key);
            if (seen[wi][k]++)
                fail_msg("scroll %s: %s twice", rel_tenant_id(t), rec->key);
            if (the.truth[t][wi][k] == 0)
                fail_msg("scroll %s: %s present, deleted or never written", rel_tenant_id(t),
                         rec->key);
            if (rel_record_check(rec, t, rec->key, the.truth[t][wi][k], 0, why, sizeof why) != 0)
                fail_msg("scroll: %s", why);
        }
        total += page.count;
        snprintf(cursor, sizeof cursor, "%s", page.next_cursor);
        rel_items_records_free(&page);
    } while (cursor[0]);
    for (size_t i = 0; i < THREADS; i++)
        for (size_t k = 0; k < KEYS; k++)
            want += the.truth[t][i][k] != 0;
    if (total != want)
        fail_msg("scroll %s: %zu points, truth %zu", rel_tenant_id(t), total, want);
}

static int teardown(void **state)
{
    (void)state;
    rel_env_close(&the.env);
    int rc = the.server.pid ? tq_test_server_stop(&the.server) : 0;
    return rc == 0 ? 0 : -1;
}

static int soak_seconds(void)
{
    const char *env = getenv("TQ_SOAK_SECONDS");
    int seconds = env && *env ? atoi(env) : TQ_REL_SOAK_SECONDS;
    return seconds < MIN_SECONDS ? MIN_SECONDS : seconds;
}

static void soak(void **state)
{
    (void)state;
    int seconds = soak_seconds();
    int warm = seconds / 5 > 5 ? seconds / 5 : 5;
    for (size_t t = 0; t < REL_TENANTS; t++)
        pthread_rwlock_init(&the.tenant_lock[t], NULL);
    for (size_t i = 0; i < THREADS; i++) {
        the.workers[i].index = i;
        the.workers[i].rng = 0x9e3779b97f4a7c15ull * (i + 1);
    }
    assert_int_equal(tq_test_server_start(&the.server, NULL), 0);
    tq_detail_t d;
    if (rel_env_open(&the.env, the.server.url, NULL, &d) != TQ_OK ||
        rel_env_onboard(&the.env, &d) != TQ_OK)
        fail_msg("set-up: %s", d.message);

    run_phase(warm);
    size_t rss_warm = rss_bytes();
    int fds_warm = fd_count();
    run_phase(seconds - warm);
    size_t rss_end = rss_bytes();
    int fds_end = fd_count();

    for (size_t t = 0; t < REL_TENANTS; t++)
        verify_scroll(t);
    uint64_t ops[OP_KINDS] = {0}, total = 0;
    unsigned leaks = 0;
    for (size_t i = 0; i < THREADS; i++) {
        leaks += the.workers[i].leaks;
        for (int k = 0; k < OP_KINDS; k++)
            ops[k] += the.workers[i].ops[k];
    }
    printf("soak: %d s (%d s warm-up), %d threads x %d tenants:", seconds, warm, THREADS,
           REL_TENANTS);
    for (int k = 0; k < OP_KINDS; k++) {
        printf(" %s %llu", op_names[k], (unsigned long long)ops[k]);
        total += ops[k];
    }
    printf(" (%.0f calls/s)\n", (double)total / seconds);
    printf("soak: RSS after warm-up %zu KiB, at the end %zu KiB (%+.1f%%); fds %d -> %d\n",
           rss_warm / 1024, rss_end / 1024,
           rss_warm ? 100.0 * ((double)rss_end - (double)rss_warm) / (double)rss_warm : 0.0,
           fds_warm, fds_end);
    assert_int_equal(leaks, 0);
    assert_int_equal(rel_leak_trips(the.env.client), 0);
    assert_true(fds_warm > 0);
    assert_true(fds_end <= fds_warm);
    assert_true(rss_warm > 0);
    assert_true((double)rss_end <= (double)rss_warm * 1.10);
    for (size_t t = 0; t < REL_TENANTS; t++)
        pthread_rwlock_destroy(&the.tenant_lock[t]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(soak, teardown),
    };
    return cmocka_run_group_tests_name("reliability.soak", tests, NULL, NULL);
}
