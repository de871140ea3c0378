/* regedit.h: changing one tenant's placement in the registry file without touching
 * anything else in it. */
#ifndef TQ_ADMIN_REGEDIT_H
#define TQ_ADMIN_REGEDIT_H

#include "fileio.h"

#include <tenantq/tenantq.h>

/* The placement of a tenant the registry gives no override: each schema collection's
 * own default. */
#define ADM_PLACEMENT_DEFAULT (-1)

/* Where a tenant lives: a placement (or ADM_PLACEMENT_DEFAULT) and, for "dedicated",
 * an endpoint name. */
typedef struct adm_location {
    tq_placement_t placement;
    char endpoint[64]; /* "default" unless dedicated */
} adm_location_t;

/* "collection", "shared", "dedicated" or "default". */
const char *adm_location_placement(const adm_location_t *l);

/* Returns a malloc'd copy of the registry text `text` in which the value of
 * tenants.<tenant> is replaced by the object that `to` describes; every other byte
 * (other tenants, endpoints, key order, whitespace, comments-free formatting) is kept.
 * TQ_ETENANT when the file has no such tenant, TQ_EREGISTRY when the text is not a
 * JSON object with a "tenants" object. Free *out with free(). */
tq_status_t adm_registry_splice(const char *text, size_t len, const char *tenant,
                                const adm_location_t *to, char **out, size_t *out_len,
                                tq_detail_t *detail);

/* Rewrites the registry file at `path` so that `tenant` lives at `to`, atomically
 * (adm_file_replace). When `expect_sha` is not NULL the file's current sha256 must
 * equal it (TQ_ECONFLICT otherwise: the registry changed underneath). The new text is
 * validated with tq_registry_parse before it replaces the old one. `new_sha` (may be
 * NULL) receives the sha256 of the text written. */
tq_status_t adm_registry_set(const char *path, const char *tenant, const adm_location_t *to,
                             const char *expect_sha, char new_sha[ADM_SHA256_HEX_LEN + 1],
                             tq_detail_t *detail);

/* The first half of adm_registry_set: reads and checks the file as that does, and
 * returns the new text (malloc'd, *out) and its sha256 without writing anything, so
 * the caller can journal the digest the switch will produce before making it. */
tq_status_t adm_registry_plan(const char *path, const char *tenant, const adm_location_t *to,
                              const char *expect_sha, char **out, size_t *out_len,
                              char new_sha[ADM_SHA256_HEX_LEN + 1], tq_detail_t *detail);

/* The sha256 of the registry file as it is now. */
tq_status_t adm_registry_sha(const char *path, char out[ADM_SHA256_HEX_LEN + 1],
                             tq_detail_t *detail);

#endif
