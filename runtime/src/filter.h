/* filter.h: turning a tq_raw_filter_t into conditions of a request filter. */
#ifndef TQ_FILTER_H
#define TQ_FILTER_H

#include <tenantq/raw.h>

#include <cjson/cJSON.h>

/* Appends copies of the filter's conditions to `must` after checking that no key is
 * reserved or a scope field of `c`. NULL filter: nothing. Returns the builder's first
 * error (TQ_ENOMEM for a filter that could not be made), TQ_EINVAL for a refused key. */
tq_status_t tq_filter_apply(const tq_raw_filter_t *filter, const tq_raw_collection_t *c,
                            cJSON *must, tq_detail_t *detail);

#endif
