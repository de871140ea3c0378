/* retrieve.h: hybrid retrieval helpers shared with the rest of the raw layer. */
#ifndef TQ_RETRIEVE_H
#define TQ_RETRIEVE_H

#include "bm25.h"
#include "request.h"

#include <cjson/cJSON.h>

/* Checks the hybrid-retrieval members of a descriptor (sparse vector and fields,
 * fusion, group field). */
tq_status_t tq_retrieval_descriptor_check(const tq_raw_collection_t *c, tq_detail_t *detail);

/* The BM25 document vector of one upsert point, from its payload's sparse fields, as
 * {"indices","values"} in *sparse (the caller's to cJSON_Delete); NULL when the text has
 * no terms, and then no sparse vector is stored. */
tq_status_t tq_sparse_document(const tq_raw_collection_t *c, tq_bm25_t *bm25,
                               const cJSON *payload, cJSON **sparse, tq_detail_t *detail);

#endif
