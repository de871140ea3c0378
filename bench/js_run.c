/* js_run.c: runs bench/js_client.js (the official Qdrant JS client) under node and
 * reads its one-line JSON result.
 *
 * The script's path is TENANTQ_BENCH_JS from the environment, else the one the build
 * recorded; node is TENANTQ_BENCH_NODE, else `node` on PATH. */
#include "bench.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef TENANTQ_BENCH_JS_DEFAULT
#define TENANTQ_BENCH_JS_DEFAULT "js_client.js"
#endif

#define ANSWER_MAX 4096

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

/* Reads a number member; returns 0 or -1. */
static int number(const cJSON *o, const char *name, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsNumber(v))
        return -1;
    *out = v->valuedouble;
    return 0;
}

int bench_run_js(const bench_target_t *t, const bench_corpus_t *c, const char *corpus_path,
                 bench_result_t *out)
{
    const bench_workload_t *w = &c->w;
    char nums[6][32];
    size_t values[6] = {w->tenants, w->vectors, w->batch, w->searches, w->limit, BENCH_DIM};
    for (size_t i = 0; i < 6; i++)
        snprintf(nums[i], sizeof nums[i], "%zu", values[i]);
    const char *node = env_or("TENANTQ_BENCH_NODE", "node");
    const char *argv[] = {node,    env_or("TENANTQ_BENCH_JS", TENANTQ_BENCH_JS_DEFAULT),
                          t->url,  t->api_key,
                          t->collection, corpus_path,
                          nums[0], nums[1], nums[2], nums[3], nums[4], nums[5], NULL};
    char answer[ANSWER_MAX];
    int status = bench_run_child(argv, answer, sizeof answer);
    if (status != 0) {
        fprintf(stderr, "tenantq-bench: error: the JS client failed (exit status %d)\n", status);
        return -1;
    }
    cJSON *root = cJSON_Parse(answer);
    double hits = 0;
    int rc = root && number(root, "ingest_vps", &out->ingest_vps) == 0 &&
                     number(root, "search_p50_us", &out->search_p50_us) == 0 &&
                     number(root, "search_p95_us", &out->search_p95_us) == 0 &&
                     number(root, "hits", &hits) == 0
                 ? 0
                 : -1;
    cJSON_Delete(root);
    out->hits = (uint64_t)hits;
    if (rc != 0)
        fprintf(stderr, "tenantq-bench: error: the JS client printed no result: '%.200s'\n",
                answer);
    return rc;
}
