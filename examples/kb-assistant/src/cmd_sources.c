/* cmd_sources.c: `kb sources TENANT BOT`: the bot's documents.
 *
 * Lists every distinct source with its chunk count, last page and title, by scrolling
 * all of the bot's chunks (see inventory.h for the cost). It must never show a source
 * from another bot or tenant: the scroll is scoped by the context and the bot. */
#include "inventory.h"

int kb_cmd_sources(kb_app_t *app, int argc, char **argv) {
    if (argc != 3) {
        fprintf(app->err, "usage: kb sources TENANT BOT\n");
        return KB_EXIT_USAGE;
    }
    if (kb_app_check_bot(app, argv[2]) != 0) return KB_EXIT_USAGE;
    tenant_ctx_t *ctx = NULL;
    if (kb_app_ctx(app, argv[1], &ctx) != 0) return KB_EXIT_FAIL;
    kb_inventory_t inventory;
    tq_detail_t detail = {0};
    tq_status_t status = kb_inventory_collect(ctx, argv[2], &inventory, &detail);
    tq_ctx_free(ctx);
    if (status != TQ_OK) {
        kb_inventory_free(&inventory);
        kb_app_fail(app, "sources", status, &detail);
        return KB_EXIT_FAIL;
    }
    fprintf(app->out, "%-48s %6s %5s  %s\n", "SOURCE", "CHUNKS", "PAGES", "TITLE");
    for (size_t i = 0; i < inventory.count; i++) {
        const kb_source_info_t *s = &inventory.items[i];
        fprintf(app->out, "%-48s %6llu %5lld  %s\n", s->source, (unsigned long long)s->chunks,
                (long long)s->last_page, s->title);
    }
    fprintf(app->out, "%zu sources, %llu chunks in %s/%s (%zu scroll request%s)\n",
            inventory.count, (unsigned long long)inventory.chunks, argv[1], argv[2],
            inventory.requests, inventory.requests == 1 ? "" : "s");
    kb_inventory_free(&inventory);
    return KB_EXIT_OK;
}
