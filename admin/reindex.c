/* reindex.c: `reindex [TENANT...]`: create the payload indexes the schema declares but
 * a tenant's collection lacks (a field marked `indexed` after the tenant was
 * onboarded, or a collection created by hand).
 *
 * For every tenant given (all registered tenants by default) and every schema
 * collection, the collection the registry routes the tenant to is inspected; when it
 * lacks indexes, onboarding's own index creation runs on it (Qdrant treats an existing
 * index as success, so this is idempotent). A shared collection is handled once. A
 * collection that does not exist is reported, never created: that is `onboard`'s job.
 * It never deletes or rewrites an index of another type; it reports it. */
#include "commands.h"

#include "client.h"
#include "inspect.h"
#include "registry.h"
#include "sweep.h"

#include <stdlib.h>
#include <string.h>

/* 1 when (endpoint, collection) is already in `seen` (n entries); else records it. */
static int seen_before(char (*seen)[TQ_COLLECTION_NAME_MAX + 72], size_t *n, size_t cap,
                       const tq_raw_route_t *route)
{
    char key[TQ_COLLECTION_NAME_MAX + 72];
    snprintf(key, sizeof key, "%.64s/%s", route->endpoint_name, route->collection);
    for (size_t i = 0; i < *n; i++) {
        if (strcmp(seen[i], key) == 0)
            return 1;
    }
    if (*n < cap)
        memcpy(seen[(*n)++], key, sizeof key);
    return 0;
}

/* Reindexes one tenant's collection; counts what it did. */
static int reindex_one(adm_env_t *env, tenant_ctx_t *ctx, const tq_raw_collection_t *c,
                       size_t *created, size_t *conflicts)
{
    tq_raw_route_t route;
    tq_detail_t d;
    tq_status_t st = tq_raw_route(ctx, c, &route, &d);
    size_t e = st == TQ_OK ? tq_admin_endpoint_index(env->client, route.endpoint_name) : 0;
    cJSON *drift = cJSON_CreateArray();
    size_t missing = 0;
    if (st == TQ_OK && !drift)
        st = TQ_ENOMEM;
    if (st == TQ_OK)
        st = adm_collection_drift(env->client, e, route.collection, c, drift, &missing, &d);
    if (st == TQ_ENOTFOUND) {
        fprintf(env->out, "reindex %s: %s on \"%s\" does not exist (run `onboard %s`)\n",
                tq_ctx_tenant(ctx), route.collection, route.endpoint_name, tq_ctx_tenant(ctx));
        cJSON_Delete(drift);
        return ADM_EXIT_FAIL;
    }
    size_t wrong_type = 0, vector = 0;
    int stamp = 0;
    const cJSON *line;
    cJSON_ArrayForEach(line, drift)
    {
        if (strstr(line->valuestring, "of another type"))
            wrong_type++;
        else if (strncmp(line->valuestring, "vector ", 7) == 0)
            vector++;
        else if (strncmp(line->valuestring, "fingerprint: ", 13) == 0)
            stamp = 1;
    }
    /* A collection of another vector shape is another revision's business (the
     * runtime refuses to touch it); indexing it would only hide that. */
    /* Onboarding creates the missing indexes and stamps the new fingerprint; it refuses
     * (TQ_ESCHEMA, with the fix) a change in what the stored points mean. */
    if (st == TQ_OK && (missing > wrong_type || stamp) && !vector)
        st = tq_raw_onboard(ctx, c, &d);
    if (vector)
        missing = wrong_type; /* nothing was created */
    if (st != TQ_OK) {
        char what[320];
        /* Onboarding refused the collection's shape (TQ_ESCHEMA): say what indexing
         * cannot fix before the refusal itself. */
        cJSON_ArrayForEach(line, drift)
        {
            if (st == TQ_ESCHEMA && strncmp(line->valuestring, "payload index ", 14) != 0)
                fprintf(env->out, "reindex %s: %s: cannot fix by indexing: %s\n",
                        tq_ctx_tenant(ctx), route.collection, line->valuestring);
        }
        snprintf(what, sizeof what, "reindex %s %s", tq_ctx_tenant(ctx), route.collection);
        adm_fail(env, what, st, &d);
        cJSON_Delete(drift);
        return ADM_EXIT_FAIL;
    }
    cJSON_ArrayForEach(line, drift)
    {
        const char *text = line->valuestring;
        const char *tail = strstr(text, " is missing");
        if (strncmp(text, "payload index ", 14) == 0 && tail && !vector)
            fprintf(env->out, "reindex %s: %s: created index %.*s\n", tq_ctx_tenant(ctx),
                    route.collection, (int)(tail - text - 14), text + 14);
        else if (strncmp(text, "fingerprint: ", 13) == 0 && !vector)
            fprintf(env->out, "reindex %s: %s: stamped the schema's fingerprint (was %s)\n",
                    tq_ctx_tenant(ctx), route.collection, text + 13);
        else
            fprintf(env->out, "reindex %s: %s: cannot fix by indexing: %s\n",
                    tq_ctx_tenant(ctx), route.collection, text);
    }
    if (!cJSON_GetArraySize(drift))
        fprintf(env->out, "reindex %s: %s: every declared index present\n", tq_ctx_tenant(ctx),
                route.collection);
    *created += missing - wrong_type;
    *conflicts += (size_t)cJSON_GetArraySize(drift) - (missing - wrong_type) -
                  (size_t)(stamp && !vector);
    cJSON_Delete(drift);
    return ADM_EXIT_OK;
}

int adm_cmd_reindex(adm_env_t *env, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-') {
            fprintf(env->err, "tenantq-admin: usage: reindex [TENANT...]\n");
            return ADM_EXIT_USAGE;
        }
    }
    size_t tenants = argc ? (size_t)argc : env->registry->tenant_count;
    size_t cap = tenants * env->collection_count + 1;
    char(*seen)[TQ_COLLECTION_NAME_MAX + 72] = calloc(cap, sizeof *seen);
    if (!seen) {
        fprintf(env->err, "tenantq-admin: error: out of memory\n");
        return ADM_EXIT_FAIL;
    }
    size_t nseen = 0, created = 0, conflicts = 0;
    int rc = ADM_EXIT_OK;
    for (size_t t = 0; t < tenants; t++) {
        const char *id = argc ? argv[t] : env->registry->tenants[t].id;
        tenant_ctx_t *ctx = adm_tenant(env, id);
        if (!ctx) {
            rc = ADM_EXIT_FAIL;
            continue;
        }
        for (size_t c = 0; c < env->collection_count; c++) {
            tq_raw_route_t route;
            if (tq_raw_route(ctx, &env->collections[c], &route, NULL) == TQ_OK &&
                seen_before(seen, &nseen, cap, &route))
                continue;
            if (reindex_one(env, ctx, &env->collections[c], &created, &conflicts) !=
                ADM_EXIT_OK)
                rc = ADM_EXIT_FAIL;
        }
        tq_ctx_free(ctx);
    }
    free(seen);
    fprintf(env->out, "reindex: %zu indexes created, %zu differences indexing cannot fix\n",
            created, conflicts);
    return conflicts ? ADM_EXIT_FAIL : rc;
}
