/* run.h: the state of one probe run over one placement, shared by its phases
 * (ingest, probes, recall, report). */
#ifndef TQ_PROBE_RUN_H
#define TQ_PROBE_RUN_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <tenantq/tenantq.h>

#include "api.h"
#include "cli.h"
#include "corpus.h"
#include "progress.h"
#include "stats.h"

typedef enum probe_kind {
    PK_EXACT = 0,        /* the victim's exact vector */
    PK_NEAR = 1,         /* the victim's vector plus noise, cosine above 0.99 */
    PK_CENTROID = 2,     /* the victim's topic centroid */
    PK_FILTER = 3,       /* typed filters with the victim's payload values */
    PK_GET = 4,          /* get by the victim's keys */
    PK_DELETE = 5,       /* delete by the victim's keys; the victim's count holds */
    PK_COUNT_SCROLL = 6, /* count and scroll see exactly the caller's own points */
    PK_SWITCH = 7,       /* one client used for A, then B, then A */
    PK_INTERLEAVED = 8,  /* all tenants interleaved on several threads */
    PK_SCOPE = 9,        /* the other scope value inside the same tenant */
    PK_SPARSE = 10,      /* BM25 with terms only the victim's documents hold */
    PK_HYBRID = 11,      /* the victim's vector and terms, dense and BM25 fused */
    PK_GROUPED = 12,     /* grouped search with the victim's vector and terms */
    PK_COUNT
} probe_kind_t;

const char *probe_kind_name(probe_kind_t kind);

/* Calls the probe times, for the per-operation latency figures. */
typedef enum probe_op {
    POP_SEARCH = 0,
    POP_GET = 1,
    POP_COUNT = 2,
    POP_SCROLL = 3,
    POP_DELETE = 4,
    POP_TEXT = 5,
    POP_HYBRID = 6,
    POP_GROUPS = 7,
    POP_COUNT_OPS
} probe_op_t;

const char *probe_op_name(probe_op_t op);

#define PROBE_KINDS_ALL ((1u << PK_COUNT) - 1u)

/* The kinds `api` can run (bit 1 << kind): those whose operations it has (a NULL api
 * is the built-in client, which has all). */
unsigned probe_kinds_supported(const probe_api_t *api);

/* The kinds in `kinds`, in kind order, into `out`; returns how many. */
size_t probe_kinds_list(unsigned kinds, probe_kind_t out[PK_COUNT]);
/* Whether the kind aims one tenant at another (and so covers an ordered pair). */
int probe_kind_is_pair(probe_kind_t kind);

typedef struct probe_tenant {
    tenant_ctx_t *ctx;
    probe_samples_t latency; /* the probe's own read calls made as this tenant */
    double ingest_ms;        /* time spent in this tenant's upsert calls */
    size_t ingested;
    double recall_sum;
    size_t recall_n;
    double recall_min;
    uint64_t leaks;          /* foreign points returned to this tenant */
} probe_tenant_t;

#define PROBE_FAILURES_KEPT 200

typedef struct probe_failure {
    int leak;
    char tenant[TQ_TENANT_ID_MAX + 1];
    char kind[24];
    char point[PROBE_KEY_MAX];
    char message[320];
} probe_failure_t;

typedef struct probe_run {
    const probe_options_t *opt;
    tq_placement_t placement;
    const probe_api_t *api;
    const probe_corpus_t *corpus;
    unsigned kinds;        /* the kinds planned: probe_kinds_supported(api) */
    size_t axis;           /* the scope whose value varies (bot0/bot1); the others fixed */
    char target[160];      /* "<schema>.<collection> scope=<name>" for a user's schema, or "" */
    const char *scope_values[PROBE_BOTS][TQ_PROBE_MAX_SCOPES];
    tq_client_t *client;
    probe_tenant_t *tenants;

    pthread_mutex_t lock; /* guards everything below */
    uint64_t probes_by_kind[PK_COUNT];
    uint64_t probes_run;
    uint64_t leaks;
    uint64_t eleak_results;    /* calls that returned TQ_ELEAK */
    uint64_t failed_checks;    /* everything else that went wrong */
    uint64_t leak_guard_trips; /* from the runtime's statistics, after the run */
    tq_stats_t *runtime_stats; /* the runtime's counters after the probes, or NULL */
    probe_failure_t failures[PROBE_FAILURES_KEPT];
    size_t failure_count;      /* kept; the counters above hold the totals */
    unsigned char *pair_seen;  /* tenants x tenants */
    size_t pairs_covered;

    probe_samples_t op_latency[POP_COUNT_OPS];
    probe_samples_t kind_latency[PK_COUNT]; /* one probe end to end: calls and checks */

    double setup_wall_ms; /* registry, client, contexts and onboarding */
    double ingest_wall_ms;
    uint64_t ingest_vectors;
    double probe_wall_ms;
    probe_progress_t *progress;
} probe_run_t;

/* The value the other scopes of a multi-scope collection take while scope `axis` varies. */
#define PROBE_FIXED_SCOPE "fixed"

/* Sets up the counters and per-tenant state (contexts are made by the caller); scope
 * `axis` of the api's collection takes the values bot0/bot1, every other scope
 * PROBE_FIXED_SCOPE. Returns 0, or -1 when out of memory. */
int run_init(probe_run_t *run, const probe_options_t *opt, tq_placement_t placement,
             const probe_api_t *api, const probe_corpus_t *corpus, size_t axis);

/* The scope values of `bot` (0 or 1) for the generated calls. */
tq_probe_scopes_t run_scopes(const probe_run_t *run, size_t bot);
void run_free(probe_run_t *run);

#endif
