/* gen_client.c: the generated tenantq client's side of the benchmark: set-up of a fresh
 * server, the timed ingest and searches, and the shared-client concurrency runs.
 *
 * Everything goes through the functions tenantq-gen wrote from bench.tqs, with every
 * protection on: the leak guard on each returned point, key checks and UUIDv5 point
 * ids, and a per-tenant HS256 token on each data request. This file must never build a
 * request, a filter or a point id itself. */
#include "bench.h"

#include "bench.tq.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tenantq/tenantq.h>

typedef struct gen_session {
    tq_registry_t *registry;
    tq_client_t *client;
    tenant_ctx_t **ctxs;
    size_t ctx_count;
} gen_session_t;

static void session_close(gen_session_t *s)
{
    for (size_t i = 0; i < s->ctx_count; i++)
        tq_ctx_free(s->ctxs[i]);
    free(s->ctxs);
    tq_client_free(s->client);
    tq_registry_free(s->registry);
    memset(s, 0, sizeof *s);
}

static int fail(const char *what, tq_status_t st, const tq_detail_t *d)
{
    fprintf(stderr, "tenantq-bench: error: generated client: %s: %s: %s\n", what,
            tq_status_name(st), d->message);
    return -1;
}

/* Registry (every tenant on the endpoint at t->url), client with per-tenant tokens,
 * and one context per tenant. */
static int session_open(const bench_target_t *t, const bench_corpus_t *c, gen_session_t *s)
{
    tq_detail_t d;
    memset(&d, 0, sizeof d);
    memset(s, 0, sizeof *s);
    size_t cap = 256 + c->w.tenants * (BENCH_TENANT_ID_MAX + 8);
    char *json = malloc(cap);
    if (!json)
        return -1;
    size_t len = (size_t)snprintf(json, cap,
                                  "{\"version\":1,\"endpoints\":{\"default\":{\"url\":\"%s\","
                                  "\"api_key_env\":\"%s\"}},\"tenants\":{",
                                  t->url, BENCH_API_KEY_ENV);
    for (size_t i = 0; i < c->w.tenants; i++)
        len += (size_t)snprintf(json + len, cap - len, "%s\"%s\":{}", i ? "," : "",
                                c->tenant_ids[i]);
    snprintf(json + len, cap - len, "}}");
    tq_status_t st = tq_registry_parse(json, strlen(json), "tenantq-bench registry",
                                       &s->registry, &d);
    free(json);
    if (st != TQ_OK)
        return fail("registry", st, &d);
    tq_client_options_t o;
    tq_client_options_init(&o);
    o.upsert_batch_size = c->w.batch;
    o.tenant_jwt = 1;
    if ((st = tq_client_new(s->registry, &o, &s->client, &d)) != TQ_OK) {
        session_close(s);
        return fail("client", st, &d);
    }
    s->ctxs = calloc(c->w.tenants, sizeof *s->ctxs);
    if (!s->ctxs) {
        session_close(s);
        return -1;
    }
    for (; s->ctx_count < c->w.tenants; s->ctx_count++) {
        st = tq_ctx_new(s->client, c->tenant_ids[s->ctx_count], &s->ctxs[s->ctx_count], &d);
        if (st != TQ_OK) {
            session_close(s);
            return fail("context", st, &d);
        }
    }
    return 0;
}

int bench_setup(const bench_target_t *t, const bench_corpus_t *c, char *collection, size_t cap)
{
    gen_session_t s;
    if (session_open(t, c, &s) != 0)
        return -1;
    tq_detail_t d;
    for (size_t i = 0; i < s.ctx_count; i++) {
        memset(&d, 0, sizeof d);
        tq_status_t st = bench_onboard_tenant(s.ctxs[i], &d);
        if (st != TQ_OK) {
            session_close(&s);
            return fail("onboard", st, &d);
        }
    }
    session_close(&s);
    /* The shared placement's collection is named schema-collection (docs/runtime.md). */
    snprintf(collection, cap, "bench-docs");
    return 0;
}

/* Upserts points [from, from + n) of `tenant` in one generated call. */
static tq_status_t upsert_range(const gen_session_t *s, const bench_corpus_t *c, size_t tenant,
                                size_t from, size_t n, bench_docs_point_t *points,
                                tq_detail_t *d)
{
    for (size_t i = 0; i < n; i++) {
        points[i].key = c->keys[from + i];
        points[i].vector = bench_vector(c, tenant, from + i);
        points[i].vector_len = BENCH_DIM;
        points[i].source = "bench";
    }
    return bench_docs_upsert(s->ctxs[tenant], points, n, d);
}

/* Search number `i`; adds its hits to *hits. */
static tq_status_t search_one(const gen_session_t *s, const bench_corpus_t *c, size_t i,
                              uint64_t *hits, tq_detail_t *d)
{
    bench_docs_records_t records;
    memset(&records, 0, sizeof records);
    tq_status_t st = bench_docs_search(s->ctxs[bench_search_tenant(c, i)],
                                       c->queries + i * BENCH_DIM, BENCH_DIM, NULL, c->w.limit,
                                       NULL, &records, d);
    if (st == TQ_OK)
        *hits += records.count;
    bench_docs_records_free(&records);
    return st;
}

/* ---- the comparison's steps (bench_generated_client) -------------------------------- */

typedef struct gen_run {
    gen_session_t s;
    bench_docs_point_t *points; /* one tenant's worth, for each ingest call */
    tq_detail_t d;
} gen_run_t;

static void gen_close(void *session)
{
    gen_run_t *g = session;
    if (!g)
        return;
    session_close(&g->s);
    free(g->points);
    free(g);
}

