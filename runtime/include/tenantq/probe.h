/* probe.h: the leak probe driver (libtenantq-probe) and the tables that connect it to a
 * generated client.
 *
 * `tenantq-gen --probe` writes, next to a schema's client, `<name>.tq.probe.c`: one
 * tq_probe_collection_t per collection whose functions only convert the driver's
 * synthetic points, filters and results to and from the generated typed calls, and a
 * main() that hands the schema's table to tq_probe_main(). tenantq_generate(... PROBE)
 * builds that file with the client into the executable `<target>_probe`
 * (docs/probe.md, "Probing your own schema"). The driver synthesises every value: the
 * tables never name a collection, a tenant filter or a point id, and never build a
 * request; everything goes through the generated functions with the caller's context.
 *
 * These symbols live in libtenantq-probe, not in libtenantq. */
#ifndef TENANTQ_PROBE_H
#define TENANTQ_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include <tenantq/tenantq.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Scopes per collection the driver can hold (the schema language's own limit). */
#define TQ_PROBE_MAX_SCOPES 8

/* One synthetic point; every member borrowed for the duration of the call. Each payload
 * field of the schema takes the value its type derives from: keyword and keyword[]
 * fields the source document id, text fields the text, the other types the topic. */
typedef struct tq_probe_point {
    const char *key;
    const float *vector;       /* the collection's dimension */
    const char *source;        /* "src-<tenant>-<document>" */
    int64_t topic;             /* 0..15 */
    const char *body;          /* the text (and the source of any BM25 vector) */
    double topic_real;         /* float fields: the topic */
    int topic_flag;            /* bool fields: the topic's parity */
    const char *topic_datetime; /* datetime fields: an RFC 3339 time per topic */
    const char *topic_uuid;    /* uuid fields: a UUID per topic */
} tq_probe_point_t;

/* Typed conditions with the driver's values; a NULL member adds no condition. The
 * source-derived members (`source`, `source_any`, `text`) and the topic-derived ones
 * (`topic` and the members after it) are set together, so every filterable field of
 * the schema is constrained at once. */
typedef struct tq_probe_filter {
    const char *source;              /* keyword equals, keyword[] contains */
    const char *const *source_any;   /* keyword is one of */
    size_t source_any_count;
    const char *text;                /* indexed text: a term of that source's points */
    const int64_t *topic;            /* integer equals and range, integer[] contains */
    const double *topic_real;        /* float range */
    const int *topic_flag;           /* bool equals */
    const char *topic_datetime;      /* datetime range */
    const char *topic_uuid;          /* uuid equals */
} tq_probe_filter_t;

/* What a read returned: copies of the keys, the scores and the scroll cursor. Filled by
 * tq_probe_hits_init and tq_probe_hits_add; freed by the driver. */
typedef struct tq_probe_hits {
    char **keys;
    double *scores;
    size_t count;
    size_t capacity;
    char next_cursor[64];
} tq_probe_hits_t;

/* Which filter members reach a field of the collection (bit set). */
#define TQ_PROBE_FILTERS_SOURCE 1u     /* keyword, keyword[] or indexed text fields */
#define TQ_PROBE_FILTERS_SOURCE_ANY 2u /* a keyword field (its _any member) */
#define TQ_PROBE_FILTERS_TOPIC 4u      /* integer, float, bool, datetime, uuid, integer[] */

typedef const char *const *tq_probe_scopes_t; /* one value per scope, in schema order */

/* One collection of a generated client. A function is NULL when the schema does not
 * allow its operation; the driver then does not plan the probe kinds that need it.
 * Every function returns what the generated call returned; out-parameters are written
 * only on TQ_OK. */
