/* offboard.c: `onboard TENANT...` and `offboard TENANT --report FILE.json`.
 *
 * Offboarding answers a deletion request, so it erases through the runtime's sweep
 * (every endpoint, every name the runtime could have used, every shared collection)
 * and writes an erasure report that lists each place checked with the points found,
 * deleted and counted afterwards, sealed with a sha256 over the rest of the report.
 * The report is written also when the erasure fails part way, marked "verified":
 * false; it must never say verified while any place kept data or went unchecked. */
#include "commands.h"

#include "detail.h"
#include "fileio.h"
#include "journal.h"
#include "registry.h"
#include "side.h"
#include "client.h"
#include "sweep.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

int adm_cmd_onboard(adm_env_t *env, int argc, char **argv)
{
    if (argc < 1) {
        fprintf(env->err, "tenantq-admin: usage: onboard TENANT...\n");
        return ADM_EXIT_USAGE;
    }
    int rc = ADM_EXIT_OK;
    for (int t = 0; t < argc; t++) {
        tenant_ctx_t *ctx = adm_tenant(env, argv[t]);
        if (!ctx) {
            rc = ADM_EXIT_FAIL;
            continue;
        }
        for (size_t c = 0; c < env->collection_count; c++) {
            const tq_raw_collection_t *col = &env->collections[c];
            tq_raw_route_t route;
            tq_detail_t d;
            tq_status_t st = tq_raw_route(ctx, col, &route, &d);
            if (st == TQ_OK)
                st = tq_raw_onboard(ctx, col, &d);
            if (st != TQ_OK) {
                char what[256];
                snprintf(what, sizeof what, "onboard %s %s-%s", argv[t], col->schema, col->name);
                adm_fail(env, what, st, &d);
                rc = ADM_EXIT_FAIL;
                break;
            }
            fprintf(env->out, "onboarded %s: %s on endpoint \"%s\" (%s)\n", argv[t],
                    route.collection, route.endpoint_name, tq_placement_name(route.placement));
        }
        tq_ctx_free(ctx);
    }
    return rc;
}

static const char *kind_name(tq_sweep_kind_t kind)
{
    return kind == TQ_SWEEP_OWN ? "own" : kind == TQ_SWEEP_TIERED ? "tiered" : "shared";
}

/* Adds an unsigned count exactly (cJSON numbers are doubles). */
static int add_count(cJSON *obj, const char *key, uint64_t v)
{
    char text[32];
    snprintf(text, sizeof text, "%llu", (unsigned long long)v);
    return cJSON_AddRawToObject(obj, key, text) != NULL;
}

/* Builds the report body (everything but the seal). NULL when out of memory. */
static cJSON *report_body(const adm_env_t *env, const char *tenant, int registered,
                          const char *time,
                          const tq_sweep_t *sweeps, size_t sweep_count, tq_status_t status,
                          const tq_detail_t *detail)
{
    cJSON *r = cJSON_CreateObject();
    uint64_t found = 0, deleted = 0, remaining = 0;
    int ok = r && cJSON_AddStringToObject(r, "report", "tenantq erasure report") &&
             cJSON_AddNumberToObject(r, "format", 1) &&
             cJSON_AddStringToObject(r, "tenant", tenant) &&
             cJSON_AddBoolToObject(r, "registered", registered) &&
             cJSON_AddStringToObject(r, "time", time) &&
             cJSON_AddStringToObject(r, "tenantq_version", TQ_VERSION_STRING) &&
             cJSON_AddStringToObject(r, "registry", env->registry_path);
    cJSON *schemas = ok ? cJSON_AddArrayToObject(r, "schemas") : NULL;
    for (size_t i = 0; schemas && i < env->file_count; i++) {
        cJSON *s = cJSON_CreateObject();
        if (!s || !cJSON_AddItemToArray(schemas, s) ||
            !cJSON_AddStringToObject(s, "name", env->files[i].schema->name) ||
            !cJSON_AddStringToObject(s, "file", env->files[i].path) ||
            !cJSON_AddStringToObject(s, "sha256", env->files[i].sha256))
            ok = 0;
    }
    cJSON *endpoints = ok && schemas ? cJSON_AddArrayToObject(r, "endpoints_checked") : NULL;
    for (size_t i = 0; endpoints && i < env->client->endpoint_count; i++) {
        cJSON *e = cJSON_CreateObject();
        const char *url = env->client->endpoints[i].url;
        if (!e || !cJSON_AddItemToArray(endpoints, e) ||
            !cJSON_AddStringToObject(e, "name", env->client->endpoints[i].name) ||
            !cJSON_AddStringToObject(e, "url", url ? url : ""))
            ok = 0;
    }
    cJSON *places = ok && endpoints ? cJSON_AddArrayToObject(r, "places") : NULL;
    for (size_t s = 0; places && s < sweep_count; s++) {
        for (size_t i = 0; i < sweeps[s].count; i++) {
            const tq_sweep_place_t *p = &sweeps[s].places[i];
            cJSON *o = cJSON_CreateObject();
            if (!o || !cJSON_AddItemToArray(places, o) ||
                !cJSON_AddStringToObject(o, "endpoint", p->endpoint) ||
                !cJSON_AddStringToObject(o, "collection", p->collection) ||
                !cJSON_AddStringToObject(o, "kind", kind_name(p->kind)) ||
                !add_count(o, "points_found", p->found) ||
                !add_count(o, "points_deleted", p->deleted) ||
                !add_count(o, "points_remaining", p->remaining))
                ok = 0;
            found += p->found;
            deleted += p->deleted;
            remaining += p->remaining;
        }
    }
    ok = ok && places && add_count(r, "points_found", found) &&
         add_count(r, "points_deleted", deleted) &&
         add_count(r, "points_remaining", remaining) &&
         cJSON_AddBoolToObject(r, "verified", status == TQ_OK && remaining == 0) &&
         cJSON_AddStringToObject(r, "error", status == TQ_OK ? "" : detail->message);
    if (!ok) {
        cJSON_Delete(r);
        return NULL;
    }
    return r;
}

