/* audit.c: `audit [--format text|json]`: what is on every endpoint, and whether it is
 * where the registry and the schemas say it should be.
 *
 * Every collection on every endpoint the registry names is classified:
 *   managed   a schema collection where a registered tenant's data belongs now
 *             (with "drifted" when its vector parameters or payload indexes differ
 *             from the schema's);
 *   orphaned  a tenant's own collection for a tenant the registry no longer lists, or
 *             a schema-shaped name no schema declares;
 *   stranded  a registered tenant's own collection outside its current placement;
 *   foreign   not a name tenantq produces.
 * In shared and tiered collections the points are counted per tq_tenant: values no
 * registered tenant owns, and tenants whose placement is elsewhere, are flagged; in a
 * tiered one also per shard key, with its own flags (audit_shard_keys). The exit status
 * is 0 only when everything is managed, matching and unflagged. Audit only reads. */
#include "commands.h"
#include "inspect.h"

#include "client.h"
#include "detail.h"
#include "json.h"
#include "registry.h"
#include "sweep.h"
#include "tiered.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#define AUDIT_PAGE 1024

typedef struct tenant_count {
    char tenant[TQ_TENANT_ID_MAX + 2]; /* one more: a value too long to be an id is cut */
    uint64_t points;
} tenant_count_t;

typedef struct audit {
    adm_env_t *env;
    cJSON *report;   /* the JSON form, built whatever the output format */
    size_t problems; /* anything that is not managed, matching and unflagged */
    size_t counts[5];
} audit_t;

enum { C_MANAGED, C_DRIFTED, C_ORPHANED, C_STRANDED, C_FOREIGN };
static const char *const class_names[] = {"managed", "drifted", "orphaned", "stranded",
                                          "foreign"};

/* The tenant's current place for collection `c`: 1 when it is (endpoint e, name). */
static int routes_here(const adm_env_t *env, const char *tenant, const tq_raw_collection_t *c,
                       size_t e, const char *name)
{
    tenant_ctx_t *ctx = NULL;
    tq_raw_route_t route;
    int here = 0;
    if (tq_ctx_new(env->client, tenant, &ctx, NULL) != TQ_OK)
        return 0;
    if (tq_raw_route(ctx, c, &route, NULL) == TQ_OK)
        here = strcmp(route.collection, name) == 0 &&
               strcmp(route.endpoint_name, env->client->endpoints[e].name) == 0;
    tq_ctx_free(ctx);
    return here;
}

/* Counts a shared collection's points per tq_tenant (a scroll of that field only). */
static tq_status_t count_tenants(audit_t *a, size_t e, const char *name, tenant_count_t **out,
                                 size_t *count, tq_detail_t *detail)
{
    tenant_count_t *list = NULL;
    size_t n = 0;
    cJSON *offset = NULL;
    tq_status_t st = TQ_OK;
    for (;;) {
        cJSON *body = cJSON_CreateObject();
        cJSON *with = body ? cJSON_AddArrayToObject(body, "with_payload") : NULL;
        if (!with || !cJSON_AddItemToArray(with, cJSON_CreateString(TQ_FIELD_TENANT)) ||
            !cJSON_AddNumberToObject(body, "limit", AUDIT_PAGE) ||
            !cJSON_AddBoolToObject(body, "with_vector", 0) ||
            (offset && !cJSON_AddItemToObject(body, "offset", offset))) {
            cJSON_Delete(body);
            cJSON_Delete(offset);
            st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
            break;
        }
        offset = NULL;
        tq_response_t resp = {0};
        cJSON *root = NULL;
        st = tq_admin_request(a->env->client, (size_t)-1, e, name, TQ_REQ_POINTS_SCROLL, "POST",
                              "/points/scroll", body, &resp, detail);
        cJSON_Delete(body);
        if (st == TQ_OK)
            st = tq_json_parse_limited(resp.body, resp.len, 64, &root, detail);
        tq_response_free(&resp);
        if (st != TQ_OK)
            break;
        const cJSON *result = cJSON_GetObjectItemCaseSensitive(root, "result");
        const cJSON *points = cJSON_GetObjectItemCaseSensitive(result, "points");
        const cJSON *next = cJSON_GetObjectItemCaseSensitive(result, "next_page_offset");
        const cJSON *pt;
        cJSON_ArrayForEach(pt, points)
        {
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(pt, "payload"), TQ_FIELD_TENANT);
            char value[TQ_TENANT_ID_MAX + 2];
            snprintf(value, sizeof value, "%s", cJSON_IsString(t) ? t->valuestring : "");
            size_t i = 0;
            while (i < n && strcmp(list[i].tenant, value) != 0)
                i++;
            if (i == n) {
                tenant_count_t *grown = realloc(list, (n + 1) * sizeof *list);
                if (!grown) {
                    st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
                    break;
                }
                list = grown;
                memset(&list[n], 0, sizeof list[n]);
                memcpy(list[n].tenant, value, sizeof value);
                n++;
            }
            list[i].points++;
        }
        if (st == TQ_OK && next && !cJSON_IsNull(next))
            offset = cJSON_Duplicate(next, 1);
        cJSON_Delete(root);
        if (st != TQ_OK || !offset)
            break;
    }
    if (st != TQ_OK) {
        free(list);
        return st;
    }
    *out = list;
    *count = n;
    return TQ_OK;
}

