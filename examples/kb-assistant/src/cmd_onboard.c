/* cmd_onboard.c: `kb onboard TENANT`: create the tenant's storage.
 *
 * The generated kb_onboard_tenant creates the collection (or joins the shared one) and
 * its payload indexes; it is idempotent, so onboarding twice is not an error. It must
 * never accept a tenant the registry does not list (tq_ctx_new refuses those). */
#include "kb.h"

int kb_cmd_onboard(kb_app_t *app, int argc, char **argv) {
    tenant_ctx_t *ctx = NULL;
    int rc = kb_app_tenant_arg(app, argc, argv, &ctx);
    if (rc != KB_EXIT_OK) return rc;
    tq_detail_t detail = {0};
    double started = kb_now_us();
    tq_status_t status = kb_onboard_tenant(ctx, &detail);
    if (status == TQ_OK) {
        fprintf(app->out, "onboarded %s (placement %s) in %.1f ms\n", argv[1],
                kb_app_placement(ctx), (kb_now_us() - started) / 1000.0);
    } else {
        kb_app_fail(app, "onboard", status, &detail);
        rc = KB_EXIT_FAIL;
    }
    tq_ctx_free(ctx);
    return rc;
}