/* Seals the report (sha256 over its compact form without the seal) and writes it. */
static tq_status_t write_report(cJSON *report, const char *path, tq_detail_t *detail)
{
    char seal[ADM_SHA256_HEX_LEN + 1];
    char *compact = cJSON_PrintUnformatted(report);
    if (!compact)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    int hashed = adm_sha256_hex(compact, strlen(compact), seal);
    cJSON_free(compact);
    if (hashed != 0)
        return tq_fail(detail, TQ_ECRYPTO, 0, "cannot hash the report");
    if (!cJSON_AddStringToObject(report, "sha256", seal))
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    char *text = cJSON_Print(report);
    if (!text)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    size_t n = strlen(text);
    char *with_nl = malloc(n + 2);
    tq_status_t st = TQ_OK;
    if (!with_nl) {
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    } else {
        memcpy(with_nl, text, n);
        with_nl[n] = '\n';
        st = adm_file_replace(path, with_nl, n + 1, detail);
    }
    free(with_nl);
    cJSON_free(text);
    return st;
}

/* Refuses to offboard a tenant in the middle of a migration: the journal must be
 * finished (or rolled back) first, or the sweep could race the copy. */
static int migration_pending(adm_env_t *env, const char *tenant)
{
    char path[4096];
    adm_journal_t j;
    int present = 0;
    tq_detail_t d;
    if (adm_journal_path(env->registry_path, path, sizeof path) != 0)
        return 1;
    tq_status_t st = adm_journal_load(path, &j, &present, &d);
    if (st != TQ_OK) {
        adm_fail(env, "reading the migration journal", st, &d);
        return 1;
    }
    if (present && strcmp(j.tenant, tenant) == 0) {
        fprintf(env->err,
                "tenantq-admin: error: tenant \"%s\" is being migrated (journal %s, step "
                "\"%s\"); run `migrate %s` to finish it first\n",
                tenant, path, adm_step_name(j.step), tenant);
        return 1;
    }
    return 0;
}

