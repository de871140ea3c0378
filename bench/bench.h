/* bench.h: what the parts of tenantq-bench share: the workload, the corpus every client
 * sends, one client's measured result, and the three clients' entry points. */
#ifndef TQ_BENCH_H
#define TQ_BENCH_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_DIM 384
#define BENCH_TENANT_ID_MAX 24
#define BENCH_KEY_MAX 32
/* The API key the spawned devservers require; also the JWT signing key. */
#define BENCH_API_KEY "tenantq-bench-key"
#define BENCH_API_KEY_ENV "TENANTQ_BENCH_API_KEY"

/* The workload: the same for every client and every round. */
typedef struct bench_workload {
    size_t tenants;
    size_t vectors;  /* per tenant */
    size_t batch;    /* points per upsert request */
    size_t searches; /* tenant-filtered searches, tenants taken in turn */
    uint32_t limit;
    uint64_t seed;
} bench_workload_t;

/* Deterministic data: tenant ids, point keys, vectors and query vectors. */
typedef struct bench_corpus {
    bench_workload_t w;
    char (*tenant_ids)[BENCH_TENANT_ID_MAX];
    char (*keys)[BENCH_KEY_MAX];   /* vectors keys, the same in every tenant */
    float *vectors;                /* tenants x vectors x BENCH_DIM */
    float *queries;                /* searches x BENCH_DIM */
} bench_corpus_t;

/* Builds the corpus. Returns 0, or -1 when out of memory. */
int bench_corpus_make(bench_corpus_t *c, const bench_workload_t *w);
void bench_corpus_free(bench_corpus_t *c);
/* Writes vectors then queries as little-endian float32 to `path` (for the JS client). */
int bench_corpus_write(const bench_corpus_t *c, const char *path);
const float *bench_vector(const bench_corpus_t *c, size_t tenant, size_t i);
/* The tenant searched by search number `i`. */
size_t bench_search_tenant(const bench_corpus_t *c, size_t i);

/* Latency samples in microseconds. */
typedef struct bench_samples {
    double *us;
    size_t count, cap;
} bench_samples_t;

int bench_samples_add(bench_samples_t *s, double us);
/* The q-quantile (nearest rank) in microseconds; 0 when empty. Sorts the samples. */
double bench_samples_quantile(bench_samples_t *s, double q);
void bench_samples_free(bench_samples_t *s);
/* Sorts ascending. */
void bench_sort_doubles(double *values, size_t n);
double bench_now_us(void);

/* One client's run against one fresh server. */
typedef struct bench_result {
    double ingest_vps;
    double search_p50_us;
    double search_p95_us;
    uint64_t hits; /* search hits returned in total; checked against the workload */
} bench_result_t;

/* What a client needs to reach the server: its URL and the shared collection's name. */
typedef struct bench_target {
    const char *url;
    const char *api_key;
    char collection[128];
} bench_target_t;

/* One in-process client of the comparison, as a table of its four steps, so one runner
 * (paired.c) drives every in-process client of the comparison the same way. */
typedef struct bench_client {
    const char *flag; /* "generated", "handwritten", "handwritten-per-tenant", ... */
    /* A session on `t`'s server; NULL after printing why. */
    void *(*open)(const bench_target_t *t, const bench_corpus_t *c);
    /* Every tenant's vectors, in batches of c->w.batch; 0, or -1 after printing why. */
    int (*ingest)(void *session, const bench_corpus_t *c);
    /* Search number `i`, its hits added to *hits; 0, or -1 after printing why. */
    int (*search)(void *session, const bench_corpus_t *c, size_t i, uint64_t *hits);
    void (*close)(void *session);
} bench_client_t;

extern const bench_client_t bench_generated_client;
extern const bench_client_t bench_handwritten_client;
extern const bench_client_t bench_handwritten_tenant_client;
extern const bench_client_t bench_handwritten_wire_client;

/* Runs `n` clients, clients[k] against its own fresh server targets[k], and fills
 * out[k]. Each ingests on its own (in turn, client `first` first) and sends 100 untimed
 * searches; then the clients take turns at blocks of 10 searches, the one going first
 * alternating (client `first` first), so a slow
 * moment of a shared machine falls on every client alike rather than on one client's
 * whole run. With n == 1 it is that client's plain run. Returns 0, or -1 after printing
 * why. */
int bench_run_paired(const bench_client_t *const *clients, const bench_target_t *targets,
                     size_t n, size_t first, const bench_corpus_t *c, bench_result_t *out);
int bench_run_js(const bench_target_t *t, const bench_corpus_t *c, const char *corpus_path,
                 bench_result_t *out);

/* The generated client's set-up of a fresh server: every tenant onboarded (which makes
 * the shared collection and its payload indexes); writes the collection's name, which
 * the other clients use as given. Returns 0 or -1. */
int bench_setup(const bench_target_t *t, const bench_corpus_t *c, char *collection, size_t cap);

/* Shared-client concurrency: `threads` threads share one generated client; each runs
 * its share of the searches (or upserts) and records per-call latency. */
typedef struct bench_conc_result {
    double search_per_s, search_p95_us;
    double upsert_per_s, upsert_p95_us; /* upsert requests of `batch` points */
} bench_conc_result_t;

int bench_run_concurrency(const bench_target_t *t, const bench_corpus_t *c, unsigned threads,
                          bench_conc_result_t *out);

/* Runs argv[0] (searched on PATH) with `argv`, keeps up to cap - 1 bytes of its standard
 * output in `out` (NUL-terminated), and returns its exit status (128 + signal when
 * killed), or -1 when it could not be started. */
int bench_run_child(const char *const argv[], char *out, size_t cap);

/* The first two cores the calling thread may run on, for the clients and for the
 * servers; remembers the thread's CPU set for bench_unpin_self. 0, or -1 when there are
 * fewer than two. */
int bench_pin_cores(int *client, int *server);
/* Pins every thread of process `pid` (0: the calling thread) to core `cpu`; 0, or -1
 * when a thread could not be pinned. */
int bench_pin_process(int pid, int cpu);
/* Gives the calling thread back the CPU set bench_pin_cores found. */
void bench_unpin_self(void);

/* Resident memory of process `pid` in KiB, or -1. */
long bench_rss_kib(int pid);

#endif
