/* emit_retrieval.c: the generated side of hybrid retrieval: the text_search, hybrid
 * and search_groups operations, and the sparse-vector, fusion and group members of a
 * collection descriptor.
 *
 * Each operation becomes one call of tq_raw_retrieve with typed arguments; the
 * generated code never builds a prefetch, a fusion or an IDF corpus itself, so the
 * tenant condition of every branch stays the request layer's job alone. */
#include "emit.h"

#include <stdio.h>
#include <string.h>

int gen_is_retrieval_op(tq_schema_op_t op) {
    return op == TQ_SCHEMA_OP_TEXT_SEARCH || op == TQ_SCHEMA_OP_HYBRID ||
           op == TQ_SCHEMA_OP_SEARCH_GROUPS;
}

int gen_has_retrieval_op(const tq_schema_collection_t *c) {
    return tq_schema_has_op(c, TQ_SCHEMA_OP_TEXT_SEARCH) ||
           tq_schema_has_op(c, TQ_SCHEMA_OP_HYBRID) ||
           tq_schema_has_op(c, TQ_SCHEMA_OP_SEARCH_GROUPS);
}

/* Whether `op` takes the query vector and the query text. */
static int takes_vector(tq_schema_op_t op) {
    return op == TQ_SCHEMA_OP_HYBRID || op == TQ_SCHEMA_OP_SEARCH_GROUPS;
}

static int takes_text(const tq_schema_collection_t *c, tq_schema_op_t op) {
    return op == TQ_SCHEMA_OP_TEXT_SEARCH || op == TQ_SCHEMA_OP_HYBRID ||
           (op == TQ_SCHEMA_OP_SEARCH_GROUPS && c->has_sparse);
}

void gen_retrieval_params(const tq_schema_t *s, const tq_schema_collection_t *c,
                          tq_schema_op_t op, gen_params_t *params) {
    char text[GEN_NAME_MAX];
    /* search_groups takes a vector, a text or both: neither is nonnull there. */
    int both = op == TQ_SCHEMA_OP_HYBRID;
    if (!gen_is_retrieval_op(op)) return;
    if (takes_vector(op)) {
        gen_add_param(params, "const float *vector", both);
        params->vector = params->count;
        gen_add_param(params, "size_t vector_len", 0);
    }
    if (takes_text(c, op)) gen_add_param(params, "const char *text", both || op == TQ_SCHEMA_OP_TEXT_SEARCH);
    if (gen_op_takes_filter(c, op)) {
        snprintf(text, sizeof text, "const %s_%s_filter_t *filter", s->name, c->name);
        gen_add_param(params, text, 0);
    }
    gen_add_param(params, "uint32_t limit", 0);
    gen_add_param(params, "const double *score_threshold", 0);
    snprintf(text, sizeof text, "%s_%s_records_t *out", s->name, c->name);
    gen_add_param(params, text, 1);
}

const char *gen_retrieval_comment(tq_schema_op_t op) {
    switch (op) {
    case TQ_SCHEMA_OP_TEXT_SEARCH:
        return "The `limit` points whose text best matches `text` by BM25 (IDF over this\n"
               " * tenant's own points) among those matching `filter` (NULL: all), best first;\n"
               " * a text of stop words only finds nothing. On success *out must be freed.";
    case TQ_SCHEMA_OP_HYBRID:
        return "The `limit` best points by `vector` and by `text` (BM25), fused by the\n"
               " * collection's fusion, among those matching `filter` (NULL: all). Both\n"
               " * candidate lists are scoped to the tenant. On success *out must be freed.";
    case TQ_SCHEMA_OP_SEARCH_GROUPS:
        return "The best point of each of the `limit` best groups (one per value of the\n"
               " * group field): by `vector`, by `text`, or by both fused; either may be NULL,\n"
               " * not both. On success *out must be freed.";
    default:
        return "";
    }
}

void gen_retrieval_args(char *dst, size_t size, const tq_schema_t *s,
                        const tq_schema_collection_t *c, tq_schema_op_t op, const char *scopes,
                        const char *filter_arg) {
    const char *mode = op == TQ_SCHEMA_OP_TEXT_SEARCH ? "TQ_RETRIEVE_TEXT"
                       : op == TQ_SCHEMA_OP_HYBRID    ? "TQ_RETRIEVE_HYBRID"
                                                      : "TQ_RETRIEVE_GROUPS";
    snprintf(dst, size,
             "ctx, &%s_%s_collection, %s, %s, %s, %s, %s, %s, limit, score_threshold, &result, "
             "detail",
             s->name, c->name, scopes, mode, takes_vector(op) ? "vector" : "NULL",
             takes_vector(op) ? "vector_len" : "0", takes_text(c, op) ? "text" : "NULL",
             filter_arg);
}

void emit_retrieval_arrays(gen_buf_t *out, const tq_schema_t *s, const tq_schema_collection_t *c) {
    size_t i;
    if (!c->has_sparse) return;
    gen_printf(out, "static const char *const %s_%s_sparse_fields[] = {", s->name, c->name);
    for (i = 0; i < c->sparse_field_count; i++)
        gen_printf(out, "%s\"%s\"", i > 0 ? ", " : "", c->sparse_fields[i].name);
    gen_put(out, "};\n\n");
}

void emit_retrieval_members(gen_buf_t *out, const tq_schema_t *s, const tq_schema_collection_t *c) {
    if (c->has_sparse) {
        gen_printf(out, "    .sparse_name = \"%s\",\n", c->sparse_name);
        gen_printf(out, "    .sparse_fields = %s_%s_sparse_fields,\n", s->name, c->name);
        gen_printf(out, "    .sparse_field_count = %zu,\n", c->sparse_field_count);
        gen_printf(out, "    .fusion = %s,\n",
                   c->fusion == TQ_SCHEMA_FUSION_DBSF ? "TQ_FUSION_DBSF" : "TQ_FUSION_RRF");
    }
    if (c->group_field != NULL) gen_printf(out, "    .group_field = \"%s\",\n", c->group_field);
}
