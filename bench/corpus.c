/* corpus.c: the deterministic data every benchmarked client sends, and the latency
 * sample store they all record into.
 *
 * Vectors come from splitmix64 over the workload's seed, so every client, every round
 * and the JS client (which reads the same floats from a file) send identical points and
 * queries. Nothing here talks to a server. */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A float in [-1, 1) with 24 random bits. */
static float unit_float(uint64_t *state)
{
    return (float)((double)(splitmix64(state) >> 40) / (double)(1u << 23) - 1.0);
}

int bench_corpus_make(bench_corpus_t *c, const bench_workload_t *w)
{
    memset(c, 0, sizeof *c);
    c->w = *w;
    c->tenant_ids = calloc(w->tenants ? w->tenants : 1, sizeof *c->tenant_ids);
    c->keys = calloc(w->vectors ? w->vectors : 1, sizeof *c->keys);
    size_t points = w->tenants * w->vectors;
    c->vectors = malloc((points ? points : 1) * BENCH_DIM * sizeof *c->vectors);
    c->queries = malloc((w->searches ? w->searches : 1) * BENCH_DIM * sizeof *c->queries);
    if (!c->tenant_ids || !c->keys || !c->vectors || !c->queries) {
        bench_corpus_free(c);
        return -1;
    }
    for (size_t t = 0; t < w->tenants; t++)
        snprintf(c->tenant_ids[t], sizeof c->tenant_ids[t], "t%03zu", t);
    for (size_t i = 0; i < w->vectors; i++)
        snprintf(c->keys[i], sizeof c->keys[i], "k%07zu", i);
    uint64_t state = w->seed;
    for (size_t i = 0; i < w->tenants * w->vectors * BENCH_DIM; i++)
        c->vectors[i] = unit_float(&state);
    for (size_t i = 0; i < w->searches * BENCH_DIM; i++)
        c->queries[i] = unit_float(&state);
    return 0;
}

void bench_corpus_free(bench_corpus_t *c)
{
    free(c->tenant_ids);
    free(c->keys);
    free(c->vectors);
    free(c->queries);
    memset(c, 0, sizeof *c);
}

int bench_corpus_write(const bench_corpus_t *c, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t nv = c->w.tenants * c->w.vectors * BENCH_DIM, nq = c->w.searches * BENCH_DIM;
    int rc = fwrite(c->vectors, sizeof *c->vectors, nv, f) == nv &&
                     fwrite(c->queries, sizeof *c->queries, nq, f) == nq
                 ? 0
                 : -1;
    if (fclose(f) != 0 || rc != 0) {
        fprintf(stderr, "tenantq-bench: error: %s: write failed\n", path);
        return -1;
    }
    return 0;
}

const float *bench_vector(const bench_corpus_t *c, size_t tenant, size_t i)
{
    return c->vectors + (tenant * c->w.vectors + i) * BENCH_DIM;
}

size_t bench_search_tenant(const bench_corpus_t *c, size_t i)
{
    return i % c->w.tenants;
}

int bench_samples_add(bench_samples_t *s, double us)
{
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        double *bigger = realloc(s->us, cap * sizeof *bigger);
        if (!bigger)
            return -1;
        s->us = bigger;
        s->cap = cap;
    }
    s->us[s->count++] = us;
    return 0;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void bench_sort_doubles(double *values, size_t n)
{
    qsort(values, n, sizeof *values, by_value);
}

double bench_samples_quantile(bench_samples_t *s, double q)
{
    if (s->count == 0)
        return 0.0;
    bench_sort_doubles(s->us, s->count);
    size_t rank = (size_t)(q * (double)s->count + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > s->count)
        rank = s->count;
    return s->us[rank - 1];
}

void bench_samples_free(bench_samples_t *s)
{
    free(s->us);
    memset(s, 0, sizeof *s);
}

double bench_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}
