/* ingest.c: the ingestion phase and its throughput figures.
 *
 * Threads take whole tenants from a shared counter; each tenant's points go in per
 * scope value, in batches of the configured size, through the generated upsert only.
 * Per-tenant throughput counts only the time inside upsert calls; the overall figure
 * is vectors over the phase's wall time (vector generation included). It must never
 * leave a tenant half-loaded silently: the first failure stops the phase. */
#include "ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "threads.h"

typedef struct ingest_pool {
    probe_run_t *run;
    size_t next;
    int failed;
    pthread_mutex_t lock;
} ingest_pool_t;

/* Points of one batch and the storage they borrow from. */
typedef struct batch {
    probe_point_t *points;
    float *vectors;
    char (*keys)[PROBE_KEY_MAX];
    char (*sources)[PROBE_SOURCE_MAX];
    char (*texts)[PROBE_TEXT_MAX];
} batch_t;

static int batch_alloc(batch_t *b, size_t size, uint32_t dim)
{
    b->points = calloc(size, sizeof *b->points);
    b->vectors = calloc(size * dim, sizeof *b->vectors);
    b->keys = calloc(size, sizeof *b->keys);
    b->sources = calloc(size, sizeof *b->sources);
    b->texts = calloc(size, sizeof *b->texts);
    return b->points && b->vectors && b->keys && b->sources && b->texts ? 0 : -1;
}

static void batch_free(batch_t *b)
{
    free(b->points);
    free(b->vectors);
    free(b->keys);
    free(b->sources);
    free(b->texts);
}

/* Loads one tenant. Returns 0, or -1 after printing why. */
static int ingest_tenant(probe_run_t *run, size_t t, batch_t *b)
{
    const probe_corpus_t *c = run->corpus;
    size_t size = run->opt->batch;
    for (size_t bot = 0; bot < PROBE_BOTS; bot++) {
        size_t i = bot;
        while (i < c->vectors) {
            size_t n = 0;
            for (; n < size && i < c->vectors; n++, i += PROBE_BOTS) {
                float *v = b->vectors + n * c->dim;
                corpus_point_vector(c, t, i, v);
                corpus_point_key(c, t, i, b->keys[n]);
                corpus_point_source(c, t, i, b->sources[n]);
                corpus_point_text(c, t, i, b->texts[n]);
                size_t topic = corpus_point_topic(c, t, i);
                b->points[n] = (probe_point_t){b->keys[n],
                                               v,
                                               b->sources[n],
                                               (int64_t)topic,
                                               b->texts[n],
                                               (double)topic,
                                               (int)(topic & 1u),
                                               corpus_topic_datetime(topic),
                                               corpus_topic_uuid(topic)};
            }
            tq_detail_t detail;
            memset(&detail, 0, sizeof detail);
            double t0 = now_ms();
            tq_status_t st = run->api->upsert(run->tenants[t].ctx, run_scopes(run, bot),
                                              b->points, n, &detail);
            run->tenants[t].ingest_ms += now_ms() - t0;
            if (st != TQ_OK) {
                fprintf(stderr, "tenantq-probe: error: upsert for tenant %s: %s: %s\n", c->ids[t],
                        tq_status_name(st), detail.message);
                return -1;
            }
            run->tenants[t].ingested += n;
            progress_step(run->progress, n);
        }
    }
    return 0;
}

static void *ingest_worker(void *opaque)
{
    ingest_pool_t *pool = opaque;
    probe_run_t *run = pool->run;
    batch_t b;
    if (batch_alloc(&b, run->opt->batch, run->corpus->dim) != 0) {
        fprintf(stderr, "tenantq-probe: error: out of memory for an upsert batch\n");
        pthread_mutex_lock(&pool->lock);
        pool->failed = 1;
        pthread_mutex_unlock(&pool->lock);
        batch_free(&b);
        return NULL;
    }
    for (;;) {
        pthread_mutex_lock(&pool->lock);
        size_t t = pool->failed ? run->corpus->tenants : pool->next++;
        pthread_mutex_unlock(&pool->lock);
        if (t >= run->corpus->tenants)
            break;
        if (ingest_tenant(run, t, &b) != 0) {
            pthread_mutex_lock(&pool->lock);
            pool->failed = 1;
            pthread_mutex_unlock(&pool->lock);
            break;
        }
    }
    batch_free(&b);
    return NULL;
}

int ingest_all(probe_run_t *run)
{
    size_t threads = run->opt->concurrency ? run->opt->concurrency : 1;
    if (threads > run->corpus->tenants)
        threads = run->corpus->tenants;
    ingest_pool_t pool = {run, 0, 0, PTHREAD_MUTEX_INITIALIZER};
    progress_begin(run->progress, "ingest", run->corpus->tenants * run->corpus->vectors);
    double t0 = now_ms();
    size_t started = threads_run(threads, ingest_worker, &pool, 0);
    run->ingest_wall_ms = now_ms() - t0;
    progress_end(run->progress);
    for (size_t t = 0; t < run->corpus->tenants; t++)
        run->ingest_vectors += run->tenants[t].ingested;
    pthread_mutex_destroy(&pool.lock);
    if (started == 0)
        fprintf(stderr, "tenantq-probe: error: could not start an ingest thread\n");
    return started == 0 || pool.failed ? -1 : 0;
}
