/* client.h: the client's internal layout, shared by the request and statistics code. */
#ifndef TQ_CLIENT_H
#define TQ_CLIENT_H

#include <tenantq/tenantq.h>

#include <pthread.h>
#include <stdatomic.h>

/* Idle HTTP handles kept per client (each keeps its keep-alive connections). */
#define TQ_IDLE_HANDLES_MAX 64

typedef struct tq_endpoint {
    const char *name; /* owned by the registry */
    char *url;        /* no trailing slash */
    char *api_key;    /* NULL when the variable is unset or empty */
    const char *api_key_env;
} tq_endpoint_t;

typedef struct tq_stats_store {
    pthread_mutex_t lock;
    tq_tenant_stats_t *tenants; /* registry order, one per registry tenant */
    size_t count;
    uint64_t leak_guard_trips;
} tq_stats_store_t;

/* Physical collections whose fingerprint this client has compared (fingerprint.c):
 * "<endpoint index>/<collection name>" strings, so each is checked once per client. */
typedef struct tq_verified_set {
    pthread_mutex_t lock;
    char **names;
    size_t count;
    size_t cap;
} tq_verified_set_t;

struct tq_client {
    const tq_registry_t *registry;
    tq_client_options_t options;
    char *ca_file;
    tq_endpoint_t *endpoints; /* registry endpoint order */
    size_t endpoint_count;
    pthread_mutex_t pool_lock;
    void **idle_handles; /* CURL easy handles not in use; they keep their connections */
    size_t idle_count;
    atomic_uint_fast64_t jitter_state;
    tq_stats_store_t stats;
    tq_verified_set_t verified;
};

/* ---- fingerprints (fingerprint.c) ---- */
void tq_verified_init(tq_verified_set_t *set);
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
