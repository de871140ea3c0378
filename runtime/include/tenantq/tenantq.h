/* tenantq.h: the public API of libtenantq, the runtime behind every generated client.
 *
 * Application code includes this header (usually through a generated <name>.tq.h) to
 * load a tenant registry, open a client and make tenant contexts. It never names a
 * collection, a tenant filter or a point id: those live in <tenantq/raw.h>, which only
 * generated code may include.
 *
 * Conventions: fallible functions return tq_status_t and write their out-parameters
 * only on success. Every call that can fail takes a trailing `tq_detail_t *detail`
 * (may be NULL) that receives the HTTP status and a human-readable reason; there is no
 * global error state. Every returned allocation names its free function. */
#ifndef TENANTQ_TENANTQ_H
#define TENANTQ_TENANTQ_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever <tenantq/raw.h>, the structures below or the attribute macros that
 * generated headers use change incompatibly. Generated code refuses to compile against
 * a runtime with a different value. 2: TQ_NONNULL and TQ_READS_FLOATS. 3: the
 * collection descriptor's revision, schema version and field list. */
#define TQ_ABI_VERSION 3

#define TQ_VERSION_STRING "0.1.0"

#if defined(__GNUC__) || defined(__clang__)
#define TQ_EXPORT __attribute__((visibility("default")))
#define TQ_NODISCARD __attribute__((warn_unused_result))
#else
#define TQ_EXPORT
#define TQ_NODISCARD
#endif

/* Attributes of generated data functions. TQ_NONNULL(i, ...) names the pointer
 * parameters (1-based) that must not be NULL, so a literal NULL is a compile-time
 * diagnostic. A generated .tq.c defines TQ_NO_NONNULL before including its header:
 * its definitions keep their run-time NULL checks (TQ_EINVAL), which the attribute
 * would let the optimiser remove. */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(TQ_NO_NONNULL)
#define TQ_NONNULL(...) __attribute__((nonnull(__VA_ARGS__)))
#else
#define TQ_NONNULL(...)
#endif

/* TQ_READS_FLOATS(p, pi, n, ni): parameter `p` (number pi) points to at least `n`
 * (parameter number ni) floats. Where the compiler can see the array passed, one
 * shorter than `n` is an error (clang: diagnose_if on its object size; gcc 10 and
 * later: the access attribute, -Wstringop-overread). Where it cannot, the runtime
 * checks `n` against the collection's dimension (TQ_EINVAL, expected and given). */
#if defined(__clang__)
/* An unknown object size reads as SIZE_MAX, which is never the smaller. */
#define TQ_READS_FLOATS(p, pi, n, ni)                                                     \
    _Pragma("clang diagnostic push") _Pragma("clang diagnostic ignored \"-Wgcc-compat\"") \
    __attribute__((diagnose_if(__builtin_object_size(p, 1) < (n) * sizeof(float),          \
                               "the array passed as " #p " holds fewer floats than " #n,   \
                               "error"))) _Pragma("clang diagnostic pop")
#elif defined(__GNUC__) && __GNUC__ >= 10
#define TQ_READS_FLOATS(p, pi, n, ni) __attribute__((access(read_only, pi, ni)))
#else
#define TQ_READS_FLOATS(p, pi, n, ni)
#endif

/* One status enum for the whole library. Values are explicit and never renumbered;
 * new codes are appended before TQ_STATUS_LAST. */
