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

/* The i-th point's JSON object (owned by the batch) and its key. */
const cJSON *tq_batch_point_json(const tq_raw_batch_t *b, size_t i, const char **key);

#endif
