/* stats.h: latency samples per tenant and the percentiles the report prints. */
#ifndef TQ_PROBE_STATS_H
#define TQ_PROBE_STATS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* A growable list of latencies in milliseconds; thread-safe to add to. */
typedef struct probe_samples {
    pthread_mutex_t lock;
    double *ms;
    size_t count;
    size_t cap;
    int failed; /* an allocation failed; samples were dropped */
} probe_samples_t;

typedef struct probe_percentiles {
    double p50, p95, p99, max;
    size_t count;
} probe_percentiles_t;

void samples_init(probe_samples_t *samples);
void samples_free(probe_samples_t *samples);
void samples_add(probe_samples_t *samples, double ms);

/* Nearest-rank percentiles over a copy of the samples (all zero when empty). */
probe_percentiles_t samples_percentiles(probe_samples_t *samples);

/* Percentiles over the union of `n` sample sets. */
probe_percentiles_t samples_percentiles_all(probe_samples_t *const *sets, size_t n);

/* The nearest-rank quantile `q` (0..1) of `sorted` (ascending, `n` values); 0 if n==0. */
double percentile_sorted(const double *sorted, size_t n, double q);

/* Monotonic time in milliseconds. */
double now_ms(void);

#endif
