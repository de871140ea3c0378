/* side.h: a tenant context at a chosen location (see side.c). */
#ifndef TQ_ADMIN_SIDE_H
#define TQ_ADMIN_SIDE_H

#include "model.h"
#include "regedit.h"
#include "sweep.h"

#include <cjson/cJSON.h>

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

/* Where one schema collection's points are on a side: the endpoint index in the side's
 * client and the runtime's route. In a tiered collection, `shard` names one shard key
 * the place is limited to (the two ends of a promotion: "default" and the tenant's
 * key); "" means the runtime's selector, {"target": tenant, "fallback": "default"}. */
typedef struct place {
    size_t endpoint;
    tq_raw_route_t route;
    char shard[TQ_TENANT_ID_MAX + 1];
} place_t;

/* The place of collection `c` on side `s`, from the runtime's routing. */
tq_status_t adm_place_of(const side_t *s, const tq_raw_collection_t *c, place_t *out,
                         tq_detail_t *detail);

/* The tenant's points in a place: every point of its own collection (0 when absent),
 * its tq_tenant points in a shared or tiered one (0 when a named shard key is
 * absent). */
tq_status_t adm_tenant_points(const side_t *s, const place_t *p, uint64_t *out,
                              tq_detail_t *detail);

/* One page of the tenant's points with vectors and payload; *root owns the answer and
 * *points points into it; *next is the next offset (NULL at the end). TQ_ELEAK when a
 * point's tq_tenant is not the tenant's; TQ_ENOTFOUND when the collection is absent. */
tq_status_t adm_scroll_page(const side_t *s, const place_t *p, size_t limit,
                            const cJSON *offset, cJSON **root, cJSON **points,
                            const cJSON **next, tq_detail_t *detail);

/* Upserts scrolled points (moved out of `points`: id, vector, payload) into a place,
 * wait=true, the acknowledgement checked. */
tq_status_t adm_upsert_page(const side_t *s, const place_t *p, cJSON *points,
                            tq_detail_t *detail);

/* Whether the structure that belongs to the tenant alone at a place still exists: its
 * own collection, or its own shard key in a tiered collection (always 0 for a shared
 * place and for a place limited to the "default" shard key). */
tq_status_t adm_place_owned(const side_t *s, const place_t *p, int *out, tq_detail_t *detail);

/* Deletes the tenant's points at a place: its own collection whole, its points in a
 * shared one, in every shard key of a tiered one and then its own shard key, or only
 * in the shard key the place is limited to (its own key is then dropped once empty).
 * Absent collections are TQ_OK. */
tq_status_t adm_place_erase(const side_t *s, const place_t *p, tq_detail_t *detail);

/* The tenant's location in the loaded registry (the tenant must be listed). */
void adm_current_location(const adm_env_t *env, const char *tenant, adm_location_t *out);

#endif