static void add_count(cJSON *o, const char *key, uint64_t v)
{
    char text[32];
    snprintf(text, sizeof text, "%llu", (unsigned long long)v);
    cJSON_AddRawToObject(o, key, text);
}

/* A tiered collection's shard keys: the points in each (into `keys`), and flags for a
 * key whose tenant is unregistered or placed elsewhere, a key holding another tenant's
 * points, a promoted tenant with points left in "default" (an unfinished promotion),
 * and a missing "default" key; a collection that is not custom-sharded is drift. */
static tq_status_t audit_shard_keys(audit_t *a, size_t e, const char *name,
                                    const tq_raw_collection_t *col, cJSON *keys, cJSON *flags,
                                    cJSON *drift, tq_detail_t *detail)
{
    adm_env_t *env = a->env;
    char **list = NULL;
    size_t n = 0;
    tq_status_t st = tq_shard_keys_list(env->client, (size_t)-1, e, name, &list, &n, detail);
    if (st == TQ_EPROTO) {
        cJSON_AddItemToArray(drift, cJSON_CreateString("not custom-sharded: a tiered "
                                                       "collection needs sharding_method "
                                                       "custom"));
        tq_detail_ok(detail);
        return TQ_OK;
    }
    int has_default = 0;
    char line[320];
    for (size_t i = 0; st == TQ_OK && i < n; i++) {
        const char *key = list[i];
        uint64_t all = 0, own = 0, fallback = 0;
        cJSON *sel = cJSON_CreateString(key), *dflt = NULL;
        st = sel ? tq_admin_count_in(env->client, (size_t)-1, e, name, NULL, sel, &all, detail)
                 : tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        if (st == TQ_OK)
            add_count(keys, key, all);
        if (strcmp(key, TQ_TIERED_FALLBACK) == 0) {
            has_default = 1;
            cJSON_Delete(sel);
            continue;
        }
        if (st == TQ_OK)
            st = tq_admin_count_in(env->client, (size_t)-1, e, name, key, sel, &own, detail);
        if (st == TQ_OK && !(dflt = cJSON_CreateString(TQ_TIERED_FALLBACK)))
            st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        if (st == TQ_OK)
            st = tq_admin_count_in(env->client, (size_t)-1, e, name, key, dflt, &fallback,
                                   detail);
        cJSON_Delete(sel);
        cJSON_Delete(dflt);
        if (st != TQ_OK)
            break;
        line[0] = '\0';
        if (!tq_registry_find(env->registry, key))
            snprintf(line, sizeof line, "shard key \"%s\" (%llu points) belongs to no "
                     "registered tenant", key, (unsigned long long)all);
        else if (!routes_here(env, key, col, e, name))
            snprintf(line, sizeof line, "shard key \"%s\" (%llu points) of a tenant whose "
                     "placement is elsewhere (stranded)", key, (unsigned long long)all);
        else if (all != own)
            snprintf(line, sizeof line, "shard key \"%s\" holds %llu points that are not "
                     "tenant \"%s\"'s", key, (unsigned long long)(all - own), key);
        else if (fallback)
            snprintf(line, sizeof line, "tenant \"%s\" has its own shard key and %llu points "
                     "left in \"%s\" (an unfinished promotion: run migrate %s)", key,
                     (unsigned long long)fallback, TQ_TIERED_FALLBACK, key);
        if (line[0])
            cJSON_AddItemToArray(flags, cJSON_CreateString(line));
    }
    tq_admin_names_free(list, n);
    if (st == TQ_OK && !has_default)
        cJSON_AddItemToArray(flags, cJSON_CreateString("no \"default\" shard key: tenants "
                                                       "without their own key cannot write"));
    return st;
}