static void *gen_open(const bench_target_t *t, const bench_corpus_t *c)
{
    gen_run_t *g = calloc(1, sizeof *g);
    if (!g || !(g->points = calloc(c->w.vectors, sizeof *g->points))) {
        fprintf(stderr, "tenantq-bench: error: generated client: out of memory\n");
        free(g);
        return NULL;
    }
    if (session_open(t, c, &g->s) != 0) {
        free(g->points);
        free(g);
        return NULL;
    }
    return g;
}

/* Each tenant's vectors in one generated call, which sends them in batches of
 * c->w.batch (the client's upsert_batch_size). */
static int gen_ingest(void *session, const bench_corpus_t *c)
{
    gen_run_t *g = session;
    for (size_t tenant = 0; tenant < c->w.tenants; tenant++) {
        tq_status_t st = upsert_range(&g->s, c, tenant, 0, c->w.vectors, g->points, &g->d);
        if (st != TQ_OK)
            return fail("upsert", st, &g->d);
    }
    return 0;
}

static int gen_search(void *session, const bench_corpus_t *c, size_t i, uint64_t *hits)
{
    gen_run_t *g = session;
    tq_status_t st = search_one(&g->s, c, i, hits, &g->d);
    return st == TQ_OK ? 0 : fail("search", st, &g->d);
}

const bench_client_t bench_generated_client = {"generated", gen_open, gen_ingest, gen_search,
                                               gen_close};

/* ---- shared-client concurrency ---------------------------------------------------- */

typedef struct conc_thread {
    const gen_session_t *s;
    const bench_corpus_t *c;
    unsigned index, threads;
    int upsert; /* 1: upsert batches, 0: searches */
    bench_samples_t lat;
    size_t work; /* searches, or points upserted */
    int failed;
    pthread_t tid;
} conc_thread_t;

/* Work item j (a search, or one batch of one tenant's points) belongs to thread
 * j % threads. */
static void *conc_main(void *arg)
{
    conc_thread_t *ct = arg;
    const bench_corpus_t *c = ct->c;
    tq_detail_t d;
    memset(&d, 0, sizeof d);
    size_t per_tenant = (c->w.vectors + c->w.batch - 1) / c->w.batch;
    size_t items = ct->upsert ? c->w.tenants * per_tenant : c->w.searches;
    bench_docs_point_t *points = calloc(c->w.batch, sizeof *points);
    uint64_t hits = 0;
    if (!points) {
        ct->failed = 1;
        return NULL;
    }
    for (size_t j = ct->index; j < items && !ct->failed; j += ct->threads) {
        double t0 = bench_now_us();
        tq_status_t st;
        if (ct->upsert) {
            size_t tenant = j / per_tenant, from = (j % per_tenant) * c->w.batch;
            size_t n = c->w.vectors - from < c->w.batch ? c->w.vectors - from : c->w.batch;
            st = upsert_range(ct->s, c, tenant, from, n, points, &d);
            ct->work += n;
        } else {
            st = search_one(ct->s, c, j, &hits, &d);
            ct->work++;
        }
        if (st != TQ_OK) {
            fail(ct->upsert ? "concurrent upsert" : "concurrent search", st, &d);
            ct->failed = 1;
        } else if (bench_samples_add(&ct->lat, bench_now_us() - t0) != 0) {
            ct->failed = 1;
        }
    }
    free(points);
    return NULL;
}

/* Runs one phase on `threads` threads; writes work per second and the p95 of all calls. */
static int conc_phase(const gen_session_t *s, const bench_corpus_t *c, unsigned threads,
                      int upsert, double *per_s, double *p95)
{
    conc_thread_t *ts = calloc(threads, sizeof *ts);
    bench_samples_t all = {0};
    size_t started = 0, work = 0;
    int rc = -1;
    if (!ts)
        return -1;
    double t0 = bench_now_us();
    for (; started < threads; started++) {
        ts[started] = (conc_thread_t){.s = s, .c = c, .index = (unsigned)started,
                                      .threads = threads, .upsert = upsert};
        if (pthread_create(&ts[started].tid, NULL, conc_main, &ts[started]) != 0)
            break;
    }
    int failed = started < threads;
    for (size_t i = 0; i < started; i++)
        pthread_join(ts[i].tid, NULL);
    double wall = bench_now_us() - t0;
    for (size_t i = 0; i < started; i++) {
        failed |= ts[i].failed;
        work += ts[i].work;
        for (size_t k = 0; k < ts[i].lat.count && !failed; k++)
            failed |= bench_samples_add(&all, ts[i].lat.us[k]) != 0;
        bench_samples_free(&ts[i].lat);
    }
    if (!failed) {
        *per_s = (double)work / (wall / 1e6);
        *p95 = bench_samples_quantile(&all, 0.95);
        rc = 0;
    }
    bench_samples_free(&all);
    free(ts);
    return rc;
}

int bench_run_concurrency(const bench_target_t *t, const bench_corpus_t *c, unsigned threads,
                          bench_conc_result_t *out)
{
    gen_session_t s;
    memset(out, 0, sizeof *out);
    if (session_open(t, c, &s) != 0)
        return -1;
    /* Upserts first (they also load the points the searches find), then searches. */
    int rc = conc_phase(&s, c, threads, 1, &out->upsert_per_s, &out->upsert_p95_us);
    if (rc == 0)
        rc = conc_phase(&s, c, threads, 0, &out->search_per_s, &out->search_p95_us);
    session_close(&s);
    return rc;
}
