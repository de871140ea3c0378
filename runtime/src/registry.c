/* registry.c: loads and validates the tenant registry JSON (format in docs/runtime.md).
 *
 * The registry decides where each tenant's data lives, so it is strict: unknown keys,
 * wrong types and anything that looks like a secret are refused with
 * "ORIGIN: key PATH: reason". It must never hold or read an API key itself; it only
 * names the environment variable that does. */
#include "registry.h"

#include "alloc.h"
#include "detail.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define REGISTRY_MAX_BYTES (16u * 1024u * 1024u)
#define REGISTRY_MAX_DEPTH 8

static const char *const secret_keys[] = {"api_key", "apikey", "key", "token", "secret",
                                          "password", "jwt"};

static int is_secret_key(const char *k)
{
    for (size_t i = 0; i < sizeof secret_keys / sizeof *secret_keys; i++) {
        if (strcmp(k, secret_keys[i]) == 0)
            return 1;
    }
    return 0;
}

/* Refuses every member of `obj` not in `allowed` (NULL-terminated); secrets get their
 * own reason. */
static tq_status_t check_keys(const cJSON *obj, const char *const *allowed, const char *origin,
                              const char *path, tq_detail_t *detail)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, obj)
    {
        int ok = 0;
        for (size_t i = 0; allowed[i]; i++) {
            if (strcmp(item->string, allowed[i]) == 0)
                ok = 1;
        }
        if (ok)
            continue;
        if (is_secret_key(item->string))
            return tq_fail(detail, TQ_EREGISTRY, 0,
                           "%s: key %s%s%s: secrets must not be stored in the registry; name "
                           "an environment variable with \"api_key_env\"",
                           origin, path, *path ? "." : "", item->string);
        return tq_fail(detail, TQ_EREGISTRY, 0, "%s: key %s%s%s: unknown key", origin, path,
                       *path ? "." : "", item->string);
    }
    return TQ_OK;
}

static int env_name_valid(const char *s)
{
    if (!s[0] || (s[0] >= '0' && s[0] <= '9'))
        return 0;
    for (const char *p = s; *p; p++) {
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    }
    return strlen(s) <= 128;
}

static int endpoint_name_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 63)
        return 0;
    for (const char *p = s; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return 0;
    }
    return 1;
}

static int url_valid(const char *s)
{
    size_t n = strlen(s);
    if (n > 1024)
        return 0;
    if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0)
        return 0;
    for (const char *p = s; *p; p++) {
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
            return 0;
    }
    const char *host = strstr(s, "://") + 3;
    return *host && *host != '/' && *host != ':' && strchr(s, '?') == NULL &&
           strchr(s, '#') == NULL && strchr(s, '@') == NULL;
}

/* The string member `key` of `obj`, NULL when absent; sets *bad for a non-string. */
static const char *string_member(const cJSON *obj, const char *key, int *bad)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return NULL;
    if (!cJSON_IsString(v)) {
        *bad = 1;
        return NULL;
    }
    return v->valuestring;
}

/* Appends an endpoint (the array is sized by the caller); TQ_ENOMEM leaves a
 * partly filled entry that tq_registry_free releases. */
static tq_status_t add_endpoint(tq_registry_t *reg, const char *name, const char *url,
                                const char *env)
{
    tq_registry_endpoint_t *e = &reg->endpoints[reg->endpoint_count];
    memset(e, 0, sizeof *e);
    e->name = tq_strdup(name);
    e->url = url ? tq_strdup(url) : NULL;
    e->api_key_env = env ? tq_strdup(env) : NULL;
    reg->endpoint_count++;
    if (!e->name || (url && !e->url) || (env && !e->api_key_env))
        return TQ_ENOMEM;
    return TQ_OK;
}

static size_t endpoint_index(const tq_registry_t *reg, const char *name)
{
    for (size_t i = 0; i < reg->endpoint_count; i++) {
        if (strcmp(reg->endpoints[i].name, name) == 0)
            return i;
    }
    return (size_t)-1;
}

/* Fills reg->endpoints: "default" first (declared or implicit), then the others in
 * file order. Every failure names the key. */
