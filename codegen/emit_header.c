/* emit_header.c: writes <name>.tq.h, the typed client an application includes.
 *
 * The header includes only <tenantq/tenantq.h> (never raw.h), refuses to compile
 * against another runtime ABI, and declares plain structs and functions: nothing in it
 * accepts a collection name, a raw filter, a point id or a tenant string. It must
 * compile warning-free as C11 and as C++11. Output depends only on the input. */
#include "emit.h"

#include <stdio.h>

static const char *type_note(const tq_schema_field_t *f) {
    if (f->indexed && f->required) return ", indexed, required";
    if (f->indexed) return ", indexed";
    if (f->filterable && f->required) return ", filterable, required";
    if (f->filterable) return ", filterable";
    if (f->required) return ", required";
    return "";
}

/* Members for one field in the point (input, borrowed) or record (output, owned)
 * struct. */
static void emit_value_members(gen_buf_t *out, const tq_schema_field_t *f, int record) {
    const char *n = f->name;
    const char *type = tq_schema_type_name(f->type);
    const char *note = type_note(f);
    switch (f->type) {
    case TQ_SCHEMA_INTEGER:
    case TQ_SCHEMA_FLOAT:
    case TQ_SCHEMA_BOOL:
        gen_printf(out, "    %s %s; /* %s%s */\n",
                   f->type == TQ_SCHEMA_INTEGER ? "int64_t" : f->type == TQ_SCHEMA_FLOAT ? "double" : "int",
                   n, type, note);
        gen_printf(out, "    int has_%s;\n", n);
        break;
    case TQ_SCHEMA_KEYWORD_ARRAY:
        gen_printf(out, "    %s%s; /* %s%s */\n", record ? "char **" : "const char *const *", n,
                   type, note);
        gen_printf(out, "    size_t %s_count;\n", n);
        break;
    case TQ_SCHEMA_INTEGER_ARRAY:
        gen_printf(out, "    %s%s; /* %s%s */\n", record ? "int64_t *" : "const int64_t *", n,
                   type, note);
        gen_printf(out, "    size_t %s_count;\n", n);
        break;
    default:
        gen_printf(out, "    %s%s; /* %s%s%s */\n", record ? "char *" : "const char *", n, type,
                   note, f->type == TQ_SCHEMA_DATETIME ? ", RFC 3339" : "");
        break;
    }
}

/* The filter members of one filterable field, by type. */
static void emit_filter_members(gen_buf_t *out, const tq_schema_field_t *f) {
    const char *n = f->name;
    switch (f->type) {
    case TQ_SCHEMA_KEYWORD:
        gen_printf(out, "    const char *%s; /* %s equals */\n", n, n);
        gen_printf(out, "    const char *const *%s_any; /* %s is one of %s_any_count values */\n", n, n, n);
        gen_printf(out, "    size_t %s_any_count;\n", n);
        break;
    case TQ_SCHEMA_INTEGER:
        gen_printf(out, "    const int64_t *%s; /* %s equals */\n", n, n);
        gen_printf(out, "    const int64_t *%s_any; /* %s is one of %s_any_count values */\n", n, n, n);
        gen_printf(out, "    size_t %s_any_count;\n", n);
        gen_printf(out, "    const int64_t *%s_gte; /* %s >= value */\n", n, n);
        gen_printf(out, "    const int64_t *%s_lte; /* %s <= value */\n", n, n);
        break;
    case TQ_SCHEMA_FLOAT:
        gen_printf(out, "    const double *%s_gte; /* %s >= value */\n", n, n);
        gen_printf(out, "    const double *%s_lte; /* %s <= value */\n", n, n);
        break;
    case TQ_SCHEMA_DATETIME:
        gen_printf(out, "    const char *%s_gte; /* %s >= this RFC 3339 time */\n", n, n);
        gen_printf(out, "    const char *%s_lte; /* %s <= this RFC 3339 time */\n", n, n);
        break;
    case TQ_SCHEMA_BOOL:
        gen_printf(out, "    const int *%s; /* %s equals (0 or 1) */\n", n, n);
        break;
    case TQ_SCHEMA_UUID:
        gen_printf(out, "    const char *%s; /* %s equals */\n", n, n);
        break;
    case TQ_SCHEMA_KEYWORD_ARRAY:
        gen_printf(out, "    const char *%s; /* %s contains this value */\n", n, n);
        break;
    case TQ_SCHEMA_INTEGER_ARRAY:
        gen_printf(out, "    const int64_t *%s; /* %s contains this value */\n", n, n);
        break;
    case TQ_SCHEMA_TEXT:
        gen_printf(out, "    const char *%s; /* %s contains every word of this text */\n", n, n);
        break;
    default:
        break;
    }
}

