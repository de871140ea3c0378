/* evo_common.h: what the writer (base schema) and every evolution test (one changed
 * schema each) agree on: the registry, the tenants, the scope value and the points the
 * writer stores. Header-only helpers so each program stays one file plus its client. */
#ifndef TQ_EVO_COMMON_H
#define TQ_EVO_COMMON_H

#include <tenantq/tenantq.h>

#include <stdio.h>
#include <string.h>

/* acme: its own collection (registry override); globex: the shared collection
 * (override); initech: the schema's default placement (no override). */
#define EVO_TENANTS 3
static const char *const evo_tenants[EVO_TENANTS] = {"acme", "globex", "initech"};
#define EVO_BOT "b1"
#define EVO_POINTS 4
static const char *const evo_keys[EVO_POINTS] = {"k1", "k2", "k3", "k4"};

/* The physical collection of `tenant` for revision 1 of evo.chunks. */
static inline void evo_collection_name(const char *tenant, char *out, size_t cap)
{
    if (strcmp(tenant, "acme") == 0)
        snprintf(out, cap, "evo-chunks--acme");
    else
        snprintf(out, cap, "evo-chunks");
}

/* Loads the registry for a server at `url`. */
static inline tq_status_t evo_registry(const char *url, tq_registry_t **out, tq_detail_t *d)
{
    char json[512];
    int n = snprintf(json, sizeof json,
                     "{\"version\": 1, \"endpoints\": {\"default\": {\"url\": \"%s\"}},"
                     " \"tenants\": {\"acme\": {\"placement\": \"collection\"},"
                     " \"globex\": {\"placement\": \"shared\"}, \"initech\": {}}}",
                     url);
    if (n < 0 || (size_t)n >= sizeof json)
        return TQ_EINVAL;
    return tq_registry_parse(json, (size_t)n, "evolution-registry", out, d);
}

#endif