static tq_status_t parse_endpoints(tq_registry_t *reg, const cJSON *endpoints,
                                   const char *origin, tq_detail_t *detail)
{
    static const char *const allowed[] = {"url", "api_key_env", NULL};
    size_t n = endpoints ? (size_t)cJSON_GetArraySize(endpoints) : 0;
    const cJSON *def = endpoints ? cJSON_GetObjectItemCaseSensitive(endpoints, TQ_DEFAULT_ENDPOINT)
                                 : NULL;
    reg->endpoints = tq_calloc(n + 1, sizeof *reg->endpoints);
    if (!reg->endpoints)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    if (!def && add_endpoint(reg, TQ_DEFAULT_ENDPOINT, NULL, TQ_ENV_API_KEY) != TQ_OK)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    /* The default endpoint goes first whether declared or implicit. */
    for (int pass = 0; pass < 2; pass++) {
        const cJSON *e;
        cJSON_ArrayForEach(e, endpoints)
        {
            int is_default = strcmp(e->string, TQ_DEFAULT_ENDPOINT) == 0;
            if (is_default != (pass == 0))
                continue;
            char path[160];
            snprintf(path, sizeof path, "endpoints.%.64s", e->string);
            if (endpoint_index(reg, e->string) != (size_t)-1)
                return tq_fail(detail, TQ_EREGISTRY, 0, "%s: key %s: duplicate endpoint",
                               origin, path);
            if (!endpoint_name_valid(e->string))
                return tq_fail(detail, TQ_EREGISTRY, 0,
                               "%s: key %s: endpoint names must match [a-z0-9_-]{1,63}", origin,
                               path);
            if (!cJSON_IsObject(e))
                return tq_fail(detail, TQ_EREGISTRY, 0, "%s: key %s: must be an object", origin,
                               path);
            tq_status_t st = check_keys(e, allowed, origin, path, detail);
            if (st != TQ_OK)
                return st;
            int bad = 0;
            const char *url = string_member(e, "url", &bad);
            if (bad || !url)
                return tq_fail(detail, TQ_EREGISTRY, 0, "%s: key %s.url: %s", origin, path,
                               bad ? "must be a string" : "is required");
            if (!url_valid(url))
                return tq_fail(detail, TQ_EREGISTRY, 0,
                               "%s: key %s.url: must be an http:// or https:// URL without "
                               "credentials, query or fragment",
                               origin, path);
            const char *env = string_member(e, "api_key_env", &bad);
            if (bad || (env && !env_name_valid(env)))
                return tq_fail(detail, TQ_EREGISTRY, 0,
                               "%s: key %s.api_key_env: must name an environment variable "
                               "([A-Z_][A-Z0-9_]*)",
                               origin, path);
            if (add_endpoint(reg, e->string, url, env) != TQ_OK)
                return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        }
    }
    return TQ_OK;
}

/* Validates one tenant entry and appends it; endpoints must be parsed already. */
static tq_status_t parse_tenant(tq_registry_t *reg, const cJSON *t, const char *origin,
                                tq_detail_t *detail)
{
    static const char *const allowed[] = {"placement", "endpoint", NULL};
    char path[160];
    snprintf(path, sizeof path, "tenants.%.80s", t->string);
    tq_detail_t why;
    if (tq_tenant_id_validate(t->string, &why) != TQ_OK)
        return tq_fail(detail, TQ_EREGISTRY, 0, "%s: key %s: %s", origin, path, why.message);
    if (tq_registry_find(reg, t->string))
        return tq_fail(detail, TQ_EREGISTRY, 0, "%s: key %s: duplicate tenant", origin, path);
    if (!cJSON_IsObject(t))
        return tq_fail(detail, TQ_EREGISTRY, 0, "%s: key %s: must be an object", origin, path);
    tq_status_t st = check_keys(t, allowed, origin, path, detail);
    if (st != TQ_OK)
        return st;
    int bad = 0;
    const char *placement = string_member(t, "placement", &bad);
    tq_placement_t pl = TQ_PLACEMENT_COLLECTION;
    if (bad || (placement && tq_placement_parse(placement, &pl) != TQ_OK))
        return tq_fail(detail, TQ_EREGISTRY, 0,
                       "%s: key %s.placement: must be \"collection\", \"shared\", "
                       "\"dedicated\" or \"tiered\"",
                       origin, path);
    const char *endpoint = string_member(t, "endpoint", &bad);
    if (bad)
        return tq_fail(detail, TQ_EREGISTRY, 0, "%s: key %s.endpoint: must be a string", origin,
                       path);
    size_t ei = endpoint_index(reg, endpoint ? endpoint : TQ_DEFAULT_ENDPOINT);
    if (ei == (size_t)-1)
        return tq_fail(detail, TQ_EREGISTRY, 0, "%s: key %s.endpoint: no endpoint named \"%.64s\"",
                       origin, path, endpoint);
    if (placement && pl == TQ_PLACEMENT_DEDICATED && ei == 0)
        return tq_fail(detail, TQ_EREGISTRY, 0,
                       "%s: key %s.endpoint: the dedicated placement needs an endpoint other "
                       "than \"default\"",
                       origin, path);
    if (placement && pl != TQ_PLACEMENT_DEDICATED && ei != 0)
        return tq_fail(detail, TQ_EREGISTRY, 0,
                       "%s: key %s.endpoint: only the dedicated placement uses an endpoint other "
                       "than \"default\"",
                       origin, path);
    tq_registry_tenant_t *dst = &reg->tenants[reg->tenant_count];
    dst->id = tq_strdup(t->string);
    if (!dst->id)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    dst->placement = placement ? (int)pl : -1;
    dst->endpoint = ei;
    reg->tenant_count++;
    return TQ_OK;
}

