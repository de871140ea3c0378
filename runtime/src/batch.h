/* batch.h: what the request code reads from a finished upsert batch. */
#ifndef TQ_BATCH_H
#define TQ_BATCH_H

#include "ctx.h"

#include <cjson/cJSON.h>

/* The batch's context, the tenant entry its points were stamped for, collection and
 * point count, or the first builder error (TQ_ENOMEM for a NULL batch). */
tq_status_t tq_batch_state(const tq_raw_batch_t *b, const tenant_ctx_t **ctx,
                           const tq_tenant_entry_t **tenant,
                           const tq_raw_collection_t **collection, size_t *count,
                           tq_detail_t *detail);

/* The i-th point's payload object (owned by the batch) and its key. */
const cJSON *tq_batch_point_payload(const tq_raw_batch_t *b, size_t i, const char **key);

/* Gives the i-th point `sparse` (its BM25 document vector, owned by the batch from now
 * on; NULL for none), replacing any it had. */
void tq_batch_point_sparse(tq_raw_batch_t *b, size_t i, cJSON *sparse);

/* The body of one upsert request, {"points":[...]}, for points [from, to), written into
 * one allocation (*text, freed with tq_free): each point as {"id","vector","payload"},
 * its vector text copied as printed when the point was added. TQ_OK or TQ_ENOMEM. */
tq_status_t tq_batch_body(const tq_raw_batch_t *b, size_t from, size_t to, char **text);

#endif
