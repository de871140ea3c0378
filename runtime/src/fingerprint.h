/* fingerprint.h: schema fingerprints in collection metadata, compared before data is
 * touched. See docs/migrations.md. */
#ifndef TQ_FINGERPRINT_H
#define TQ_FINGERPRINT_H

#include "request.h"

/* Checks the fingerprint-related parts of a descriptor: the field list (names, types,
 * 'was' keys, no duplicates) and the revision. Called by tq_collection_check. */
tq_status_t tq_fields_check(const tq_raw_collection_t *c, tq_detail_t *detail);

/* The collection metadata onboarding writes: tq_schema, tq_schema_version,
 * tq_collection, tq_revision, tq_fingerprint, tq_shape and tq_version. NULL when out of
 * memory. */
cJSON *tq_fingerprint_metadata(const tq_raw_collection_t *c);

/* Onboarding an existing collection: reads its config and metadata, refuses a change
 * of meaning with TQ_ESCHEMA, and writes the schema's fingerprint when the collection
 * has none (after its vector config matched) or a compatible older one. Marks the
 * collection verified for this client. */
tq_status_t tq_fingerprint_onboard(tq_op_call_t *call, tq_detail_t *detail);

/* Before the first request of the first data call on a physical collection (from
 * tq_op_send, after the call's own argument checks): the same comparison with the
 * context's own credential, read-only, then cached in the client. A collection that
 * does not exist passes (the call itself then fails as before) and is not cached. */
tq_status_t tq_fingerprint_verify(tq_op_call_t *call, tq_detail_t *detail);

/* Onboarding a tenant whose placement comes from the schema's default (no registry
 * override): TQ_ESCHEMA when the tenant's points live in the other placement's
 * collection (a default placement changed between collection and shared). */
tq_status_t tq_fingerprint_placement(tq_op_call_t *call, tq_detail_t *detail);

/* Marks the call's collection verified (it was just created with the fingerprint). */
void tq_fingerprint_note(tq_op_call_t *call);

/* Filter conditions on a renamed field also match the field's previous payload key:
 * *out is `cond` itself (borrowed, *owned = 0) or a new {"should": [cond, cond on the
 * old key]} (*owned = 1). TQ_ENOMEM when out of memory. */
tq_status_t tq_rename_condition(const tq_raw_collection_t *c, const cJSON *cond, cJSON **out,
                                int *owned);

#endif