typedef enum tq_status {
    TQ_OK = 0,
    TQ_EINVAL = 1,      /* a bad argument (NULL, out of range, malformed value) */
    TQ_ENOMEM = 2,      /* an allocation failed; nothing was half-done */
    TQ_ETENANT = 3,     /* tenant id malformed, reserved, or not in the registry */
    TQ_EREGISTRY = 4,   /* the tenant registry file is invalid */
    TQ_EIO = 5,         /* a local file could not be read or written */
    TQ_ECONNECT = 6,    /* could not connect, or the connection dropped */
    TQ_ETIMEOUT = 7,    /* connect or total timeout expired */
    TQ_EHTTP = 8,       /* the server answered with an error status not covered below */
    TQ_EPROTO = 9,      /* the server's answer is not what the Qdrant API specifies */
    TQ_ELIMIT = 10,     /* a response exceeded a configured limit (size, depth, count) */
    TQ_ELEAK = 11,      /* a returned point belongs to another tenant or scope */
    TQ_ENOTFOUND = 12,  /* 404: collection or point absent */
    TQ_EAUTH = 13,      /* 401 or 403 from the server */
    TQ_ECONFLICT = 14,  /* 409: already exists */
    TQ_ESCOPE = 15,     /* a scope value is missing or malformed */
    TQ_ECRYPTO = 16,    /* hashing, HMAC or randomness failed */
    TQ_ETLS = 17,       /* TLS handshake or certificate verification failed */
    TQ_EBUSY = 18,      /* 429 or 503 persisted after every retry */
    TQ_EVERIFY = 19,    /* a check failed: offboard left data, a runtime function replaced */
    TQ_ESCHEMA = 20,    /* the collection on the server was made for another schema shape */
    TQ_STATUS_LAST      /* sentinel, not a status */
} tq_status_t;

/* Returns a static, never-NULL description of `status` ("unknown status" when out of
 * range). */
TQ_EXPORT const char *tq_strerror(tq_status_t status);

/* Returns the symbolic name of `status` ("TQ_ELEAK"), or "TQ_UNKNOWN". */
TQ_EXPORT const char *tq_status_name(tq_status_t status);

/* Per-call detail. Caller-owned, usually on the stack. `http_status` is 0 when no
 * HTTP answer was involved. `message` is always NUL-terminated. `items_done` is set by
 * calls that write a list of items (upserts): when such a call fails, the first
 * `items_done` items are known to be stored and the others may or may not be (writes
 * are idempotent, so sending them again is safe); it is 0 for every other failure. */
#define TQ_DETAIL_MESSAGE_MAX 512
typedef struct tq_detail {
    tq_status_t status;
    long http_status;
    char message[TQ_DETAIL_MESSAGE_MAX];
    size_t items_done;
} tq_detail_t;

/* Isolation patterns; see docs/design.md. */
typedef enum tq_placement {
    TQ_PLACEMENT_COLLECTION = 0, /* a collection per tenant on the shared endpoint */
    TQ_PLACEMENT_SHARED = 1,     /* one collection, tenant payload partitioning */
    TQ_PLACEMENT_DEDICATED = 2,  /* a collection per tenant on the tenant's endpoint */
    TQ_PLACEMENT_TIERED = 3      /* one custom-sharded collection: a shard key per promoted
                                    tenant, the "default" shard for the others */
} tq_placement_t;

/* Returns "collection", "shared", "dedicated" or "tiered"; NULL when out of range. */
TQ_EXPORT const char *tq_placement_name(tq_placement_t placement);

/* Parses a placement name. TQ_EINVAL when `name` is none of the four. */
TQ_EXPORT TQ_NODISCARD tq_status_t tq_placement_parse(const char *name, tq_placement_t *out);

/* ---- tenant ids ---------------------------------------------------------------- */

#define TQ_TENANT_ID_MAX 63

/* Checks `id` against [a-z0-9][a-z0-9_-]{0,62} and the reserved names. Returns TQ_OK
 * or TQ_ETENANT with the reason in `detail`. */
TQ_EXPORT TQ_NODISCARD tq_status_t tq_tenant_id_validate(const char *id, tq_detail_t *detail);

/* ---- registry ------------------------------------------------------------------- */

/* A parsed tenant registry: tenants, their placement overrides and the endpoint table.
 * Immutable once loaded; safe to share between threads. The format is in
 * docs/runtime.md. */
typedef struct tq_registry tq_registry_t;

