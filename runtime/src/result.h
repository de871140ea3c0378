/* result.h: parsing point responses under limits, with the leak guard. */
#ifndef TQ_RESULT_H
#define TQ_RESULT_H

#include <tenantq/raw.h>

typedef enum tq_parse_kind {
    TQ_PARSE_SCROLL = 0, /* {"result":{"points":[Record],"next_page_offset":id|null}} */
    TQ_PARSE_QUERY = 1   /* {"result":{"points":[ScoredPoint]}} */
} tq_parse_kind_t;

/* What every returned point must match. */
typedef struct tq_guard {
    const char *tenant;
    const char *collection; /* the routed name, for messages */
    const char *logical;    /* "<schema>-<name>", for id derivation */
    const char *const *scope_fields;
    const char *const *scope_values;
    size_t scope_count;
    const char *vector_name;
    uint32_t dim;
    size_t max_results;
    int max_depth;
} tq_guard_t;

/* Parses `body` into `out` (zeroed first, written only on success). TQ_ELEAK when any
 * point's tq_tenant, scope values or id derivation differ from `guard` (detail names
 * the collection and point id; nothing is returned), TQ_ELIMIT for too many points or
 * too deep JSON, TQ_EPROTO for a malformed answer, TQ_ENOMEM. */
tq_status_t tq_result_parse(const char *body, size_t len, tq_parse_kind_t kind,
                            const tq_guard_t *guard, tq_raw_result_t *out, tq_detail_t *detail);

/* Parses {"result":{"count":n}}. */
tq_status_t tq_count_parse(const char *body, size_t len, int max_depth, uint64_t *out,
                           tq_detail_t *detail);

/* Parses {"result":{"exists":b}} into *out (0/1). */
tq_status_t tq_exists_parse(const char *body, size_t len, int max_depth, int *out,
                            tq_detail_t *detail);

#endif
