/* client.h: the client's internal layout, shared by the request and statistics code. */
#ifndef TQ_CLIENT_H
#define TQ_CLIENT_H

#include <tenantq/tenantq.h>

#include <pthread.h>
#include <stdatomic.h>

/* Idle HTTP handles kept per client (each keeps its keep-alive connections), in shards
 * with a lock each: a thread always uses the same shard, so threads sharing a client do
 * not queue on one lock for every request (http.c). */
#define TQ_POOL_SHARDS 16
#define TQ_SHARD_HANDLES 4

typedef struct tq_pool_shard {
    pthread_mutex_t lock;
    void *handles[TQ_SHARD_HANDLES];  /* CURL easy handles not in use */
    size_t count;
} tq_pool_shard_t;

typedef struct tq_endpoint {
    const char *name; /* owned by the registry */
    char *url;        /* no trailing slash */
    char *api_key;    /* NULL when the variable is unset or empty */
    const char *api_key_env;
} tq_endpoint_t;

/* Updated without a lock (stats.c): atomic adds on the counters. */
typedef struct tq_stats_store {
    tq_tenant_stats_t *tenants; /* registry order, one per registry tenant */
    size_t count;
    uint64_t leak_guard_trips;
} tq_stats_store_t;

struct tq_client {
    const tq_registry_t *registry;
    tq_client_options_t options;
    char *ca_file;
    tq_endpoint_t *endpoints; /* registry endpoint order */
    size_t endpoint_count;
    tq_pool_shard_t pool[TQ_POOL_SHARDS];
    atomic_uint_fast64_t jitter_state;
    tq_stats_store_t stats;
};

/* ---- statistics (stats.c) ---- */
tq_status_t tq_stats_store_init(tq_stats_store_t *store, const tq_registry_t *registry);
void tq_stats_store_destroy(tq_stats_store_t *store);
/* `slot` is the tenant's registry index. */
void tq_stats_note_request(tq_client_t *client, size_t slot, tq_op_t op, int is_retry);
void tq_stats_note_call(tq_client_t *client, size_t slot, tq_op_t op, tq_status_t status,
                        uint64_t elapsed_us);
void tq_stats_note_leak(tq_client_t *client, size_t slot);
/* Microseconds from a monotonic clock. */
uint64_t tq_now_us(void);
/* Index of the histogram bucket that holds `us`. */
size_t tq_histogram_bucket_of(uint64_t us);

#endif
