/* cmd_offboard.c: `kb offboard TENANT`: erase everything the tenant stored, then check.
 *
 * kb_offboard_tenant deletes the tenant's collection (or its points in the shared one)
 * and verifies server-side that none remain. kb then checks again from the outside,
 * through the same calls a user would make: for every bot profile, a count must find
 * no storage or zero chunks. Any chunk left is a failure (exit 1), never a warning. */
#include "inventory.h"

int kb_cmd_offboard(kb_app_t *app, int argc, char **argv) {
    tenant_ctx_t *ctx = NULL;
    int rc = kb_app_tenant_arg(app, argc, argv, &ctx);
    if (rc != KB_EXIT_OK) return rc;
    tq_detail_t detail = {0};
    tq_status_t status = kb_offboard_tenant(ctx, &detail);
    if (status != TQ_OK) {
        kb_app_fail(app, "offboard", status, &detail);
        rc = KB_EXIT_FAIL;
        goto done;
    }
    for (size_t i = 0; i < app->bot_count; i++) {
        uint64_t left = 0;
        detail = (tq_detail_t){0};
        status = kb_count_chunks(ctx, app->bots[i], &left, &detail);
        if (status == TQ_ENOTFOUND) continue;
        if (status != TQ_OK) {
            kb_app_fail(app, "verifying the offboard", status, &detail);
            rc = KB_EXIT_FAIL;
        } else if (left != 0) {
            fprintf(app->err, "kb: error: offboard of %s left %llu chunks in bot %s\n", argv[1],
                    (unsigned long long)left, app->bots[i]);
            rc = KB_EXIT_FAIL;
        }
    }
    if (rc == KB_EXIT_OK) {
        fprintf(app->out, "offboarded %s: erased; verified 0 chunks remain in bots", argv[1]);
        for (size_t i = 0; i < app->bot_count; i++)
            fprintf(app->out, "%s %s", i ? "," : "", app->bots[i]);
        fputc('\n', app->out);
    }
done:
    tq_ctx_free(ctx);
    return rc;
}