int adm_cmd_offboard(adm_env_t *env, int argc, char **argv)
{
    const char *tenant = NULL, *report_path = NULL;
    int unregistered = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--report") == 0 && i + 1 < argc)
            report_path = argv[++i];
        else if (strcmp(argv[i], "--unregistered") == 0)
            unregistered = 1;
        else if (argv[i][0] != '-' && !tenant)
            tenant = argv[i];
        else {
            fprintf(env->err, "tenantq-admin: usage: offboard TENANT --report FILE.json "
                              "[--unregistered] (unexpected \"%s\")\n", argv[i]);
            return ADM_EXIT_USAGE;
        }
    }
    if (!tenant || !report_path) {
        fprintf(env->err, "tenantq-admin: usage: offboard TENANT --report FILE.json\n");
        return ADM_EXIT_USAGE;
    }
    /* A tenant the registry no longer lists may still have data (audit calls it
     * orphaned): its context then comes from a registry copy over the same endpoints. */
    tq_detail_t d;
    memset(&d, 0, sizeof d);
    tq_status_t idst = tq_tenant_id_validate(tenant, &d);
    if (idst != TQ_OK) {
        adm_fail(env, "offboard", idst, &d);
        return ADM_EXIT_FAIL;
    }
    int registered = tq_registry_find(env->registry, tenant) != NULL;
    if (registered == unregistered) {
        /* A typo must not produce a report that "verifies" an absent tenant's erasure. */
        fprintf(env->err,
                registered ? "tenantq-admin: error: tenant \"%s\" is in the registry; drop "
                             "--unregistered\n"
                           : "tenantq-admin: error: tenant \"%s\" is not in the registry; "
                             "to erase what a tenant no longer listed left behind (audit: "
                             "orphaned), add --unregistered\n",
                tenant);
        return ADM_EXIT_FAIL;
    }
    side_t side;
    memset(&side, 0, sizeof side);
    tenant_ctx_t *ctx = NULL;
    if (registered) {
        ctx = adm_tenant(env, tenant);
    } else {
        adm_location_t anywhere;
        memset(&anywhere, 0, sizeof anywhere);
        anywhere.placement = (tq_placement_t)ADM_PLACEMENT_DEFAULT;
        snprintf(anywhere.endpoint, sizeof anywhere.endpoint, "default");
        tq_status_t sst = adm_side_open(&side, env->registry, tenant, &anywhere, &d);
        if (sst != TQ_OK)
            adm_fail(env, "offboard", sst, &d);
        else
            ctx = side.ctx;
        fprintf(env->err, "tenantq-admin: tenant \"%s\" is not in the registry; erasing "
                          "what it left on the registry's endpoints\n", tenant);
    }
    if (!ctx || migration_pending(env, tenant)) {
        if (registered)
            tq_ctx_free(ctx);
        adm_side_close(&side);
        return ADM_EXIT_FAIL;
    }
    char time[32];
    adm_now_rfc3339(time);
    tq_sweep_t *sweeps = calloc(env->collection_count ? env->collection_count : 1,
                                sizeof *sweeps);
    tq_status_t status = sweeps ? TQ_OK : TQ_ENOMEM;
    size_t done = 0;
    for (; sweeps && done < env->collection_count; done++) {
        tq_detail_t one;
        tq_status_t st = tq_sweep_tenant(ctx, &env->collections[done], 1, &sweeps[done], &one);
        if (st != TQ_OK && status == TQ_OK) {
            status = st;
            d = one;
        }
        /* An unreachable endpoint stops the sweep: nothing further can be verified. */
        if (st != TQ_OK && st != TQ_EVERIFY) {
            done++;
            break;
        }
    }
    int rc = ADM_EXIT_FAIL;
    cJSON *report =
        sweeps ? report_body(env, tenant, registered, time, sweeps, done, status, &d) : NULL;
    tq_detail_t wd;
    tq_status_t wst = report ? write_report(report, report_path, &wd)
                             : tq_fail(&wd, TQ_ENOMEM, 0, "out of memory");
    if (wst != TQ_OK)
        adm_fail(env, "writing the erasure report", wst, &wd);
    if (status != TQ_OK)
        adm_fail(env, "offboard", status, &d);
    if (wst == TQ_OK && status == TQ_OK) {
        uint64_t deleted = 0;
        size_t places = 0;
        for (size_t s = 0; s < done; s++) {
            places += sweeps[s].count;
            for (size_t i = 0; i < sweeps[s].count; i++)
                deleted += sweeps[s].places[i].deleted;
        }
        fprintf(env->out,
                "offboarded %s: %llu points deleted from %zu place%s on %zu endpoint%s; "
                "verified 0 remain; report %s\n",
                tenant, (unsigned long long)deleted, places, places == 1 ? "" : "s",
                env->client->endpoint_count, env->client->endpoint_count == 1 ? "" : "s",
                report_path);
        rc = ADM_EXIT_OK;
    } else if (wst == TQ_OK) {
        fprintf(env->err, "tenantq-admin: the report %s records what was and was not erased\n",
                report_path);
    }
    cJSON_Delete(report);
    for (size_t s = 0; sweeps && s < env->collection_count; s++)
        tq_sweep_free(&sweeps[s]);
    free(sweeps);
    if (registered)
        tq_ctx_free(ctx);
    adm_side_close(&side);
    return rc;
}
