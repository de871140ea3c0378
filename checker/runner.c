/* runner.c: runs the analysis jobs on worker threads, each with its own CXIndex (an
 * index must not be shared between threads). Jobs are handed out in order from a
 * shared counter; results meet in the session under its lock. */
#include "analyze.h"
#include "internal.h"

#include <stdlib.h>

typedef struct pool {
    tqc_session_t *s;
    const tqc_job_t *jobs;
    size_t count;
    size_t next;
    size_t failed;
    pthread_mutex_t lock;
} pool_t;

static void *worker(void *arg)
{
    pool_t *pool = arg;
    CXIndex index = clang_createIndex(0, 0);
    for (;;) {
        pthread_mutex_lock(&pool->lock);
        size_t i = pool->next < pool->count ? pool->next++ : pool->count;
        pthread_mutex_unlock(&pool->lock);
        if (i == pool->count) {
            break;
        }
        int rc = -1;
        if (index) {
            rc = tqc_analyze(pool->s, index, &pool->jobs[i]);
        } else {
            tqc_session_error(pool->s, "%s: libclang could not create an index",
                              pool->jobs[i].file);
        }
        if (rc != 0) {
            pthread_mutex_lock(&pool->lock);
            pool->failed++;
            pthread_mutex_unlock(&pool->lock);
        }
    }
    if (index) {
        clang_disposeIndex(index);
    }
    return NULL;
}

size_t tqc_run_jobs(tqc_session_t *s, const tqc_job_t *jobs, size_t count, int threads)
{
    pool_t pool = {s, jobs, count, 0, 0, PTHREAD_MUTEX_INITIALIZER};
    if (threads < 1) {
        threads = 1;
    }
    if ((size_t)threads > count) {
        threads = count ? (int)count : 1;
    }
    pthread_t *ids = calloc((size_t)threads, sizeof *ids);
    int started = 0;
    if (ids) {
        for (; started < threads - 1; started++) {
            if (pthread_create(&ids[started], NULL, worker, &pool) != 0) {
                break;
            }
        }
    }
    worker(&pool);
    for (int i = 0; i < started; i++) {
        pthread_join(ids[i], NULL);
    }
    free(ids);
    pthread_mutex_destroy(&pool.lock);
    return pool.failed;
}