/* 1 when no container nests deeper than REGISTRY_MAX_DEPTH below `item`. */
static int depth_within(const cJSON *item, int depth)
{
    if (depth > REGISTRY_MAX_DEPTH)
        return 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, item)
    {
        if (!depth_within(c, depth + 1))
            return 0;
    }
    return 1;
}

/* Finds the first member whose name repeats an earlier member of the same object, at
 * any level, and writes its dotted path ("tenants.acme.placement") to `path`; 1 when
 * one exists. cJSON keeps every duplicate and lookups return the first, so a second
 * "placement" or "tenants" would otherwise be ignored without a word. */
static int duplicate_member(const cJSON *item, const char *prefix, char *path, size_t cap)
{
    const cJSON *c;
    size_t i = 0;
    cJSON_ArrayForEach(c, item)
    {
        char here[512];
        if (cJSON_IsObject(item))
            snprintf(here, sizeof here, "%s%s%.100s", prefix, prefix[0] ? "." : "", c->string);
        else
            snprintf(here, sizeof here, "%s[%zu]", prefix, i);
        i++;
        if (cJSON_IsObject(item)) {
            for (const cJSON *before = item->child; before != c; before = before->next) {
                if (strcmp(before->string, c->string) == 0) {
                    snprintf(path, cap, "%s", here);
                    return 1;
                }
            }
        }
        if (duplicate_member(c, here, path, cap))
            return 1;
    }
    return 0;
}

/* Checks the top level, then endpoints, then tenants. */
static tq_status_t parse_document(tq_registry_t *reg, const cJSON *root, const char *origin,
                                  tq_detail_t *detail)
{
    static const char *const allowed[] = {"version", "endpoints", "tenants", NULL};
    if (!cJSON_IsObject(root))
        return tq_fail(detail, TQ_EREGISTRY, 0, "%s: key (root): must be an object", origin);
    if (!depth_within(root, 0))
        return tq_fail(detail, TQ_EREGISTRY, 0, "%s: key (root): nested deeper than %d levels",
                       origin, REGISTRY_MAX_DEPTH);
    char dup[512];
    if (duplicate_member(root, "", dup, sizeof dup))
        return tq_fail(detail, TQ_EREGISTRY, 0,
                       "%s: key %s: duplicate member; a key may appear only once in an object",
                       origin, dup);
    tq_status_t st = check_keys(root, allowed, origin, "", detail);
    if (st != TQ_OK)
        return st;
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "version");
    if (!version)
        return tq_fail(detail, TQ_EREGISTRY, 0, "%s: key version: is required", origin);
    if (!cJSON_IsNumber(version) || version->valuedouble != 1.0)
        return tq_fail(detail, TQ_EREGISTRY, 0, "%s: key version: must be 1", origin);
    const cJSON *endpoints = cJSON_GetObjectItemCaseSensitive(root, "endpoints");
    if (endpoints && !cJSON_IsObject(endpoints))
        return tq_fail(detail, TQ_EREGISTRY, 0, "%s: key endpoints: must be an object", origin);
    const cJSON *tenants = cJSON_GetObjectItemCaseSensitive(root, "tenants");
    if (!tenants)
        return tq_fail(detail, TQ_EREGISTRY, 0, "%s: key tenants: is required", origin);
    if (!cJSON_IsObject(tenants))
        return tq_fail(detail, TQ_EREGISTRY, 0, "%s: key tenants: must be an object", origin);
    st = parse_endpoints(reg, endpoints, origin, detail);
    if (st != TQ_OK)
        return st;
    reg->tenants = tq_calloc((size_t)cJSON_GetArraySize(tenants) + 1, sizeof *reg->tenants);
    if (!reg->tenants)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    const cJSON *t;
    cJSON_ArrayForEach(t, tenants)
    {
        st = parse_tenant(reg, t, origin, detail);
        if (st != TQ_OK)
            return st;
    }
    return TQ_OK;
}

