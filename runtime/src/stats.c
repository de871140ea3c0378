/* stats.c: per-tenant, per-operation counters and log-linear latency histograms.
 *
 * Buckets: 0..3 hold 1..4 us one microsecond apart; after that every power of two is
 * split into four equal steps, so bucket i >= 4 with g = i / 4, s = i % 4 ends at
 * (5 + s) << (g - 1) us. The last bucket (about 2.4 hours) also takes everything
 * longer. Relative error is at most 25%. Counters are plain uint64_t updated with
 * relaxed atomic adds and read with atomic loads: every call of every thread passes
 * through here, so there is no lock to queue on. A snapshot is per-counter consistent
 * (a call counted in `calls` may not yet show in its bucket). Nothing here allocates
 * after the store is made. */
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

/* Lock-free counter updates and reads (GCC and clang builtins on plain uint64_t, so
 * the public tq_op_stats_t keeps its layout). */
static void bump(uint64_t *counter)
{
    __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

static uint64_t read_counter(const uint64_t *counter)
{
    return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

tq_status_t tq_stats_store_init(tq_stats_store_t *store, const tq_registry_t *registry)
{
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
}

void tq_stats_note_request(tq_client_t *client, size_t slot, tq_op_t op, int is_retry)
{
    tq_stats_store_t *s = &client->stats;
    if (slot >= s->count || (int)op < 0 || op >= TQ_OP_LAST)
        return;
    bump(&s->tenants[slot].ops[op].requests);
    if (is_retry)
        bump(&s->tenants[slot].ops[op].retries);
}

void tq_stats_note_call(tq_client_t *client, size_t slot, tq_op_t op, tq_status_t status,
                        uint64_t elapsed_us)
{
    tq_stats_store_t *s = &client->stats;
    if (slot >= s->count || (int)op < 0 || op >= TQ_OP_LAST)
        return;
    tq_op_stats_t *o = &s->tenants[slot].ops[op];
    bump(&o->buckets[tq_histogram_bucket_of(elapsed_us)]);
    if (status != TQ_OK)
        bump(&o->errors);
    bump(&o->calls);
}

void tq_stats_note_leak(tq_client_t *client, size_t slot)
{
    tq_stats_store_t *s = &client->stats;
    bump(&s->leak_guard_trips);
    if (slot < s->count)
        bump(&s->tenants[slot].leak_guard_trips);
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
    for (size_t t = 0; t < s->count; t++) {
        const tq_tenant_stats_t *from = &s->tenants[t];
        memcpy(copy[t].tenant, from->tenant, sizeof copy[t].tenant);
        copy[t].leak_guard_trips = read_counter(&from->leak_guard_trips);
        for (size_t op = 0; op < TQ_OP_LAST; op++) {
            const tq_op_stats_t *o = &from->ops[op];
            copy[t].ops[op].requests = read_counter(&o->requests);
            copy[t].ops[op].calls = read_counter(&o->calls);
            copy[t].ops[op].retries = read_counter(&o->retries);
            copy[t].ops[op].errors = read_counter(&o->errors);
            for (size_t b = 0; b < TQ_HISTOGRAM_BUCKETS; b++)
                copy[t].ops[op].buckets[b] = read_counter(&o->buckets[b]);
        }
    }
    snap->leak_guard_trips = read_counter(&s->leak_guard_trips);
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