/* Records one collection in the report and the counters. */
static cJSON *add_entry(audit_t *a, cJSON *list, const char *name, int cls)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(list, o))
        return NULL;
    cJSON_AddStringToObject(o, "name", name);
    cJSON_AddStringToObject(o, "class", class_names[cls]);
    a->counts[cls]++;
    if (cls != C_MANAGED)
        a->problems++;
    return o;
}

/* Classifies one collection of endpoint `e`. */
static tq_status_t audit_collection(audit_t *a, size_t e, const char *name, cJSON *list,
                                    tq_detail_t *detail)
{
    adm_env_t *env = a->env;
    for (size_t c = 0; c < env->collection_count; c++) {
        const tq_raw_collection_t *col = &env->collections[c];
        char logical[TQ_COLLECTION_NAME_MAX + 1], owner[TQ_TENANT_ID_MAX + 1];
        snprintf(logical, sizeof logical, "%s-%s", col->schema, col->name);
        tq_sweep_kind_t kind = tq_sweep_owner(name, logical, owner);
        if (kind == TQ_SWEEP_NONE)
            continue;
        uint64_t points = 0;
        tq_status_t st = tq_admin_client_count(env->client, (size_t)-1, e, name, NULL, &points,
                                               detail);
        if (st != TQ_OK)
            return st;
        if (kind == TQ_SWEEP_OWN) {
            int registered = tq_registry_find(env->registry, owner) != NULL;
            int here = registered && routes_here(env, owner, col, e, name);
            cJSON *drift = cJSON_CreateArray();
            if (here)
                st = adm_collection_drift(a->env->client, e, name, col, drift, NULL, detail);
            if (st != TQ_OK) {
                cJSON_Delete(drift);
                return st;
            }
            int cls = !registered ? C_ORPHANED
                      : !here     ? C_STRANDED
                      : cJSON_GetArraySize(drift) ? C_DRIFTED
                                                  : C_MANAGED;
            cJSON *o = add_entry(a, list, name, cls);
            if (!o) {
                cJSON_Delete(drift);
                return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
            }
            cJSON_AddStringToObject(o, "schema", col->schema);
            cJSON_AddStringToObject(o, "collection", col->name);
            cJSON_AddStringToObject(o, "tenant", owner);
            add_count(o, "points", points);
            cJSON_AddItemToObject(o, "drift", drift);
            return TQ_OK;
        }
        /* A shared collection: per-tenant counts, flags for strangers. */
        tenant_count_t *tc = NULL;
        size_t tn = 0;
        st = count_tenants(a, e, name, &tc, &tn, detail);
        if (st != TQ_OK)
            return st;
        cJSON *drift = cJSON_CreateArray();
        cJSON *tenants = cJSON_CreateObject();
        cJSON *flags = cJSON_CreateArray();
        int any_here = 0;
        for (size_t i = 0; i < env->registry->tenant_count; i++)
            any_here |= routes_here(env, env->registry->tenants[i].id, col, e, name);
        cJSON *keys = kind == TQ_SWEEP_TIERED ? cJSON_CreateObject() : NULL;
        if (any_here)
            st = adm_collection_drift(a->env->client, e, name, col, drift, NULL, detail);
        if (st == TQ_OK && kind == TQ_SWEEP_TIERED)
            st = keys ? audit_shard_keys(a, e, name, col, keys, flags, drift, detail)
                      : tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        char line[256];
        for (size_t i = 0; st == TQ_OK && i < tn; i++) {
            add_count(tenants, tc[i].tenant, tc[i].points);
            if (!tq_registry_find(env->registry, tc[i].tenant))
                snprintf(line, sizeof line,
                         "%llu points with tq_tenant \"%s\", which no registered tenant owns",
                         (unsigned long long)tc[i].points, tc[i].tenant);
            else if (!routes_here(env, tc[i].tenant, col, e, name))
                snprintf(line, sizeof line,
                         "%llu points of tenant \"%s\", whose placement is elsewhere "
                         "(stranded)",
                         (unsigned long long)tc[i].points, tc[i].tenant);
            else
                continue;
            cJSON_AddItemToArray(flags, cJSON_CreateString(line));
        }
        free(tc);
        int cls = !any_here && tn > 0 ? C_STRANDED
                  : !any_here         ? C_ORPHANED
                  : cJSON_GetArraySize(drift) ? C_DRIFTED
                                              : C_MANAGED;
        cJSON *o = st == TQ_OK ? add_entry(a, list, name, cls) : NULL;
        if (!o) {
            cJSON_Delete(drift);
            cJSON_Delete(tenants);
            cJSON_Delete(flags);
            cJSON_Delete(keys);
            return st != TQ_OK ? st : tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        }
        if (cls == C_MANAGED && cJSON_GetArraySize(flags))
            a->problems++;
        cJSON_AddStringToObject(o, "schema", col->schema);
        cJSON_AddStringToObject(o, "collection", col->name);
        cJSON_AddStringToObject(o, "shared", "true");
        if (keys)
            cJSON_AddStringToObject(o, "tiered", "true");
        add_count(o, "points", points);
        cJSON_AddItemToObject(o, "tenants", tenants);
        if (keys)
            cJSON_AddItemToObject(o, "shard_keys", keys);
        cJSON_AddItemToObject(o, "flags", flags);
        cJSON_AddItemToObject(o, "drift", drift);
        return TQ_OK;
    }
    /* "<schema>-..." for a schema we were given, but no collection of it: orphaned. */
    for (size_t f = 0; f < env->file_count; f++) {
        size_t sn = strlen(env->files[f].schema->name);
        if (strncmp(name, env->files[f].schema->name, sn) == 0 && name[sn] == '-') {
            cJSON *o = add_entry(a, list, name, C_ORPHANED);
            if (!o)
                return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
            cJSON_AddStringToObject(o, "schema", env->files[f].schema->name);
            cJSON_AddStringToObject(o, "reason", "the schema declares no such collection");
            return TQ_OK;
        }
    }
    return add_entry(a, list, name, C_FOREIGN) ? TQ_OK
                                               : tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
}

