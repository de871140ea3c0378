/* report.c: the machine-readable report and the human-readable table.
 *
 * Field names are a contract (docs/probe.md, tests/probe read them): placement,
 * tenants, vectors_per_tenant, dim, probes_run, probes_by_kind, leaks,
 * leak_guard_trips, recall_at_k_min, ingest.vectors_per_s, latency_ms.p50/p95/p99,
 * per_tenant. It must never write the API key or anything secret. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "judge.h"

static double per_s(double count, double ms)
{
    return ms > 0.0 ? count * 1000.0 / ms : 0.0;
}

static double round3(double v)
{
    return (double)(long long)(v * 1000.0 + (v >= 0 ? 0.5 : -0.5)) / 1000.0;
}

/* Percentiles over every tenant's read calls (zero when out of memory). */
static probe_percentiles_t all_tenants_latency(probe_run_t *run)
{
    probe_percentiles_t all = {0};
    probe_samples_t **sets = malloc(run->corpus->tenants * sizeof *sets);
    if (!sets)
        return all;
    for (size_t t = 0; t < run->corpus->tenants; t++)
        sets[t] = &run->tenants[t].latency;
    all = samples_percentiles_all(sets, run->corpus->tenants);
    free(sets);
    return all;
}

static cJSON *percentiles_json(probe_percentiles_t p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "p50", round3(p.p50));
    cJSON_AddNumberToObject(o, "p95", round3(p.p95));
    cJSON_AddNumberToObject(o, "p99", round3(p.p99));
    cJSON_AddNumberToObject(o, "max", round3(p.max));
    cJSON_AddNumberToObject(o, "calls", (double)p.count);
    return o;
}

static cJSON *tenant_json(probe_run_t *run, size_t t)
{
    probe_tenant_t *pt = &run->tenants[t];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "tenant", run->corpus->ids[t]);
    cJSON_AddNumberToObject(o, "vectors", (double)pt->ingested);
    cJSON_AddNumberToObject(o, "ingest_ms", round3(pt->ingest_ms));
    cJSON_AddNumberToObject(o, "ingest_vectors_per_s",
                            round3(per_s((double)pt->ingested, pt->ingest_ms)));
    cJSON_AddItemToObject(o, "latency_ms", percentiles_json(samples_percentiles(&pt->latency)));
    double r = judge_tenant_recall(run, t);
    if (r >= 0.0) {
        cJSON_AddNumberToObject(o, "recall_at_k", round3(r));
        cJSON_AddNumberToObject(o, "recall_at_k_worst_query", round3(pt->recall_min));
    } else {
        cJSON_AddNullToObject(o, "recall_at_k");
        cJSON_AddNullToObject(o, "recall_at_k_worst_query");
    }
    cJSON_AddNumberToObject(o, "leaks", (double)pt->leaks);
    return o;
}

/* The runtime's own view, summed over tenants: per operation the calls, HTTP
 * requests, retries and errors, and p50/p95 from its histograms (bucket upper bounds,
 * so coarser than latency_ms). */
static cJSON *runtime_json(const tq_stats_t *stats)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t op = 0; op < TQ_OP_LAST; op++) {
        tq_op_stats_t sum;
        memset(&sum, 0, sizeof sum);
        for (size_t t = 0; t < stats->tenant_count; t++) {
            const tq_op_stats_t *x = &stats->tenants[t].ops[op];
            sum.requests += x->requests;
            sum.calls += x->calls;
            sum.retries += x->retries;
            sum.errors += x->errors;
            for (size_t b = 0; b < TQ_HISTOGRAM_BUCKETS; b++)
                sum.buckets[b] += x->buckets[b];
        }
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "calls", (double)sum.calls);
        cJSON_AddNumberToObject(e, "requests", (double)sum.requests);
        cJSON_AddNumberToObject(e, "retries", (double)sum.retries);
        cJSON_AddNumberToObject(e, "errors", (double)sum.errors);
        cJSON_AddNumberToObject(e, "p50_us", (double)tq_histogram_quantile_us(sum.buckets, 0.5));
        cJSON_AddNumberToObject(e, "p95_us", (double)tq_histogram_quantile_us(sum.buckets, 0.95));
        cJSON_AddItemToObject(o, tq_op_name((tq_op_t)op), e);
    }
    return o;
}

