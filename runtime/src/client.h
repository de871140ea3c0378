/* client.h: the client's internal layout, shared by the request and statistics code. */
#ifndef TQ_CLIENT_H
#define TQ_CLIENT_H

#include <tenantq/raw.h>

#include <pthread.h>
#include <stdatomic.h>

/* Idle connections kept per client (each a libcurl handle holding one keep-alive
 * connection to one endpoint), and per tenant: a connection only ever carries one
 * tenant's requests. They are kept
 * in TQ_POOL_SHARDS shards with a lock each, a tenant's in shard slot % TQ_POOL_SHARDS,
 * so requests of different tenants do not queue on one lock (http.c). */
#define TQ_POOL_SHARDS 16
#define TQ_SHARD_HANDLES 4 /* 64 idle handles at most in all */
#define TQ_IDLE_PER_TENANT 4

/* Whether an endpoint has been seen to enforce JWT RBAC (tq_ctx_auth). */
typedef enum tq_rbac_state {
    TQ_RBAC_UNPROVEN = 0,
    TQ_RBAC_ENFORCED = 1,
    TQ_RBAC_NOT_ENFORCED = 2
} tq_rbac_state_t;

#define TQ_RBAC_WHY_MAX 320

typedef struct tq_endpoint {
    const char *name; /* owned by the registry */
    char *url;        /* no trailing slash */
    char *api_key;    /* NULL when the variable is unset or empty */
    const char *api_key_env;
    atomic_int rbac_state;          /* a tq_rbac_state_t */
    char rbac_why[TQ_RBAC_WHY_MAX]; /* why, once TQ_RBAC_NOT_ENFORCED */
} tq_endpoint_t;

/* An idle connection, the endpoint it leads to and the tenant slot whose requests it
 * carried (TQ_NO_TENANT_SLOT for requests made for no tenant). */
#define TQ_NO_TENANT_SLOT ((size_t)-1)
typedef struct tq_idle_handle {
    void *handle;
    const struct tq_endpoint *endpoint;
    size_t tenant_slot;
} tq_idle_handle_t;

/* One shard of the pool: idle connections, oldest first, reused for one tenant only. */
typedef struct tq_pool_shard {
    pthread_mutex_t lock;
    tq_idle_handle_t idle[TQ_SHARD_HANDLES];
    size_t count;
} tq_pool_shard_t;

/* Updated without a lock (stats.c): atomic adds on the counters. */
typedef struct tq_stats_store {
    tq_tenant_stats_t *tenants; /* registry order, one per registry tenant */
    size_t count;
    uint64_t leak_guard_trips;
} tq_stats_store_t;

/* One physical collection ("<endpoint index>/<collection name>") whose fingerprint
 * this client compares once (fingerprint.c). A node is published into its bucket's
 * chain with a release store after its name is written and is never changed, moved or
 * freed until the client is, so readers follow the chains without a lock. `verified`
 * turns 1 (release) once the comparison passed; `check` is held by the one call that
 * runs the comparison, so concurrent first calls on a collection compare it once. */
typedef struct tq_verified_node {
    struct tq_verified_node *_Atomic next;
    uint64_t hash;
    size_t endpoint;
    atomic_int verified;
    pthread_mutex_t check;
    char name[TQ_COLLECTION_NAME_MAX + 1];
} tq_verified_node_t;

/* The per-client table of those nodes: a fixed power-of-two array of chains sized from
 * the registry's tenant count; `lock` serialises insertions only. */
typedef struct tq_verified_set {
    pthread_mutex_t lock;
    tq_verified_node_t *_Atomic *buckets;
    size_t mask; /* bucket count - 1 */
} tq_verified_set_t;

#define TQ_CLIENT_MAGIC 0x74716c69656e7431ULL /* "tqlient1" */

struct tq_tenant_entry;

struct tq_client {
    uint64_t magic; /* TQ_CLIENT_MAGIC while open */
    const tq_registry_t *registry;
    tq_client_options_t options;
    char *ca_file;
    tq_endpoint_t *endpoints; /* registry endpoint order */
    size_t endpoint_count;
    tq_pool_shard_t pool[TQ_POOL_SHARDS];
    struct tq_tenant_entry *tenants; /* one per registry tenant, registry order */
    size_t tenant_count;
    pthread_mutex_t rbac_lock;       /* one RBAC proof at a time */
    atomic_uint_fast64_t jitter_state;
    tq_stats_store_t stats;
    tq_verified_set_t verified;
};

/* ---- fingerprints (fingerprint.c) ---- */
/* 0, or -1 when out of memory; sized for `tenants` tenants. */
int tq_verified_init(tq_verified_set_t *set, size_t tenants);
void tq_verified_destroy(tq_verified_set_t *set);

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
