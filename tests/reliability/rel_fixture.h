/* rel_fixture.h: what the reliability tests share: ten tenants over one client, the
 * content every point must have, reading it back, and the failure report of an upsert.
 * One-sentence contracts; the implementation is in rel_fixture.c. */
#ifndef TQ_REL_FIXTURE_H
#define TQ_REL_FIXTURE_H

#include "rel.tq.h"
#include "rel_sys.h"

#include <stddef.h>
#include <stdint.h>

#define REL_TENANTS 10
#define REL_KEY_MAX 32

/* One registry and client over a server at `url`, and a context per tenant. Tenants
 * t00..t04 use the schema's shared placement, t05..t09 a collection of their own. */
typedef struct rel_env {
    tq_registry_t *registry;
    tq_client_t *client;
    tenant_ctx_t *ctx[REL_TENANTS];
} rel_env_t;

/* "t00".."t09"; a static string. */
const char *rel_tenant_id(size_t tenant);

/* The client defaults, then the given timeouts and retry schedule. */
void rel_options(tq_client_options_t *options, long connect_timeout_ms, long total_timeout_ms,
                 int max_retries, long retry_base_ms, long retry_max_ms);

/* Opens `env` against `url` with `options` (NULL for defaults); returns TQ_OK or the
 * failing status with the reason in `detail`. `env` is zeroed first. */
tq_status_t rel_env_open(rel_env_t *env, const char *url, const tq_client_options_t *options,
                         tq_detail_t *detail);

/* Frees contexts, client and registry; safe on a zeroed or half-opened env. */
void rel_env_close(rel_env_t *env);

/* Onboards every tenant, retrying transient failures; TQ_OK or the last status. */
tq_status_t rel_env_onboard(rel_env_t *env, tq_detail_t *detail);

/* A point's storage: the generated point borrows from it. */
typedef struct rel_point_buf {
    char key[REL_KEY_MAX];
    char body[96];
    float vector[REL_ITEMS_DIM];
    rel_items_point_t point;
} rel_point_buf_t;

/* Fills `buf` with the one content key `key` of `tenant` has at `version` (>= 1). */
void rel_point_make(rel_point_buf_t *buf, size_t tenant, const char *key, uint32_t version);

/* 0 when `record` is exactly what rel_point_make wrote for (tenant, key, version),
 * its vector included unless `with_vector` is 0 (reads that return none); otherwise -1
 * with the first difference in `why`. */
int rel_record_check(const rel_items_record_t *record, size_t tenant, const char *key,
                     uint32_t version, int with_vector, char *why, size_t cap);

/* 1 for the statuses a transport fault or overload ends in (worth repeating a read). */
int rel_status_transient(tq_status_t status);

/* Copies the key an upsert's failure detail names as its first key not written into
 * `key`; returns 0, or -1 when the message names none. */
int rel_first_unwritten(const char *message, char *key, size_t cap);

/* What a tenant must hold: `versions[i]` is key i's version, 0 when the key must be
 * absent; key i is named by rel_key_name(prefix, i). */
void rel_key_name(char *out, size_t cap, const char *prefix, size_t i);

/* Reads `keys` (at most 100) of `tenant` back with vectors: 0 when exactly the keys
 * whose versions[i] is not 0 are stored, each at that version with exact content;
 * else -1 with the first difference in `why`. Transient read failures are repeated a
 * bounded number of times. */
int rel_check_keys(rel_env_t *env, size_t tenant, const char *const *keys,
                   const uint32_t *versions, size_t n, char *why, size_t cap);

/* Reads every key of `versions` back (with vectors) and counts the tenant's points:
 * 0 when content and count are exact, else -1 with the first difference in `why`.
 * Transient read failures are repeated a bounded number of times. */
int rel_verify_tenant(rel_env_t *env, size_t tenant, const char *prefix,
                      const uint32_t *versions, size_t key_count, char *why, size_t cap);

/* What rel_upsert_reported did. */
typedef struct rel_send_stats {
    unsigned calls;    /* upsert calls made */
    unsigned failed;   /* calls that failed (and were followed by a re-send) */
    unsigned timeouts; /* failed calls that ended in TQ_ETIMEOUT */
} rel_send_stats_t;

#define REL_SEND_MAX 100

/* Upserts keys rel_key_name(prefix, from..from+n-1) of `tenant` at `version` (n at most
 * REL_SEND_MAX) through `writer` until all are written, as an application would. Every
 * failure must carry a transient status, report in `items_done` how many leading points
 * are stored, name the next key as first not written (the start of a `chunk`-point
 * request of what was sent), and every key before it must read back
 * exact through `reader`; the rest is then sent again, at most `attempts` times.
 * Returns 0, or -1 with the broken promise in `why`. */
int rel_upsert_reported(rel_env_t *writer, rel_env_t *reader, size_t tenant,
                        const char *prefix, size_t from, size_t n, uint32_t version,
                        size_t chunk, int attempts, rel_send_stats_t *stats, char *why,
                        size_t cap);

/* Sum of leak_guard_trips over the client's lifetime, or UINT64_MAX when the snapshot
 * fails. */
uint64_t rel_leak_trips(const tq_client_t *client);

/* Total retries the client made for `op` over all tenants (UINT64_MAX on failure). */
uint64_t rel_op_retries(const tq_client_t *client, tq_op_t op);

#endif
