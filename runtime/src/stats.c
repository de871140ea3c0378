/* stats.c: per-tenant, per-operation counters and log-linear latency histograms.
 *
 * Buckets: 0..3 hold 1..4 us one microsecond apart; after that every power of two is
 * split into four equal steps, so bucket i >= 4 with g = i / 4, s = i % 4 ends at
 * (5 + s) << (g - 1) us. The last bucket (about 2.4 hours) also takes everything
 * longer. Relative error is at most 25%. Counters are updated under one mutex; nothing
 * here allocates after the store is made. */
#include "client.h"

#include "alloc.h"
#include "registry.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t tq_histogram_bucket_upper_us(size_t i)
{
    if (i >= TQ_HISTOGRAM_BUCKETS)
        return UINT64_MAX;
    if (i < 4)
        return (uint64_t)i + 1;
    size_t g = i / 4, s = i % 4;
    return (uint64_t)(5 + s) << (g - 1);
}

size_t tq_histogram_bucket_of(uint64_t us)
{
    size_t lo = 0, hi = TQ_HISTOGRAM_BUCKETS - 1;
    if (us >= tq_histogram_bucket_upper_us(hi))
        return hi;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tq_histogram_bucket_upper_us(mid) >= us)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

uint64_t tq_histogram_quantile_us(const uint64_t buckets[TQ_HISTOGRAM_BUCKETS], double q)
{
    if (!buckets)
        return 0;
    uint64_t total = 0;
    for (size_t i = 0; i < TQ_HISTOGRAM_BUCKETS; i++)
        total += buckets[i];
    if (total == 0)
        return 0;
    if (!(q >= 0.0))
        q = 0.0;
    if (q > 1.0)
        q = 1.0;
    double want = q * (double)total;
    uint64_t rank = (uint64_t)want;
    if ((double)rank < want)
        rank++;
    if (rank == 0)
        rank = 1;
    uint64_t seen = 0;
    for (size_t i = 0; i < TQ_HISTOGRAM_BUCKETS; i++) {
        seen += buckets[i];
        if (seen >= rank)
            return tq_histogram_bucket_upper_us(i);
    }
    return tq_histogram_bucket_upper_us(TQ_HISTOGRAM_BUCKETS - 1);
}

uint64_t tq_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

tq_status_t tq_stats_store_init(tq_stats_store_t *store, const tq_registry_t *registry)
{
    pthread_mutex_init(&store->lock, NULL);
    store->count = registry->tenant_count;
    store->tenants = tq_calloc(store->count ? store->count : 1, sizeof *store->tenants);
    if (!store->tenants)
        return TQ_ENOMEM;
    for (size_t i = 0; i < store->count; i++)
        strcpy(store->tenants[i].tenant, registry->tenants[i].id);
    return TQ_OK;
}

void tq_stats_store_destroy(tq_stats_store_t *store)
{
    tq_free(store->tenants);
    store->tenants = NULL;
    pthread_mutex_destroy(&store->lock);
}

void tq_stats_note_request(tq_client_t *client, size_t slot, tq_op_t op, int is_retry)
{
    tq_stats_store_t *s = &client->stats;
    if (slot >= s->count || (int)op < 0 || op >= TQ_OP_LAST)
        return;
    pthread_mutex_lock(&s->lock);
    s->tenants[slot].ops[op].requests++;
    if (is_retry)
        s->tenants[slot].ops[op].retries++;
    pthread_mutex_unlock(&s->lock);
}

void tq_stats_note_call(tq_client_t *client, size_t slot, tq_op_t op, tq_status_t status,
                        uint64_t elapsed_us)
{
    tq_stats_store_t *s = &client->stats;
    if (slot >= s->count || (int)op < 0 || op >= TQ_OP_LAST)
        return;
    size_t b = tq_histogram_bucket_of(elapsed_us);
    pthread_mutex_lock(&s->lock);
    tq_op_stats_t *o = &s->tenants[slot].ops[op];
    o->calls++;
    if (status != TQ_OK)
        o->errors++;
    o->buckets[b]++;
    pthread_mutex_unlock(&s->lock);
}

void tq_stats_note_leak(tq_client_t *client, size_t slot)
{
    tq_stats_store_t *s = &client->stats;
    pthread_mutex_lock(&s->lock);
    s->leak_guard_trips++;
    if (slot < s->count)
        s->tenants[slot].leak_guard_trips++;
    pthread_mutex_unlock(&s->lock);
}

static int by_tenant(const void *a, const void *b)
{
    return strcmp(((const tq_tenant_stats_t *)a)->tenant, ((const tq_tenant_stats_t *)b)->tenant);
}

tq_status_t tq_client_stats(const tq_client_t *client, tq_stats_t **out)
{
    if (!client || !out)
        return TQ_EINVAL;
    tq_stats_store_t *s = (tq_stats_store_t *)&client->stats;
    tq_stats_t *snap = tq_calloc(1, sizeof *snap);
    tq_tenant_stats_t *copy = tq_calloc(s->count ? s->count : 1, sizeof *copy);
    if (!snap || !copy) {
        tq_free(snap);
        tq_free(copy);
        return TQ_ENOMEM;
    }
    pthread_mutex_lock(&s->lock);
    memcpy(copy, s->tenants, s->count * sizeof *copy);
    snap->leak_guard_trips = s->leak_guard_trips;
    pthread_mutex_unlock(&s->lock);
    qsort(copy, s->count, sizeof *copy, by_tenant);
    snap->tenant_count = s->count;
    snap->tenants = copy;
    *out = snap;
    return TQ_OK;
}

void tq_stats_free(tq_stats_t *stats)
{
    if (stats) {
        tq_free(stats->tenants);
        tq_free(stats);
    }
}
