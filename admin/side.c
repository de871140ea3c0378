/* side.c: a client and context for one tenant placed where the caller says, over the
 * registry's real endpoints, built from an in-memory copy of the registry.
 *
 * `migrate` opens one for the source and one for the target, so every physical name
 * comes from the runtime's own routing; `offboard` opens one for a tenant the registry
 * no longer lists, so its leftover data can still be found and erased. It never writes
 * the registry file. */
#include "side.h"

#include "detail.h"
#include "registry.h"

#include <cjson/cJSON.h>
#include <string.h>

/* A registry text with the real endpoints and only `tenant`, placed at `loc`. */
static char *side_registry_text(const tq_registry_t *reg, const char *tenant,
                                const adm_location_t *loc)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *eps = root ? cJSON_AddObjectToObject(root, "endpoints") : NULL;
    cJSON *tenants = NULL, *t = NULL;
    char *text = NULL;
    int ok = root && eps && cJSON_AddNumberToObject(root, "version", 1);
    for (size_t i = 0; ok && i < reg->endpoint_count; i++) {
        const tq_registry_endpoint_t *e = &reg->endpoints[i];
        if (!e->url)
            continue; /* the implicit default: TENANTQ_QDRANT_URL, as for the application */
        cJSON *o = cJSON_AddObjectToObject(eps, e->name);
        ok = o && cJSON_AddStringToObject(o, "url", e->url) &&
             (!e->api_key_env || cJSON_AddStringToObject(o, "api_key_env", e->api_key_env));
    }
    if (ok)
        tenants = cJSON_AddObjectToObject(root, "tenants");
    if (tenants)
        t = cJSON_AddObjectToObject(tenants, tenant);
    ok = ok && t;
    if (ok && (int)loc->placement != ADM_PLACEMENT_DEFAULT)
        ok = cJSON_AddStringToObject(t, "placement", tq_placement_name(loc->placement)) &&
             (loc->placement != TQ_PLACEMENT_DEDICATED ||
              cJSON_AddStringToObject(t, "endpoint", loc->endpoint));
    if (ok)
        text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return text;
}

tq_status_t adm_side_open(side_t *s, const tq_registry_t *reg, const char *tenant,
                             const adm_location_t *loc, tq_detail_t *detail)
{
    char *text = side_registry_text(reg, tenant, loc);
    if (!text)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    tq_status_t st = tq_registry_parse(text, strlen(text), "(migration side)", &s->registry,
                                       detail);
    cJSON_free(text);
    if (st == TQ_OK)
        st = tq_client_new(s->registry, NULL, &s->client, detail);
    if (st == TQ_OK)
        st = tq_ctx_new(s->client, tenant, &s->ctx, detail);
    tq_client_t *client = NULL;
    if (st == TQ_OK)
        st = tq_admin_ctx(s->ctx, &client, &s->slot, detail);
    return st;
}

void adm_side_close(side_t *s)
{
    tq_ctx_free(s->ctx);
    tq_client_free(s->client);
    tq_registry_free(s->registry);
    memset(s, 0, sizeof *s);
}