static cJSON *run_json(probe_run_t *run)
{
    const probe_options_t *opt = run->opt;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "placement", tq_placement_name(run->placement));
    cJSON_AddNumberToObject(o, "tenants", (double)run->corpus->tenants);
    cJSON_AddNumberToObject(o, "vectors_per_tenant", (double)run->corpus->vectors);
    cJSON_AddNumberToObject(o, "dim", run->corpus->dim);
    cJSON_AddStringToObject(o, "schema", run->api->schema);
    if (run->target[0]) {
        /* A user's schema: which collection, and which of its scopes took two values. */
        cJSON_AddStringToObject(o, "collection", run->api->collection);
        cJSON_AddStringToObject(o, "scope", run->api->scope_names[run->axis]);
    }
    cJSON_AddNumberToObject(o, "concurrency", opt->concurrency);
    cJSON_AddNumberToObject(o, "batch", (double)opt->batch);
    cJSON_AddNumberToObject(o, "seed", (double)opt->seed);
    cJSON_AddBoolToObject(o, "jwt", opt->jwt);
    cJSON_AddNumberToObject(o, "probes_requested", (double)opt->probes);
    cJSON_AddNumberToObject(o, "probes_run", (double)run->probes_run);
    cJSON *kinds = cJSON_AddObjectToObject(o, "probes_by_kind");
    for (size_t k = 0; k < PK_COUNT; k++)
        cJSON_AddNumberToObject(kinds, probe_kind_name((probe_kind_t)k),
                                (double)run->probes_by_kind[k]);
    cJSON_AddNumberToObject(o, "pairs_covered", (double)run->pairs_covered);
    cJSON_AddNumberToObject(o, "pairs_total", (double)judge_pairs_total(run));
    cJSON_AddNumberToObject(o, "leaks", (double)run->leaks);
    cJSON_AddNumberToObject(o, "leak_guard_trips", (double)run->leak_guard_trips);
    cJSON_AddNumberToObject(o, "eleak_results", (double)run->eleak_results);
    cJSON_AddNumberToObject(o, "failed_checks", (double)run->failed_checks);
    cJSON_AddNumberToObject(o, "k", opt->k);
    double rmin = judge_recall_min(run);
    if (rmin >= 0.0)
        cJSON_AddNumberToObject(o, "recall_at_k_min", round3(rmin));
    else
        cJSON_AddNullToObject(o, "recall_at_k_min");
    cJSON_AddNumberToObject(o, "min_recall", opt->min_recall);
    cJSON *ingest = cJSON_AddObjectToObject(o, "ingest");
    cJSON_AddNumberToObject(ingest, "vectors", (double)run->ingest_vectors);
    cJSON_AddNumberToObject(ingest, "seconds", round3(run->ingest_wall_ms / 1000.0));
    cJSON_AddNumberToObject(ingest, "vectors_per_s",
                            round3(per_s((double)run->ingest_vectors, run->ingest_wall_ms)));
    cJSON_AddNumberToObject(o, "setup_seconds", round3(run->setup_wall_ms / 1000.0));
    cJSON_AddNumberToObject(o, "probe_seconds", round3(run->probe_wall_ms / 1000.0));
    cJSON_AddItemToObject(o, "latency_ms", percentiles_json(all_tenants_latency(run)));
    cJSON *by_op = cJSON_AddObjectToObject(o, "latency_ms_by_op");
    for (size_t op = 0; op < POP_COUNT_OPS; op++)
        cJSON_AddItemToObject(by_op, probe_op_name((probe_op_t)op),
                              percentiles_json(samples_percentiles(&run->op_latency[op])));
    cJSON *by_kind = cJSON_AddObjectToObject(o, "latency_ms_by_kind");
    for (size_t k = 0; k < PK_COUNT; k++)
        cJSON_AddItemToObject(by_kind, probe_kind_name((probe_kind_t)k),
                              percentiles_json(samples_percentiles(&run->kind_latency[k])));
    if (run->runtime_stats)
        cJSON_AddItemToObject(o, "runtime_ops", runtime_json(run->runtime_stats));
    cJSON *tenants = cJSON_AddArrayToObject(o, "per_tenant");
    for (size_t t = 0; t < run->corpus->tenants; t++)
        cJSON_AddItemToArray(tenants, tenant_json(run, t));
    cJSON *failures = cJSON_AddArrayToObject(o, "failures");
    for (size_t i = 0; i < run->failure_count; i++) {
        const probe_failure_t *f = &run->failures[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "type", f->leak ? "leak" : "failed_check");
        cJSON_AddStringToObject(x, "tenant", f->tenant);
        cJSON_AddStringToObject(x, "probe", f->kind);
        cJSON_AddStringToObject(x, "point", f->point);
        cJSON_AddStringToObject(x, "message", f->message);
        cJSON_AddItemToArray(failures, x);
    }
    return o;
}