typedef struct tq_probe_collection {
    const char *schema;      /* the schema's name */
    const char *collection;  /* the collection's name */
    uint32_t dim;
    const char *distance;    /* "Cosine", "Dot", "Euclid" or "Manhattan" */
    size_t scope_count;
    const char *const *scope_names;
    unsigned filters;        /* TQ_PROBE_FILTERS_* */
    const char *group_field; /* the `group by` field, or NULL */
    int has_sparse;          /* a BM25 sparse vector over text fields */
    tq_status_t (*onboard)(const tenant_ctx_t *ctx, tq_detail_t *detail);
    tq_status_t (*offboard)(const tenant_ctx_t *ctx, tq_detail_t *detail);
    tq_status_t (*upsert)(const tenant_ctx_t *ctx, tq_probe_scopes_t scopes,
                          const tq_probe_point_t *points, size_t count, tq_detail_t *detail);
    tq_status_t (*get)(const tenant_ctx_t *ctx, tq_probe_scopes_t scopes,
                       const char *const *keys, size_t count, tq_probe_hits_t *out,
                       tq_detail_t *detail);
    tq_status_t (*del)(const tenant_ctx_t *ctx, tq_probe_scopes_t scopes,
                       const char *const *keys, size_t count, tq_detail_t *detail);
    tq_status_t (*search)(const tenant_ctx_t *ctx, tq_probe_scopes_t scopes,
                          const float *vector, const tq_probe_filter_t *filter, uint32_t limit,
                          tq_probe_hits_t *out, tq_detail_t *detail);
    tq_status_t (*count)(const tenant_ctx_t *ctx, tq_probe_scopes_t scopes,
                         const tq_probe_filter_t *filter, uint64_t *out, tq_detail_t *detail);
    tq_status_t (*text_search)(const tenant_ctx_t *ctx, tq_probe_scopes_t scopes,
                               const char *text, uint32_t limit, tq_probe_hits_t *out,
                               tq_detail_t *detail);
    tq_status_t (*hybrid)(const tenant_ctx_t *ctx, tq_probe_scopes_t scopes,
                          const float *vector, const char *text, uint32_t limit,
                          tq_probe_hits_t *out, tq_detail_t *detail);
    /* `vector` or `text` may be NULL, not both. */
    tq_status_t (*groups)(const tenant_ctx_t *ctx, tq_probe_scopes_t scopes,
                          const float *vector, const char *text, uint32_t limit,
                          tq_probe_hits_t *out, tq_detail_t *detail);
    tq_status_t (*scroll)(const tenant_ctx_t *ctx, tq_probe_scopes_t scopes,
                          const tq_probe_filter_t *filter, uint32_t limit, const char *cursor,
                          tq_probe_hits_t *out, tq_detail_t *detail);
} tq_probe_collection_t;

/* A generated schema: its collections in schema order. */
typedef struct tq_probe_schema {
    const char *name;
    const tq_probe_collection_t *const *collections;
    size_t collection_count;
} tq_probe_schema_t;

/* Zeroes `out`, keeps `cursor` and makes room for `count` hits. TQ_ENOMEM when that
 * fails (out stays empty). */
TQ_EXPORT TQ_NODISCARD tq_status_t tq_probe_hits_init(tq_probe_hits_t *out, size_t count,
                                                      const char *cursor);

/* Appends a copy of `key` (NULL is "") and `score`; at most the count given to
 * tq_probe_hits_init. TQ_ENOMEM when the copy fails, TQ_EINVAL when full. */
TQ_EXPORT TQ_NODISCARD tq_status_t tq_probe_hits_add(tq_probe_hits_t *out, const char *key,
                                                     double score);

/* Frees what `hits` holds and zeroes it; safe on a zeroed value. */
TQ_EXPORT void tq_probe_hits_free(tq_probe_hits_t *hits);

/* The probe's command line (tenantq-probe's options, without --dim: each collection
 * has its own) run over every collection of `schema` and, in a collection with several
 * scopes, once per scope with the others fixed. Returns the exit status: 0 zero leaks
 * and every check held, 1 a leak or failed check, 2 a set-up error, or a schema feature
 * the driver cannot synthesise. */
TQ_EXPORT int tq_probe_main(int argc, char **argv, const tq_probe_schema_t *schema);

#ifdef __cplusplus
}
#endif

#endif