tq_status_t tq_registry_parse(const char *json, size_t len, const char *origin,
                              tq_registry_t **out, tq_detail_t *detail)
{
    if (!origin)
        origin = "(registry)";
    if (!json || !out)
        return tq_fail(detail, TQ_EINVAL, 0, "%s: tq_registry_parse: %s is NULL", origin,
                       !json ? "json" : "out");
    if (len > REGISTRY_MAX_BYTES)
        return tq_fail(detail, TQ_EREGISTRY, 0, "%s: key (root): file exceeds %u bytes", origin,
                       REGISTRY_MAX_BYTES);
    tq_status_t st = TQ_OK;
    tq_registry_t *reg = NULL;
    cJSON *root = cJSON_ParseWithLength(json, len);
    if (!root) {
        /* Read the error position before the probe below resets it. cJSON keeps it
         * in a global, so only a pointer inside this buffer is believed. */
        const char *err = cJSON_GetErrorPtr();
        size_t at = (err && err >= json && err <= json + len) ? (size_t)(err - json) : 0;
        /* cJSON gives no reason for a failed allocation, so tell ENOMEM apart by
         * probing a trivial parse. */
        cJSON *probe = cJSON_Parse("0");
        if (!probe) {
            st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
            goto cleanup;
        }
        cJSON_Delete(probe);
        st = tq_fail(detail, TQ_EREGISTRY, 0, "%s: key (root): not valid JSON (near byte %zu)",
                     origin, at);
        goto cleanup;
    }
    reg = tq_calloc(1, sizeof *reg);
    if (!reg) {
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        goto cleanup;
    }
    st = parse_document(reg, root, origin, detail);
    if (st != TQ_OK)
        goto cleanup;
    *out = reg;
    reg = NULL;
    tq_detail_ok(detail);
cleanup:
    cJSON_Delete(root);
    tq_registry_free(reg);
    return st;
}

tq_status_t tq_registry_load(const char *path, tq_registry_t **out, tq_detail_t *detail)
{
    if (!path || !out)
        return tq_fail(detail, TQ_EINVAL, 0, "tq_registry_load: %s is NULL",
                       !path ? "path" : "out");
    tq_status_t st = TQ_OK;
    char *buf = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return tq_fail(detail, TQ_EIO, 0, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 64 * 1024, len = 0;
    buf = tq_malloc(cap);
    if (!buf) {
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        goto cleanup;
    }
    for (;;) {
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (len > REGISTRY_MAX_BYTES) {
            st = tq_fail(detail, TQ_EREGISTRY, 0, "%s: key (root): file exceeds %u bytes", path,
                         REGISTRY_MAX_BYTES);
            goto cleanup;
        }
        if (got == 0)
            break;
        if (len == cap) {
            char *bigger = tq_grow(buf, len, cap * 2);
            if (!bigger) {
                st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
                goto cleanup;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    if (ferror(f)) {
        st = tq_fail(detail, TQ_EIO, 0, "%s: read error", path);
        goto cleanup;
    }
    st = tq_registry_parse(buf, len, path, out, detail);
cleanup:
    tq_free(buf);
    fclose(f);
    return st;
}

void tq_registry_free(tq_registry_t *registry)
{
    if (!registry)
        return;
    for (size_t i = 0; i < registry->endpoint_count; i++) {
        tq_free(registry->endpoints[i].name);
        tq_free(registry->endpoints[i].url);
        tq_free(registry->endpoints[i].api_key_env);
    }
    for (size_t i = 0; i < registry->tenant_count; i++)
        tq_free(registry->tenants[i].id);
    tq_free(registry->endpoints);
    tq_free(registry->tenants);
    tq_free(registry);
}

size_t tq_registry_tenant_count(const tq_registry_t *registry)
{
    return registry ? registry->tenant_count : 0;
}

const char *tq_registry_tenant_id(const tq_registry_t *registry, size_t i)
{
    if (!registry || i >= registry->tenant_count)
        return NULL;
    return registry->tenants[i].id;
}

const tq_registry_tenant_t *tq_registry_find(const tq_registry_t *registry, const char *id)
{
    for (size_t i = 0; i < registry->tenant_count; i++) {
        if (strcmp(registry->tenants[i].id, id) == 0)
            return &registry->tenants[i];
    }
    return NULL;
}
