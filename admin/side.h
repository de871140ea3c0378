/* side.h: a tenant context at a chosen location (see side.c). */
#ifndef TQ_ADMIN_SIDE_H
#define TQ_ADMIN_SIDE_H

#include "regedit.h"
#include "sweep.h"

/* A tenant placed at one location: its own registry copy, client and context. */
typedef struct side {
    tq_registry_t *registry;
    tq_client_t *client;
    tenant_ctx_t *ctx;
    size_t slot; /* the tenant's statistics slot in `client` */
} side_t;

/* Opens a side for `tenant` at `loc` over the endpoints of `reg` (the tenant need not
 * be listed in `reg`). On failure the side may be partly open: close it anyway. */
tq_status_t adm_side_open(side_t *s, const tq_registry_t *reg, const char *tenant,
                          const adm_location_t *loc, tq_detail_t *detail);

void adm_side_close(side_t *s);

#endif
