/* rewrite.c: `rewrite TENANT...`: apply the schema's declared field renames
 * (`field NEW: TYPE was OLD;`) to the tenant's stored points, so the `was` clause can
 * later be dropped (docs/migrations.md).
 *
 * For every schema collection with a renamed field, the tenant's points are scrolled
 * where the registry routes the tenant; a point that still carries OLD gets its value
 * under NEW (unless NEW is already set, which wins) and loses OLD, and is written back
 * whole with its id and vectors unchanged (an upsert: works on every Qdrant version and
 * is idempotent). A second run finds nothing to do. It must never touch another
 * tenant's points (the scroll is tenant-filtered and every point is checked). */
#include "commands.h"

#include "detail.h"
#include "progress.h"
#include "side.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#define REWRITE_PAGE 256

/* Applies the renames of `c` to one point's payload; 1 when it changed. */
static int rename_payload(const tq_raw_collection_t *c, cJSON *payload)
{
    int changed = 0;
    for (size_t f = 0; f < c->field_count; f++) {
        const tq_raw_field_t *field = &c->fields[f];
        if (!field->was || !cJSON_HasObjectItem(payload, field->was))
            continue;
        cJSON *old = cJSON_DetachItemFromObjectCaseSensitive(payload, field->was);
        if (!cJSON_HasObjectItem(payload, field->name))
            cJSON_AddItemToObject(payload, field->name, old);
        else
            cJSON_Delete(old);
        changed = 1;
    }
    return changed;
}

/* Rewrites one collection of one tenant; adds to *rewritten. */
static tq_status_t rewrite_collection(adm_env_t *env, const side_t *side,
                                      const tq_raw_collection_t *c, uint64_t *rewritten,
                                      tq_detail_t *detail)
{
    place_t place;
    uint64_t total = 0, seen = 0;
    tq_status_t st = adm_place_of(side, c, &place, detail);
    if (st == TQ_OK)
        st = adm_tenant_points(side, &place, &total, detail);
    if (st != TQ_OK)
        return st;
    char label[TQ_COLLECTION_NAME_MAX + 16];
    snprintf(label, sizeof label, "rewrite %s", place.route.collection);
    adm_progress_t prog;
    adm_progress_start(&prog, env->err, label, total);
    cJSON *offset = NULL;
    for (;;) {
        cJSON *root = NULL, *points = NULL, *changed = cJSON_CreateArray();
        const cJSON *next = NULL;
        st = changed ? adm_scroll_page(side, &place, REWRITE_PAGE, offset, &root, &points,
                                       &next, detail)
                     : tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        cJSON_Delete(offset);
        offset = NULL;
        if (st == TQ_ENOTFOUND) { /* never onboarded: nothing stored */
            st = TQ_OK;
            points = NULL;
        }
        cJSON *pt = points ? points->child : NULL;
        while (st == TQ_OK && pt) {
            cJSON *following = pt->next;
            seen++;
            if (rename_payload(c, cJSON_GetObjectItemCaseSensitive(pt, "payload")))
                cJSON_AddItemToArray(changed, cJSON_DetachItemViaPointer(points, pt));
            pt = following;
        }
        size_t n = changed ? (size_t)cJSON_GetArraySize(changed) : 0;
        if (st == TQ_OK && n > 0)
            st = adm_upsert_page(side, &place, changed, detail);
        if (st == TQ_OK) {
            *rewritten += n;
            if (next && !(offset = cJSON_Duplicate(next, 1)))
                st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        }
        cJSON_Delete(changed);
        cJSON_Delete(root);
        if (st != TQ_OK) {
            cJSON_Delete(offset);
            return st;
        }
        adm_progress_update(&prog, seen);
        if (!offset)
            break;
    }
    adm_progress_finish(&prog);
    return TQ_OK;
}

int adm_cmd_rewrite(adm_env_t *env, int argc, char **argv)
{
    if (argc < 1) {
        fprintf(env->err, "tenantq-admin: usage: rewrite TENANT...\n");
        return ADM_EXIT_USAGE;
    }
    for (int t = 0; t < argc; t++) {
        if (argv[t][0] == '-') {
            fprintf(env->err, "tenantq-admin: usage: rewrite TENANT...\n");
            return ADM_EXIT_USAGE;
        }
    }
    int rc = ADM_EXIT_OK;
    for (int t = 0; t < argc; t++) {
        tenant_ctx_t *probe = adm_tenant(env, argv[t]);
        if (!probe) {
            rc = ADM_EXIT_FAIL;
            continue;
        }
        tq_ctx_free(probe);
        adm_location_t here;
        adm_current_location(env, argv[t], &here);
        side_t side;
        memset(&side, 0, sizeof side);
        tq_detail_t d;
        tq_status_t st = adm_side_open(&side, env->registry, argv[t], &here, &d);
        uint64_t rewritten = 0;
        for (size_t c = 0; st == TQ_OK && c < env->collection_count; c++) {
            int renames = 0;
            for (size_t f = 0; f < env->collections[c].field_count; f++)
                renames |= env->collections[c].fields[f].was != NULL;
            if (renames)
                st = rewrite_collection(env, &side, &env->collections[c], &rewritten, &d);
        }
        adm_side_close(&side);
        if (st != TQ_OK) {
            char what[128];
            snprintf(what, sizeof what, "rewrite %.64s", argv[t]);
            adm_fail(env, what, st, &d);
            rc = ADM_EXIT_FAIL;
            continue;
        }
        fprintf(env->out, "rewrote %s: %llu points carried a renamed field and now use the "
                          "declared name\n",
                argv[t], (unsigned long long)rewritten);
    }
    return rc;
}
