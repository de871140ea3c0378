/* stats.c: per-tenant latency samples and nearest-rank percentiles.
 *
 * The probe times every call it makes itself (the runtime's histograms are bucketed;
 * these figures are exact). Adding a sample never fails the run: a failed allocation
 * is remembered and the sample dropped. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void samples_init(probe_samples_t *samples)
{
    memset(samples, 0, sizeof *samples);
    pthread_mutex_init(&samples->lock, NULL);
}

void samples_free(probe_samples_t *samples)
{
    pthread_mutex_destroy(&samples->lock);
    free(samples->ms);
    samples->ms = NULL;
    samples->count = samples->cap = 0;
}

void samples_add(probe_samples_t *samples, double ms)
{
    pthread_mutex_lock(&samples->lock);
    if (samples->count == samples->cap) {
        size_t cap = samples->cap ? samples->cap * 2 : 64;
        double *grown = realloc(samples->ms, cap * sizeof *grown);
        if (!grown) {
            samples->failed = 1;
            pthread_mutex_unlock(&samples->lock);
            return;
        }
        samples->ms = grown;
        samples->cap = cap;
    }
    samples->ms[samples->count++] = ms;
    pthread_mutex_unlock(&samples->lock);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double percentile_sorted(const double *sorted, size_t n, double q)
{
    if (n == 0)
        return 0.0;
    double rank = ceil(q * (double)n);
    size_t idx = rank < 1.0 ? 0 : (size_t)rank - 1;
    return sorted[idx < n ? idx : n - 1];
}

probe_percentiles_t samples_percentiles_all(probe_samples_t *const *sets, size_t n)
{
    probe_percentiles_t p;
    memset(&p, 0, sizeof p);
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += sets[i]->count;
    if (total == 0)
        return p;
    double *all = malloc(total * sizeof *all);
    if (!all)
        return p;
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        pthread_mutex_lock(&sets[i]->lock);
        size_t take = sets[i]->count < total - used ? sets[i]->count : total - used;
        memcpy(all + used, sets[i]->ms, take * sizeof *all);
        used += take;
        pthread_mutex_unlock(&sets[i]->lock);
    }
    qsort(all, used, sizeof *all, cmp_double);
    p.p50 = percentile_sorted(all, used, 0.50);
    p.p95 = percentile_sorted(all, used, 0.95);
    p.p99 = percentile_sorted(all, used, 0.99);
    p.max = used ? all[used - 1] : 0.0;
    p.count = used;
    free(all);
    return p;
}

probe_percentiles_t samples_percentiles(probe_samples_t *samples)
{
    return samples_percentiles_all(&samples, 1);
}