/* The DIM macro and the point, record, records and filter types of a collection. */
static void emit_types(gen_buf_t *out, const tq_schema_t *s, const tq_schema_collection_t *c) {
    const char *sn = s->name, *cn = c->name;
    char dim_macro[GEN_NAME_MAX];
    size_t i;

    gen_dim_macro(dim_macro, sizeof dim_macro, s, c);
    gen_printf(out, "#define %s %llu\n", dim_macro, (unsigned long long)c->dim);
    emit_evolution_macros(out, s, c);

    gen_put(out, "/* A point to upsert; everything is borrowed for the call. NULL strings and arrays are\n"
                 " * absent, and so are numbers and booleans whose has_<field> is 0. */\n");
    gen_printf(out, "typedef struct %s_%s_point {\n", sn, cn);
    gen_put(out, "    const char *key; /* the application's key, unique within the tenant and scope */\n");
    gen_put(out, "    const float *vector;\n");
    gen_printf(out, "    size_t vector_len; /* the floats `vector` holds; must equal %s */\n", dim_macro);
    for (i = 0; i < c->field_count; i++) emit_value_members(out, &c->fields[i], 0);
    gen_printf(out, "} %s_%s_point_t;\n\n", sn, cn);

    gen_printf(out, "/* A stored point as read back; owned by the %s_%s_records_t holding it. */\n", sn, cn);
    gen_printf(out, "typedef struct %s_%s_record {\n", sn, cn);
    gen_put(out, "    char *key;\n");
    gen_put(out, "    double score; /* search similarity; 0 for other reads */\n");
    gen_put(out, "    float *vector; /* NULL unless requested */\n");
    gen_put(out, "    size_t vector_dim;\n");
    for (i = 0; i < c->field_count; i++) emit_value_members(out, &c->fields[i], 1);
    gen_printf(out, "} %s_%s_record_t;\n\n", sn, cn);

    gen_printf(out, "/* Records returned by a read. Free with %s_%s_records_free. */\n", sn, cn);
    gen_printf(out, "typedef struct %s_%s_records {\n", sn, cn);
    gen_printf(out, "    %s_%s_record_t *items;\n", sn, cn);
    gen_put(out, "    size_t count;\n");
    gen_put(out, "    char next_cursor[36 + 1]; /* scroll: the cursor of the next page; \"\" at the end */\n");
    gen_printf(out, "} %s_%s_records_t;\n\n", sn, cn);

    if (tq_schema_filterable_count(c) == 0) return;
    gen_put(out, "/* Conditions on payload fields; every condition given must hold, and a NULL\n"
                 " * member adds none. The tenant and scope conditions are always added. */\n");
    gen_printf(out, "typedef struct %s_%s_filter {\n", sn, cn);
    for (i = 0; i < c->field_count; i++)
        if (tq_schema_field_filterable(&c->fields[i])) emit_filter_members(out, &c->fields[i]);
    gen_printf(out, "} %s_%s_filter_t;\n\n", sn, cn);
}

static const char *op_comment(tq_schema_op_t op) {
    switch (op) {
    case TQ_SCHEMA_OP_UPSERT:
        return "Inserts or replaces `count` points (stored under their keys). On failure\n"
               " * the first `detail->items_done` points are known to be stored and `detail`\n"
               " * names the first key not written; sending the rest again is safe.";
    case TQ_SCHEMA_OP_GET:
        return "The points stored under `keys` (absent keys are missing from the result),\n"
               " * with vectors when `with_vector` is non-zero. On success *out must be freed.";
    case TQ_SCHEMA_OP_DELETE:
        return "Deletes the points stored under `keys`; absent keys are not an error.";
    case TQ_SCHEMA_OP_DELETE_WHERE:
        return "Deletes the points matching `filter`, which must set at least one condition\n"
               " * (TQ_EINVAL otherwise: this never empties a whole scope by accident).";
    case TQ_SCHEMA_OP_SEARCH:
        return "The `limit` points nearest to `vector` that match `filter` (NULL: all), best\n"
               " * first; `score_threshold` may be NULL. `vector_len` is the number of floats\n"
               " * `vector` holds: anything but the collection's DIM is TQ_EINVAL, and an array\n"
               " * the compiler sees to be shorter is a compile-time error. On success *out\n"
               " * must be freed.";
    case TQ_SCHEMA_OP_COUNT:
        return "Exact number of points matching `filter` (NULL: all).";
    case TQ_SCHEMA_OP_SCROLL:
        return "One page of at most `limit` points matching `filter` (NULL: all), in id order.\n"
               " * `cursor` is NULL for the first page, then the previous next_cursor; the last\n"
               " * page has next_cursor \"\". On success *out must be freed.";
    default:
        return gen_retrieval_comment(op);
    }
}