/* The text of a count added with add_count (a raw JSON number). */
static const char *count_text(const cJSON *item)
{
    return cJSON_IsRaw(item) ? item->valuestring : "?";
}

static void print_text(const audit_t *a, FILE *out)
{
    const cJSON *ep;
    cJSON_ArrayForEach(ep, cJSON_GetObjectItem(a->report, "endpoints"))
    {
        const cJSON *cols = cJSON_GetObjectItem(ep, "collections");
        fprintf(out, "endpoint %s (%s): %d collections\n",
                cJSON_GetObjectItem(ep, "name")->valuestring,
                cJSON_GetObjectItem(ep, "url")->valuestring, cJSON_GetArraySize(cols));
        const cJSON *c;
        cJSON_ArrayForEach(c, cols)
        {
            const cJSON *tenant = cJSON_GetObjectItem(c, "tenant");
            const cJSON *points = cJSON_GetObjectItem(c, "points");
            fprintf(out, "  %-9s %s", cJSON_GetObjectItem(c, "class")->valuestring,
                    cJSON_GetObjectItem(c, "name")->valuestring);
            if (tenant)
                fprintf(out, "  tenant %s", tenant->valuestring);
            if (points)
                fprintf(out, "  %s points", count_text(points));
            const cJSON *reason = cJSON_GetObjectItem(c, "reason");
            if (reason)
                fprintf(out, "  (%s)", reason->valuestring);
            fputc('\n', out);
            const cJSON *t;
            cJSON_ArrayForEach(t, cJSON_GetObjectItem(c, "tenants"))
                fprintf(out, "            %s: %s points\n", t->string, count_text(t));
            cJSON_ArrayForEach(t, cJSON_GetObjectItem(c, "shard_keys"))
                fprintf(out, "            shard key %s: %s points\n", t->string,
                        count_text(t));
            cJSON_ArrayForEach(t, cJSON_GetObjectItem(c, "flags"))
                fprintf(out, "            flagged: %s\n", t->valuestring);
            cJSON_ArrayForEach(t, cJSON_GetObjectItem(c, "drift"))
                fprintf(out, "            drift: %s\n", t->valuestring);
        }
    }
    fprintf(out, "summary: %zu managed, %zu drifted, %zu orphaned, %zu stranded, %zu foreign; %s\n",
            a->counts[C_MANAGED], a->counts[C_DRIFTED], a->counts[C_ORPHANED],
            a->counts[C_STRANDED], a->counts[C_FOREIGN],
            a->problems ? "NOT all managed and matching" : "all managed and matching");
}

