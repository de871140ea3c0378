/* cmd_status.c: `kb status`: the operator's health view.
 *
 * First the server's version and the round trip of asking for it (GET /, which carries
 * no credential). Then, for every tenant in the registry and every bot profile, it
 * times one count (the cheapest call that reaches the tenant's storage) and lists the
 * bot's distinct sources and chunks. The latency line summarises those counts. A tenant without storage shows
 * as "not onboarded"; any other failure is printed and makes the exit status 1, but
 * the remaining tenants are still reported. */
#include "inventory.h"

#include <stdlib.h>
#include <string.h>

#define STATUS_MAX_SAMPLES 4096

static int compare_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Reports one tenant and bot; appends the count latency to `samples`. Returns 0, -1
 * when a call failed for a reason other than missing storage, or -2 when the server
 * cannot be reached at all (asking about the other tenants would only repeat that). */
static int report_bot(kb_app_t *app, const tenant_ctx_t *ctx, const char *bot,
                      double *samples, size_t *sample_count) {
    const char *tenant = tq_ctx_tenant(ctx);
    uint64_t chunks = 0;
    tq_detail_t detail = {0};
    double started = kb_now_us();
    tq_status_t status = kb_count_chunks(ctx, bot, &chunks, &detail);
    double ms = (kb_now_us() - started) / 1000.0;
    if (*sample_count < STATUS_MAX_SAMPLES) samples[(*sample_count)++] = ms;
    if (status == TQ_ENOTFOUND) {
        fprintf(app->out, "%-16s %-10s %-10s %8s %8s %9.2f  not onboarded\n", tenant,
                kb_app_placement(ctx), bot, "-", "-", ms);
        return 0;
    }
    if (status != TQ_OK) {
        fprintf(app->out, "%-16s %-10s %-10s %8s %8s %9.2f  error\n", tenant,
                kb_app_placement(ctx), bot, "-", "-", ms);
        kb_app_fail(app, tenant, status, &detail);
        return status == TQ_ECONNECT || status == TQ_ETIMEOUT || status == TQ_ETLS ? -2 : -1;
    }
    kb_inventory_t inventory;
    status = kb_inventory_collect(ctx, bot, &inventory, &detail);
    if (status != TQ_OK) {
        kb_inventory_free(&inventory);
        kb_app_fail(app, tenant, status, &detail);
        return -1;
    }
    fprintf(app->out, "%-16s %-10s %-10s %8zu %8llu %9.2f  ok\n", tenant,
            kb_app_placement(ctx), bot, inventory.count, (unsigned long long)chunks, ms);
    kb_inventory_free(&inventory);
    return 0;
}

int kb_cmd_status(kb_app_t *app, int argc, char **argv) {
    (void)argv;
    if (argc != 1) {
        fprintf(app->err, "usage: kb status\n");
        return KB_EXIT_USAGE;
    }
    const char *url = getenv("TENANTQ_QDRANT_URL");
    double *samples = malloc(STATUS_MAX_SAMPLES * sizeof *samples);
    if (!samples) {
        fprintf(app->err, "kb: error: out of memory\n");
        return KB_EXIT_FAIL;
    }
    size_t sample_count = 0;
    int rc = KB_EXIT_OK;
    fprintf(app->out, "server:   %s\n", url && *url ? url : "http://127.0.0.1:6333");
    tq_server_info_t info;
    tq_detail_t detail = {0};
    if (tq_client_server_info(app->client, NULL, &info, &detail) == TQ_OK) {
        fprintf(app->out, "version:  %s %s, answered in %.2f ms\n", info.title, info.version,
                info.latency_us / 1000.0);
    } else {
        fprintf(app->out, "version:  unknown\n");
        kb_app_fail(app, "server", detail.status, &detail);
        rc = KB_EXIT_FAIL;
    }
    fprintf(app->out, "runtime:  libtenantq %s\n", TQ_VERSION_STRING);
    fprintf(app->out, "embedder: %s, %zu dims\n\n", app->embedder.name, app->embedder.dim);
    fprintf(app->out, "%-16s %-10s %-10s %8s %8s %9s  %s\n", "TENANT", "PLACEMENT", "BOT",
            "SOURCES", "CHUNKS", "COUNT_MS", "STATE");
    size_t tenants = tq_registry_tenant_count(app->registry);
    int unreachable = 0;
    for (size_t t = 0; t < tenants && !unreachable; t++) {
        tenant_ctx_t *ctx = NULL;
        if (kb_app_ctx(app, tq_registry_tenant_id(app->registry, t), &ctx) != 0) {
            rc = KB_EXIT_FAIL;
            continue;
        }
        for (size_t b = 0; b < app->bot_count && !unreachable; b++) {
            int result = report_bot(app, ctx, app->bots[b], samples, &sample_count);
            if (result != 0) rc = KB_EXIT_FAIL;
            unreachable = result == -2;
        }
        tq_ctx_free(ctx);
    }
    if (sample_count > 0) {
        qsort(samples, sample_count, sizeof *samples, compare_double);
        fprintf(app->out, "\nlatency:  count median %.2f ms, max %.2f ms over %zu calls\n",
                samples[sample_count / 2], samples[sample_count - 1], sample_count);
    }
    free(samples);
    return rc;
}