/* Declarations of records_free and of every allowed operation, each with its
 * contract as a comment. */
static void emit_functions(gen_buf_t *out, const tq_schema_t *s, const tq_schema_collection_t *c) {
    char name[GEN_NAME_MAX];
    gen_params_t params;
    size_t op;

    gen_printf(out, "/* Frees what `records` holds and zeroes it; safe on a zeroed value. */\n");
    gen_printf(out, "void %s_%s_records_free(%s_%s_records_t *records);\n\n", s->name, c->name,
               s->name, c->name);
    for (op = 0; op < TQ_SCHEMA_OP_LAST; op++) {
        if (!tq_schema_has_op(c, (tq_schema_op_t)op)) continue;
        gen_op_name(name, sizeof name, s, c, (tq_schema_op_t)op);
        gen_op_params(s, c, (tq_schema_op_t)op, &params);
        gen_printf(out, "/* %s */\n", op_comment((tq_schema_op_t)op));
        emit_signature(out, "TQ_NODISCARD tq_status_t ", name, &params, "");
        emit_param_attributes(out, &params);
        gen_put(out, ";\n\n");
    }
}

static void emit_scope_note(gen_buf_t *out, const tq_schema_collection_t *c) {
    size_t i;
    if (c->scope_count == 0) {
        gen_put(out, " * No scope: the tenant is the only partition.\n");
        return;
    }
    gen_put(out, " * Scope:");
    for (i = 0; i < c->scope_count; i++) gen_printf(out, " %s", c->scopes[i].name);
    gen_put(out, " (every call takes the value, enforced like the tenant).\n");
}

void emit_header(gen_buf_t *out, const gen_input_t *in) {
    const tq_schema_t *s = in->schema;
    char up[GEN_NAME_MAX];
    size_t i;

    gen_upper(up, sizeof up, s->name);
    emit_banner(out, in);
    gen_printf(out, "/* %s.tq.h: the typed, tenant-scoped client of schema %s, version %llu.\n",
               s->name, s->name, (unsigned long long)s->version);
    gen_put(out, " *\n"
                 " * Every function takes the tenant context first and the scope values next, and\n"
                 " * returns TQ_OK or a tq_status_t with the reason in `detail` (may be NULL).\n"
                 " * Out-parameters are written only on success. Collection names, tenant\n"
                 " * conditions and point ids are derived inside the runtime from the context. */\n");
    gen_printf(out, "#ifndef %s_TQ_H\n#define %s_TQ_H\n\n", up, up);
    gen_put(out, "#include <tenantq/tenantq.h>\n\n");
    gen_printf(out, "#if TQ_ABI_VERSION != %d\n", GEN_ABI_VERSION);
    gen_printf(out, "#error \"%s.tq.h was generated for tenantq ABI version %d; regenerate it with "
                    "this runtime's tenantq-gen\"\n", s->name, GEN_ABI_VERSION);
    gen_put(out, "#endif\n\n");
    gen_put(out, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
    gen_printf(out, "#define %s_SCHEMA_VERSION %llu\n\n", up, (unsigned long long)s->version);

    for (i = 0; i < s->collection_count; i++) {
        const tq_schema_collection_t *c = &s->collections[i];
        gen_printf(out, "/* ---- collection %s ----\n", c->name);
        gen_printf(out, " * Vector %s: %llu dimensions, %s distance. Default placement: %s.\n",
                   c->vector_name, (unsigned long long)c->dim, tq_schema_distance_name(c->distance),
                   tq_schema_placement_name(c->placement));
        emit_scope_note(out, c);
        gen_put(out, " */\n\n");
        emit_types(out, s, c);
        emit_functions(out, s, c);
    }

    gen_put(out, "/* Creates the tenant's collections and payload indexes in their placement.\n"
                 " * Idempotent. */\n");
    gen_printf(out, "TQ_NODISCARD tq_status_t %s_onboard_tenant(const tenant_ctx_t *ctx, tq_detail_t *detail)\n"
                    "    TQ_NONNULL(1);\n\n",
               s->name);
    gen_put(out, "/* Deletes all of the tenant's data in every collection, then verifies that nothing\n"
                 " * remains (TQ_EVERIFY otherwise). Idempotent. */\n");
    gen_printf(out, "TQ_NODISCARD tq_status_t %s_offboard_tenant(const tenant_ctx_t *ctx, tq_detail_t *detail)\n"
                    "    TQ_NONNULL(1);\n\n",
               s->name);
    gen_put(out, "#ifdef __cplusplus\n}\n#endif\n\n");
    gen_printf(out, "#endif /* %s_TQ_H */\n", up);
}
