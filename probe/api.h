/* api.h: one dimension-neutral view of the probe's generated clients.
 *
 * The generator fixes a collection's vector dimension at generation time, so the build
 * generates one client per supported dimension (probe_d64, probe_d384, ...; see
 * probe/CMakeLists.txt) and each instance of api_dim.c.in adapts its typed calls to
 * the table below. Nothing here names a collection, a tenant filter or a point id:
 * every call goes through the generated functions with the caller's context. */
#ifndef TQ_PROBE_API_H
#define TQ_PROBE_API_H

#include <stddef.h>
#include <stdint.h>

#include <tenantq/tenantq.h>

/* A point to store; all members borrowed. */
typedef struct probe_point {
    const char *key;
    const float *vector;
    const char *source;
    int64_t topic;
    const char *body; /* the text its BM25 vector is computed from */
} probe_point_t;

/* Typed conditions; NULL members are no condition. */
typedef struct probe_filter {
    const char *source;
    const char *const *source_any;
    size_t source_any_count;
    const int64_t *topic;
} probe_filter_t;

/* What a read returned: keys (malloc'd copies), scores, and the scroll cursor. Free
 * with probe_hits_free. */
typedef struct probe_hits {
    char **keys;
    double *scores;
    size_t count;
    char next_cursor[64];
} probe_hits_t;

void probe_hits_free(probe_hits_t *hits);

/* The calls of one generated client. Every function returns what the generated call
 * returned; out-parameters are written only on TQ_OK. */
typedef struct probe_api {
    uint32_t dim;
    const char *schema; /* the generated schema's name, e.g. "probe_d384" */
    tq_status_t (*onboard)(const tenant_ctx_t *ctx, tq_detail_t *detail);
    tq_status_t (*offboard)(const tenant_ctx_t *ctx, tq_detail_t *detail);
    tq_status_t (*upsert)(const tenant_ctx_t *ctx, const char *bot, const probe_point_t *points,
                          size_t count, tq_detail_t *detail);
    tq_status_t (*get)(const tenant_ctx_t *ctx, const char *bot, const char *const *keys,
                       size_t count, probe_hits_t *out, tq_detail_t *detail);
    tq_status_t (*del)(const tenant_ctx_t *ctx, const char *bot, const char *const *keys,
                       size_t count, tq_detail_t *detail);
    tq_status_t (*search)(const tenant_ctx_t *ctx, const char *bot, const float *vector,
                          const probe_filter_t *filter, uint32_t limit, probe_hits_t *out,
                          tq_detail_t *detail);
    tq_status_t (*count)(const tenant_ctx_t *ctx, const char *bot, const probe_filter_t *filter,
                         uint64_t *out, tq_detail_t *detail);
    /* BM25 text search, hybrid (dense and BM25 fused) and grouped search (one hit per
     * source; `vector` or `text` may be NULL, not both). */
    tq_status_t (*text_search)(const tenant_ctx_t *ctx, const char *bot, const char *text,
                               uint32_t limit, probe_hits_t *out, tq_detail_t *detail);
    tq_status_t (*hybrid)(const tenant_ctx_t *ctx, const char *bot, const float *vector,
                          const char *text, uint32_t limit, probe_hits_t *out,
                          tq_detail_t *detail);
    tq_status_t (*groups)(const tenant_ctx_t *ctx, const char *bot, const float *vector,
                          const char *text, uint32_t limit, probe_hits_t *out,
                          tq_detail_t *detail);
    tq_status_t (*scroll)(const tenant_ctx_t *ctx, const char *bot, const probe_filter_t *filter,
                          uint32_t limit, const char *cursor, probe_hits_t *out,
                          tq_detail_t *detail);
} probe_api_t;

/* The client generated for `dim`, or NULL when the build has none for it. */
const probe_api_t *probe_api_for_dim(uint32_t dim);

/* Writes the supported dimensions, comma-separated, into `buf` (for error messages). */
void probe_api_dims(char *buf, size_t cap);

#endif
