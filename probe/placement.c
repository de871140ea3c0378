/* placement.c: registry, client, onboarding, ingestion, probes and offboarding for one
 * placement.
 *
 * The registry is built in memory with the placement under test for every tenant and
 * parsed by the runtime; the probe then only ever holds contexts. Tenants are
 * offboarded before onboarding so leftovers of an earlier run (a real server, --keep)
 * cannot skew the ground truth. This file must never name a collection or build a
 * request: routing is the runtime's. */
#include "placement.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ingest.h"
#include "judge.h"
#include "probes.h"

static cJSON *endpoint_json(const char *url, int have_api_key)
{
    cJSON *e = cJSON_CreateObject();
    if (!e || !cJSON_AddStringToObject(e, "url", url) ||
        (have_api_key && !cJSON_AddStringToObject(e, "api_key_env", PROBE_API_KEY_ENV))) {
        cJSON_Delete(e);
        return NULL;
    }
    return e;
}

/* The registry text (malloc'd), or NULL when out of memory. */
static char *registry_json(const probe_run_t *run, const char *const urls[2], int have_api_key)
{
    char *text = NULL;
    int dedicated = run->placement == TQ_PLACEMENT_DEDICATED;
    cJSON *root = cJSON_CreateObject();
    cJSON *endpoints = cJSON_AddObjectToObject(root, "endpoints");
    cJSON *tenants = cJSON_AddObjectToObject(root, "tenants");
    if (!root || !cJSON_AddNumberToObject(root, "version", 1) || !endpoints || !tenants)
        goto done;
    static const char *const names[3] = {"default", "d0", "d1"};
    for (size_t i = 0; i < (dedicated ? 3u : 1u); i++) {
        cJSON *e = endpoint_json(urls[i == 2 ? 1 : 0], have_api_key);
        if (!e)
            goto done;
        cJSON_AddItemToObject(endpoints, names[i], e);
    }
    for (size_t t = 0; t < run->corpus->tenants; t++) {
        cJSON *entry = cJSON_CreateObject();
        if (!entry)
            goto done;
        cJSON_AddItemToObject(tenants, run->corpus->ids[t], entry);
        if (!cJSON_AddStringToObject(entry, "placement", tq_placement_name(run->placement)) ||
            (dedicated && !cJSON_AddStringToObject(entry, "endpoint", names[1 + t % 2])))
            goto done;
    }
    text = cJSON_PrintUnformatted(root);
done:
    cJSON_Delete(root);
    return text;
}

/* Registry, client and contexts. Returns 0 or 2 after printing why. */
static int open_client(probe_run_t *run, const char *const urls[2], int have_api_key,
                       tq_registry_t **registry)
{
    tq_detail_t detail;
    memset(&detail, 0, sizeof detail);
    char *json = registry_json(run, urls, have_api_key);
    if (!json) {
        fprintf(stderr, "tenantq-probe: error: out of memory building the registry\n");
        return 2;
    }
    tq_status_t st = tq_registry_parse(json, strlen(json), "tenantq-probe registry", registry,
                                       &detail);
    free(json);
    if (st != TQ_OK) {
        fprintf(stderr, "tenantq-probe: error: registry: %s: %s\n", tq_status_name(st),
                detail.message);
        return 2;
    }
    tq_client_options_t options;
    tq_client_options_init(&options);
    options.upsert_batch_size = run->opt->batch;
    options.tenant_jwt = run->opt->jwt;
    st = tq_client_new(*registry, &options, &run->client, &detail);
    if (st != TQ_OK) {
        fprintf(stderr, "tenantq-probe: error: client: %s: %s\n", tq_status_name(st),
                detail.message);
        return 2;
    }
    for (size_t t = 0; t < run->corpus->tenants; t++) {
        st = tq_ctx_new(run->client, run->corpus->ids[t], &run->tenants[t].ctx, &detail);
        if (st != TQ_OK) {
            fprintf(stderr, "tenantq-probe: error: context for %s: %s: %s\n",
                    run->corpus->ids[t], tq_status_name(st), detail.message);
            return 2;
        }
    }
    return 0;
}

/* Offboards (clearing leftovers) then onboards every tenant. Returns 0 or 2. */
static int onboard_all(probe_run_t *run)
{
    progress_begin(run->progress, "onboard", run->corpus->tenants);
    for (size_t t = 0; t < run->corpus->tenants; t++) {
        tq_detail_t detail;
        memset(&detail, 0, sizeof detail);
        const char *step = "offboard (clean start)";
        tq_status_t st = run->api->offboard(run->tenants[t].ctx, &detail);
        if (st == TQ_OK) {
            step = "onboard";
            st = run->api->onboard(run->tenants[t].ctx, &detail);
        }
        if (st != TQ_OK) {
            progress_end(run->progress);
            fprintf(stderr, "tenantq-probe: error: %s of tenant %s: %s: %s\n", step,
                    run->corpus->ids[t], tq_status_name(st), detail.message);
            return 2;
        }
        progress_step(run->progress, 1);
    }
    progress_end(run->progress);
    return 0;
}

/* Offboards every tenant; the runtime verifies nothing of the tenant remains. */
static void offboard_all(probe_run_t *run)
{
    for (size_t t = 0; t < run->corpus->tenants; t++) {
        tq_detail_t detail;
        memset(&detail, 0, sizeof detail);
        tq_status_t st = run->api->offboard(run->tenants[t].ctx, &detail);
        if (st != TQ_OK)
            judge_status_in(run, t, "offboard", "offboard", st, &detail);
    }
}

/* Keeps the runtime's counters (per-operation requests, retries, errors, latency
 * histograms, leak guard trips) for the report. */
static void collect_runtime_stats(probe_run_t *run)
{
    tq_stats_t *stats = NULL;
    if (tq_client_stats(run->client, &stats) != TQ_OK) {
        judge_status_in(run, 0, "statistics", "tq_client_stats", TQ_ENOMEM, NULL);
        return;
    }
    run->leak_guard_trips = stats->leak_guard_trips;
    run->runtime_stats = stats;
}

int placement_run(probe_run_t *run, const char *const urls[2], int have_api_key)
{
    tq_registry_t *registry = NULL;
    double setup_t0 = now_ms();
    int rc = open_client(run, urls, have_api_key, &registry);
    int opened = rc == 0;
    if (rc == 0)
        rc = onboard_all(run);
    run->setup_wall_ms = now_ms() - setup_t0;
    if (rc == 0 && ingest_all(run) != 0)
        rc = 2;
    if (rc == 0) {
        progress_begin(run->progress, "probes", run->opt->probes);
        double t0 = now_ms();
        if (probes_run_all(run) != 0) {
            fprintf(stderr, "tenantq-probe: error: could not start the probe threads\n");
            rc = 2;
        }
        run->probe_wall_ms = now_ms() - t0;
        progress_end(run->progress);
    }
    if (run->client)
        collect_runtime_stats(run);
    if (opened && !run->opt->keep)
        offboard_all(run);
    for (size_t t = 0; t < run->corpus->tenants; t++) {
        if (run->tenants[t].ctx)
            tq_ctx_free(run->tenants[t].ctx);
        run->tenants[t].ctx = NULL;
    }
    if (run->client)
        tq_client_free(run->client);
    run->client = NULL;
    if (registry)
        tq_registry_free(registry);
    return rc;
}
