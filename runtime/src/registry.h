/* registry.h: the parsed tenant registry (internal layout). */
#ifndef TQ_REGISTRY_H
#define TQ_REGISTRY_H

#include <tenantq/tenantq.h>

#define TQ_DEFAULT_ENDPOINT "default"
#define TQ_DEFAULT_URL "http://127.0.0.1:6333"
#define TQ_ENV_URL "TENANTQ_QDRANT_URL"
#define TQ_ENV_API_KEY "TENANTQ_QDRANT_API_KEY"

typedef struct tq_registry_endpoint {
    char *name;
    char *url;         /* NULL for the implicit default: TENANTQ_QDRANT_URL at client time */
    char *api_key_env; /* NULL: no key */
} tq_registry_endpoint_t;

typedef struct tq_registry_tenant {
    char *id;
    int placement;  /* -1: no override */
    size_t endpoint; /* index into endpoints */
} tq_registry_tenant_t;

struct tq_registry {
    tq_registry_endpoint_t *endpoints; /* [0] is always "default" */
    size_t endpoint_count;
    tq_registry_tenant_t *tenants;     /* file order */
    size_t tenant_count;
};

/* The tenant entry for `id`, or NULL. */
const tq_registry_tenant_t *tq_registry_find(const tq_registry_t *registry, const char *id);

#endif