int adm_cmd_audit(adm_env_t *env, int argc, char **argv)
{
    int json = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc &&
            (strcmp(argv[i + 1], "text") == 0 || strcmp(argv[i + 1], "json") == 0)) {
            json = strcmp(argv[++i], "json") == 0;
        } else {
            fprintf(env->err, "tenantq-admin: usage: audit [--format text|json]\n");
            return ADM_EXIT_USAGE;
        }
    }
    audit_t a;
    memset(&a, 0, sizeof a);
    a.env = env;
    a.report = cJSON_CreateObject();
    cJSON *eps = a.report ? cJSON_AddArrayToObject(a.report, "endpoints") : NULL;
    tq_detail_t d;
    memset(&d, 0, sizeof d);
    tq_status_t st = eps ? TQ_OK : tq_fail(&d, TQ_ENOMEM, 0, "out of memory");
    for (size_t e = 0; st == TQ_OK && e < env->client->endpoint_count; e++) {
        char **names = NULL;
        size_t n = 0;
        cJSON *ep = cJSON_CreateObject();
        cJSON *list = ep ? cJSON_AddArrayToObject(ep, "collections") : NULL;
        if (!list || !cJSON_AddItemToArray(eps, ep)) {
            cJSON_Delete(ep);
            st = tq_fail(&d, TQ_ENOMEM, 0, "out of memory");
            break;
        }
        cJSON_AddStringToObject(ep, "name", env->client->endpoints[e].name);
        cJSON_AddStringToObject(ep, "url", env->client->endpoints[e].url);
        st = tq_admin_list_collections(env->client, e, &names, &n, &d);
        for (size_t i = 0; st == TQ_OK && i < n; i++)
            st = audit_collection(&a, e, names[i], list, &d);
        tq_admin_names_free(names, n);
        if (st != TQ_OK) {
            char what[128];
            snprintf(what, sizeof what, "audit of endpoint \"%s\"",
                     env->client->endpoints[e].name);
            adm_fail(env, what, st, &d);
        }
    }
    int rc = ADM_EXIT_FAIL;
    if (st == TQ_OK) {
        cJSON *summary = cJSON_AddObjectToObject(a.report, "summary");
        for (int c = 0; summary && c < 5; c++)
            add_count(summary, class_names[c], a.counts[c]);
        cJSON_AddBoolToObject(a.report, "ok", a.problems == 0);
        if (json) {
            char *text = cJSON_Print(a.report);
            if (text)
                fprintf(env->out, "%s\n", text);
            cJSON_free(text);
        } else {
            print_text(&a, env->out);
        }
        rc = a.problems == 0 ? ADM_EXIT_OK : ADM_EXIT_FAIL;
    }
    cJSON_Delete(a.report);
    return rc;
}
