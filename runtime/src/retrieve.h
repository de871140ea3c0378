/* retrieve.h: hybrid retrieval helpers shared with the rest of the raw layer. */
#ifndef TQ_RETRIEVE_H
#define TQ_RETRIEVE_H

#include "bm25.h"
#include "request.h"

#include <cjson/cJSON.h>

/* Checks the hybrid-retrieval members of a descriptor (sparse vector and fields,
 * fusion, group field). */
tq_status_t tq_retrieval_descriptor_check(const tq_raw_collection_t *c, tq_detail_t *detail);

/* Sets (or replaces) the BM25 document vector of one upsert point object from its
 * payload's sparse fields; a text without terms stores no sparse vector. */
tq_status_t tq_sparse_attach(const tq_raw_collection_t *c, tq_bm25_t *bm25, cJSON *point,
                             tq_detail_t *detail);

#endif
