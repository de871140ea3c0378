/* inspect.h: a collection on the server against its schema declaration. */
#ifndef TQ_ADMIN_INSPECT_H
#define TQ_ADMIN_INSPECT_H

#include <cjson/cJSON.h>
#include <tenantq/raw.h>

/* Reads collection `name` on endpoint index `e` and appends to `drift` one line per
 * difference from `c`: the vector's size or distance, and each payload index (tq_tenant,
 * tq_key, the scopes, the declared indexes) that is missing or of another type, and a
 * schema fingerprint that is missing or another (line starting "fingerprint: ").
 * `missing_indexes` (may be NULL) receives the number of index lines. TQ_ENOTFOUND when
 * the collection does not exist. */
tq_status_t adm_collection_drift(tq_client_t *client, size_t e, const char *name,
                                 const tq_raw_collection_t *c, cJSON *drift,
                                 size_t *missing_indexes, tq_detail_t *detail);

#endif
