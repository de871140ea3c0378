/* app.c: opening the registry and client, making tenant contexts, reporting errors.
 *
 * Everything that touches tenants goes through here: a tenant id from the command line
 * becomes a context only via tq_ctx_new, which refuses ids the registry does not list.
 * It must never build a collection name, a filter or a point id itself; those belong to
 * the generated client. */
#include "kb.h"

#include <string.h>
#include <time.h>

int kb_app_set_bots(kb_app_t *app, const char *list) {
    size_t count = 0;
    const char *p = list;
    while (p && *p) {
        size_t len = strcspn(p, ",");
        if (len == 0 || len > KB_BOT_NAME_MAX || count == KB_MAX_BOTS ||
            strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_-") < len) {
            fprintf(app->err, "kb: error: bad bot list '%s': up to %d names of [a-z0-9_-], "
                              "each at most %d bytes, separated by commas\n",
                    list, KB_MAX_BOTS, KB_BOT_NAME_MAX);
            return -1;
        }
        memcpy(app->bots[count], p, len);
        app->bots[count][len] = '\0';
        count++;
        p += len;
        if (*p == ',') p++;
    }
    if (count == 0) {
        fprintf(app->err, "kb: error: the bot list is empty\n");
        return -1;
    }
    app->bot_count = count;
    return 0;
}

void kb_app_fail(kb_app_t *app, const char *what, tq_status_t status, const tq_detail_t *detail) {
    const char *message = detail && detail->message[0] ? detail->message : tq_strerror(status);
    fprintf(app->err, "kb: error: %s: %s: %s", what, tq_status_name(status), message);
    if (detail && detail->http_status) fprintf(app->err, " (HTTP %ld)", detail->http_status);
    fputc('\n', app->err);
}

int kb_app_open(kb_app_t *app) {
    tq_detail_t detail = {0};
    tq_status_t status = tq_registry_load(app->registry_path, &app->registry, &detail);
    if (status != TQ_OK) {
        kb_app_fail(app, "loading the tenant registry", status, &detail);
        return -1;
    }
    status = tq_client_new(app->registry, NULL, &app->client, &detail);
    if (status != TQ_OK) {
        kb_app_fail(app, "opening the client", status, &detail);
        return -1;
    }
    return 0;
}

void kb_app_close(kb_app_t *app) {
    tq_client_free(app->client);
    app->client = NULL;
    tq_registry_free(app->registry);
    app->registry = NULL;
}

int kb_app_ctx(kb_app_t *app, const char *tenant, tenant_ctx_t **out) {
    tq_detail_t detail = {0};
    tq_status_t status = tq_ctx_new(app->client, tenant, out, &detail);
    if (status != TQ_OK) {
        kb_app_fail(app, "tenant", status, &detail);
        return -1;
    }
    return 0;
}

int kb_app_tenant_arg(kb_app_t *app, int argc, char **argv, tenant_ctx_t **out) {
    if (argc != 2) {
        fprintf(app->err, "usage: kb %s TENANT\n", argv[0]);
        return KB_EXIT_USAGE;
    }
    return kb_app_ctx(app, argv[1], out) == 0 ? KB_EXIT_OK : KB_EXIT_FAIL;
}

int kb_app_check_bot(kb_app_t *app, const char *bot) {
    for (size_t i = 0; i < app->bot_count; i++)
        if (strcmp(app->bots[i], bot) == 0) return 0;
    fprintf(app->err, "kb: error: unknown bot '%s'; the bots are:", bot);
    for (size_t i = 0; i < app->bot_count; i++) fprintf(app->err, " %s", app->bots[i]);
    fprintf(app->err, " (change them with --bots or KB_BOTS)\n");
    return -1;
}

const char *kb_app_placement(const tenant_ctx_t *ctx) {
    int placement = tq_ctx_placement_override(ctx);
    if (placement < 0) return "collection"; /* the schema's default, kb.tqs */
    const char *name = tq_placement_name((tq_placement_t)placement);
    return name ? name : "unknown";
}

double kb_now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}