/* Loads and validates the registry at `path`. Unknown keys and bad values are refused
 * with TQ_EREGISTRY and "path: key: reason" in `detail`. Free with tq_registry_free. */
TQ_EXPORT TQ_NODISCARD tq_status_t tq_registry_load(const char *path, tq_registry_t **out,
                                                   tq_detail_t *detail);

/* As tq_registry_load, from a JSON text of `len` bytes; `origin` names it in errors. */
TQ_EXPORT TQ_NODISCARD tq_status_t tq_registry_parse(const char *json, size_t len,
                                                    const char *origin, tq_registry_t **out,
                                                    tq_detail_t *detail);

TQ_EXPORT void tq_registry_free(tq_registry_t *registry);

/* Number of tenants, and the id of the i-th in file order (NULL when out of range).
 * The string lives as long as the registry. */
TQ_EXPORT size_t tq_registry_tenant_count(const tq_registry_t *registry);
TQ_EXPORT const char *tq_registry_tenant_id(const tq_registry_t *registry, size_t i);

/* ---- client ----------------------------------------------------------------------- */

typedef struct tq_client tq_client_t;

typedef struct tq_client_options {
    long connect_timeout_ms;   /* default 2000 */
    long total_timeout_ms;     /* per attempt, default 30000 */
    int max_retries;           /* default 4; only idempotent requests are retried */
    long retry_base_ms;        /* default 50: first backoff, doubled each retry, jittered */
    long retry_max_ms;         /* default 2000 */
    size_t max_response_bytes; /* default 64 MiB */
    int max_json_depth;        /* default 64 */
    size_t max_results;        /* default 10000 points per response */
    size_t upsert_batch_size;  /* default 256 points per upsert request */
    int tenant_jwt;            /* 1: mint a per-tenant HS256 JWT for data requests: "r"
                                  for reads, "prw" for point writes, one collection each;
                                  the endpoint must first refuse a token for a collection
                                  it does not list (else every call: TQ_EAUTH) */
    long jwt_ttl_s;            /* default 300 */
    const char *ca_file;       /* NULL: system trust store; copied by tq_client_new */
    int skip_schema_check;     /* default 0; 1: data calls skip the fingerprint comparison
                                  (onboarding still compares); docs/migrations.md */
} tq_client_options_t;

/* Fills `options` with the defaults above. */
TQ_EXPORT void tq_client_options_init(tq_client_options_t *options);

/* Opens a client over `registry`, which must outlive it. `options` may be NULL for the
 * defaults. Endpoint API keys are read from the environment variables the registry
 * names, once, here. Thread-safe afterwards. Free with tq_client_free. */
TQ_EXPORT TQ_NODISCARD tq_status_t tq_client_new(const tq_registry_t *registry,
                                                const tq_client_options_t *options,
                                                tq_client_t **out, tq_detail_t *detail);

/* Closes pooled connections and frees the client together with every context made from
 * it (contexts are the client's memory): free contexts first; using or freeing one
 * afterwards is a use after free. */
TQ_EXPORT void tq_client_free(tq_client_t *client);

/* What an endpoint says about itself (Qdrant's GET /), and how long asking took. */
typedef struct tq_server_info {
    char title[64];      /* "qdrant - vector search engine" */
    char version[32];    /* "1.19.0" */
    uint64_t latency_us; /* round trip of the request, retries included */
} tq_server_info_t;

/* Asks the endpoint named `endpoint` (NULL: "default") for its title and version; no
 * credential is sent (Qdrant never authenticates GET /). TQ_EINVAL for an endpoint the
 * registry does not name, TQ_EPROTO when the answer is not a version object. */
TQ_EXPORT TQ_NODISCARD tq_status_t tq_client_server_info(tq_client_t *client,
                                                        const char *endpoint,
                                                        tq_server_info_t *out,
                                                        tq_detail_t *detail);

/* ---- tenant context ---------------------------------------------------------------- */