int report_write_json(probe_run_t *runs, size_t count, const char *path)
{
    int rc = -1;
    char *text = NULL;
    cJSON *root = NULL;
    if (count == 1) {
        root = run_json(&runs[0]);
    } else {
        root = cJSON_CreateObject();
        cJSON *list = cJSON_AddArrayToObject(root, "reports");
        for (size_t i = 0; list && i < count; i++)
            cJSON_AddItemToArray(list, run_json(&runs[i]));
    }
    text = root ? cJSON_Print(root) : NULL;
    if (!text) {
        fprintf(stderr, "tenantq-probe: error: out of memory writing the report\n");
        goto done;
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        goto done;
    }
    int ok = fputs(text, f) >= 0 && fputc('\n', f) != EOF;
    if (fclose(f) != 0 || !ok) {
        fprintf(stderr, "tenantq-probe: error: %s: write failed\n", path);
        goto done;
    }
    rc = 0;
done:
    free(text);
    cJSON_Delete(root);
    return rc;
}

/* Per-tenant rows are printed in full up to this many tenants, else the slowest. */
#define TABLE_TENANTS_MAX 20

static void print_tenant_row(probe_run_t *run, size_t t)
{
    probe_tenant_t *pt = &run->tenants[t];
    probe_percentiles_t p = samples_percentiles(&pt->latency);
    double r = judge_tenant_recall(run, t);
    printf("  %-12s %9.0f %8.3f %8.3f %8.3f %8.3f %6llu\n", run->corpus->ids[t],
           per_s((double)pt->ingested, pt->ingest_ms), p.p50, p.p95, p.p99,
           r < 0 ? 0.0 : r, (unsigned long long)pt->leaks);
}

void report_print_table(probe_run_t *runs, size_t count)
{
    printf("%-10s %7s %8s %5s %7s %6s %6s %6s %9s %8s %8s %8s\n", "placement", "tenants",
           "vectors", "dim", "probes", "leaks", "guard", "failed", "ingest/s", "p50 ms",
           "p95 ms", "recall");
    for (size_t i = 0; i < count; i++) {
        probe_run_t *run = &runs[i];
        probe_percentiles_t all = all_tenants_latency(run);
        if (run->target[0] && (i == 0 || strcmp(run->target, runs[i - 1].target) != 0))
            printf("%s\n", run->target);
        double rmin = judge_recall_min(run);
        printf("%-10s %7zu %8zu %5u %7llu %6llu %6llu %6llu %9.0f %8.3f %8.3f %8.3f\n",
               tq_placement_name(run->placement), run->corpus->tenants, run->corpus->vectors,
               (unsigned)run->corpus->dim, (unsigned long long)run->probes_run,
               (unsigned long long)run->leaks, (unsigned long long)run->leak_guard_trips,
               (unsigned long long)(run->failed_checks + run->eleak_results),
               per_s((double)run->ingest_vectors, run->ingest_wall_ms), all.p50, all.p95,
               rmin < 0 ? 0.0 : rmin);
    }
    for (size_t i = 0; i < count; i++) {
        probe_run_t *run = &runs[i];
        size_t n = run->corpus->tenants;
        printf("\n%s%s%s: per tenant%s\n", run->target, run->target[0] ? " " : "",
               tq_placement_name(run->placement),
               n > TABLE_TENANTS_MAX ? " (first rows only; all in the JSON report)" : "");
        printf("  %-12s %9s %8s %8s %8s %8s %6s\n", "tenant", "ingest/s", "p50 ms", "p95 ms",
               "p99 ms", "recall", "leaks");
        for (size_t t = 0; t < n && t < TABLE_TENANTS_MAX; t++)
            print_tenant_row(run, t);
    }
}