/* The only thing that carries a tenant into a request. Opaque and immutable; made only
 * by tq_ctx_new from a validated id the registry lists. It is a handle the client
 * checks on every call: a freed, overwritten or forged context fails the call with
 * TQ_EINVAL or TQ_ETENANT and never acts as another tenant (docs/runtime.md, "Tenant
 * contexts"). Safe to share between threads; must not outlive its client. */
typedef struct tenant_ctx tenant_ctx_t;

/* Makes the context for `tenant_id`. TQ_ETENANT (with the reason) for a malformed,
 * reserved or unregistered id. Free with tq_ctx_free; its memory stays with the client
 * and may serve a later context of the same tenant, never of another. */
TQ_EXPORT TQ_NODISCARD tq_status_t tq_ctx_new(tq_client_t *client, const char *tenant_id,
                                             tenant_ctx_t **out, tq_detail_t *detail);

TQ_EXPORT void tq_ctx_free(tenant_ctx_t *ctx);

/* A copy of the tenant id, for display and logging; lives as long as the context.
 * Routing never reads it: overwriting it makes every later call with `ctx` fail with
 * TQ_ETENANT. NULL for a NULL, freed or altered context. */
TQ_EXPORT const char *tq_ctx_tenant(const tenant_ctx_t *ctx);

/* The tenant's placement override from the registry, or -1 when it has none (or `ctx`
 * is not a live context). */
TQ_EXPORT int tq_ctx_placement_override(const tenant_ctx_t *ctx);

/* ---- statistics ----------------------------------------------------------------------- */

/* Operations measured per tenant. */
typedef enum tq_op {
    TQ_OP_ADMIN = 0, /* collection and index management, onboard and offboard */
    TQ_OP_UPSERT = 1,
    TQ_OP_GET = 2,
    TQ_OP_DELETE = 3,
    TQ_OP_SEARCH = 4,
    TQ_OP_COUNT = 5,
    TQ_OP_SCROLL = 6,
    TQ_OP_LAST
} tq_op_t;

/* Returns "admin", "upsert", ...; NULL when out of range. */
TQ_EXPORT const char *tq_op_name(tq_op_t op);

/* Log-linear latency histogram: bucket upper bounds in microseconds are given by
 * tq_histogram_bucket_upper_us(). */
#define TQ_HISTOGRAM_BUCKETS 128
typedef struct tq_op_stats {
    uint64_t requests; /* HTTP attempts, retries included */
    uint64_t calls;    /* completed runtime calls */
    uint64_t retries;
    uint64_t errors;   /* calls that returned a status other than TQ_OK */
    uint64_t buckets[TQ_HISTOGRAM_BUCKETS]; /* per-call latency */
} tq_op_stats_t;

typedef struct tq_tenant_stats {
    char tenant[TQ_TENANT_ID_MAX + 1];
    tq_op_stats_t ops[TQ_OP_LAST];
    uint64_t leak_guard_trips;
} tq_tenant_stats_t;

typedef struct tq_stats {
    uint64_t leak_guard_trips; /* all tenants */
    size_t tenant_count;
    tq_tenant_stats_t *tenants; /* sorted by tenant id */
} tq_stats_t;

/* Snapshots the counters. Free with tq_stats_free. */
TQ_EXPORT TQ_NODISCARD tq_status_t tq_client_stats(const tq_client_t *client, tq_stats_t **out);
TQ_EXPORT void tq_stats_free(tq_stats_t *stats);

/* Upper bound (inclusive, microseconds) of histogram bucket `i`. */
TQ_EXPORT uint64_t tq_histogram_bucket_upper_us(size_t i);

/* The latency at quantile `q` (0..1) from a histogram, in microseconds (the bucket's
 * upper bound); 0 for an empty histogram. */
TQ_EXPORT uint64_t tq_histogram_quantile_us(const uint64_t buckets[TQ_HISTOGRAM_BUCKETS],
                                            double q);

#ifdef __cplusplus
}
#endif

#endif /* TENANTQ_TENANTQ_H */
