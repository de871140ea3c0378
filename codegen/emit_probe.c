/* emit_probe.c: <name>.tq.probe.c (tenantq-gen --probe), the leak probe of a user's
 * schema.
 *
 * Per collection a tq_probe_collection_t (<tenantq/probe.h>) whose functions convert
 * the probe driver's synthetic points, filters and results to and from exactly one
 * call of the generated client each: every payload field gets the value its type
 * derives from (keyword and keyword[] the source id, text the text, the other types
 * the topic), every filterable field gets the driver's matching condition, and an
 * operation the schema does not allow is a NULL member. Then the schema's table and a
 * main() that hands it to tq_probe_main (libtenantq-probe). The emitted code never
 * names a collection, a tenant filter or a point id and never includes <tenantq/raw.h>:
 * the probe goes through the same typed functions the application calls. */
#include "emit.h"

#include <stdio.h>
#include <string.h>

/* "ctx, scopes[0], scopes[1]": the context and the collection's scopes, the leading
 * arguments of every generated call. */
static void scope_args(char *dst, size_t size, const tq_schema_collection_t *c) {
    size_t i, used;
    int n = snprintf(dst, size, "ctx");
    used = n > 0 ? (size_t)n : 0;
    for (i = 0; i < c->scope_count && used < size; i++) {
        n = snprintf(dst + used, size - used, ", scopes[%zu]", i);
        if (n < 0) break;
        used += (size_t)n;
    }
}

/* The TQ_PROBE_FILTERS_* bits of a collection's filterable fields. */
static unsigned filter_bits(const tq_schema_collection_t *c) {
    unsigned bits = 0;
    size_t i;
    for (i = 0; i < c->field_count; i++) {
        const tq_schema_field_t *f = &c->fields[i];
        if (!tq_schema_field_filterable(f)) continue;
        switch (f->type) {
        case TQ_SCHEMA_KEYWORD:
            bits |= 1u | 2u;
            break;
        case TQ_SCHEMA_TEXT:
        case TQ_SCHEMA_KEYWORD_ARRAY:
            bits |= 1u;
            break;
        default:
            bits |= 4u;
            break;
        }
    }
    return bits;
}

/* The `.filters` member: the TQ_PROBE_FILTERS_* names of `bits`. */
static void emit_filter_bits(gen_buf_t *out, unsigned bits) {
    static const char *const names[] = {"TQ_PROBE_FILTERS_SOURCE", "TQ_PROBE_FILTERS_SOURCE_ANY",
                                        "TQ_PROBE_FILTERS_TOPIC"};
    size_t i;
    int first = 1;
    gen_put(out, "    .filters = ");
    for (i = 0; i < 3; i++) {
        if (!(bits & (1u << i))) continue;
        gen_printf(out, "%s%s", first ? "" : " | ", names[i]);
        first = 0;
    }
    gen_put(out, first ? "0,\n" : ",\n");
}

/* The assignments of one synthetic point to the typed point `typed[i]`. */
static void emit_point_fields(gen_buf_t *out, const tq_schema_collection_t *c) {
    size_t i;
    for (i = 0; i < c->field_count; i++) {
        const char *n = c->fields[i].name;
        switch (c->fields[i].type) {
        case TQ_SCHEMA_KEYWORD:
            gen_printf(out, "        typed[i].%s = points[i].source;\n", n);
            break;
        case TQ_SCHEMA_TEXT:
            gen_printf(out, "        typed[i].%s = points[i].body;\n", n);
            break;
        case TQ_SCHEMA_INTEGER:
            gen_printf(out, "        typed[i].%s = points[i].topic;\n", n);
            gen_printf(out, "        typed[i].has_%s = 1;\n", n);
            break;
        case TQ_SCHEMA_FLOAT:
            gen_printf(out, "        typed[i].%s = points[i].topic_real;\n", n);
            gen_printf(out, "        typed[i].has_%s = 1;\n", n);
            break;
        case TQ_SCHEMA_BOOL:
            gen_printf(out, "        typed[i].%s = points[i].topic_flag;\n", n);
            gen_printf(out, "        typed[i].has_%s = 1;\n", n);
            break;
        case TQ_SCHEMA_DATETIME:
            gen_printf(out, "        typed[i].%s = points[i].topic_datetime;\n", n);
            break;
        case TQ_SCHEMA_UUID:
            gen_printf(out, "        typed[i].%s = points[i].topic_uuid;\n", n);
            break;
        case TQ_SCHEMA_KEYWORD_ARRAY:
            gen_printf(out, "        typed[i].%s = &points[i].source;\n", n);
            gen_printf(out, "        typed[i].%s_count = 1;\n", n);
            break;
        case TQ_SCHEMA_INTEGER_ARRAY:
            gen_printf(out, "        typed[i].%s = &points[i].topic;\n", n);
            gen_printf(out, "        typed[i].%s_count = 1;\n", n);
            break;
        }
    }
}

/* The filter members of one filterable field, from the driver's filter `in`. */
static void emit_filter_field(gen_buf_t *out, const tq_schema_field_t *f) {
    const char *n = f->name;
    switch (f->type) {
    case TQ_SCHEMA_KEYWORD:
        gen_printf(out, "    out->%s = in->source;\n", n);
        gen_printf(out, "    out->%s_any = in->source_any;\n", n);
        gen_printf(out, "    out->%s_any_count = in->source_any_count;\n", n);
        break;
    case TQ_SCHEMA_TEXT:
        gen_printf(out, "    out->%s = in->text;\n", n);
        break;
    case TQ_SCHEMA_INTEGER:
        gen_printf(out, "    out->%s = in->topic;\n", n);
        gen_printf(out, "    out->%s_gte = in->topic;\n", n);
        gen_printf(out, "    out->%s_lte = in->topic;\n", n);
        break;
    case TQ_SCHEMA_FLOAT:
        gen_printf(out, "    out->%s_gte = in->topic_real;\n", n);
        gen_printf(out, "    out->%s_lte = in->topic_real;\n", n);
        break;
    case TQ_SCHEMA_BOOL:
        gen_printf(out, "    out->%s = in->topic_flag;\n", n);
        break;
    case TQ_SCHEMA_DATETIME:
        gen_printf(out, "    out->%s_gte = in->topic_datetime;\n", n);
        gen_printf(out, "    out->%s_lte = in->topic_datetime;\n", n);
        break;
    case TQ_SCHEMA_UUID:
        gen_printf(out, "    out->%s = in->topic_uuid;\n", n);
        break;
    case TQ_SCHEMA_KEYWORD_ARRAY:
        gen_printf(out, "    out->%s = in->source;\n", n);
        break;
    case TQ_SCHEMA_INTEGER_ARRAY:
        gen_printf(out, "    out->%s = in->topic;\n", n);
        break;
    }
}

/* Prints `static tq_status_t <p>_<what>(const tenant_ctx_t *ctx, tq_probe_scopes_t scopes,`
 * then the ", "-separated `rest` and the opening brace. */
static void emit_fn_head(gen_buf_t *out, const char *p, const char *what, const char *rest,
                         const tq_schema_collection_t *c, const char *decls, int unused_filter) {
    char head[GEN_NAME_MAX * 2];
    char args[GEN_NAME_MAX * 4];
    snprintf(head, sizeof head, "static tq_status_t %s_%s(", p, what);
    snprintf(args, sizeof args, "const tenant_ctx_t *ctx, tq_probe_scopes_t scopes, %s", rest);
    emit_call_tail(out, "", head, args, ") {\n");
    gen_put(out, decls);
    if (c->scope_count == 0) gen_put(out, "    (void)scopes; /* the collection has no scope */\n");
    if (unused_filter)
        gen_put(out, "    (void)filter; /* the collection has no filterable field */\n");
    if (decls[0] != '\0' || c->scope_count == 0 || unused_filter) gen_put(out, "\n");
}

/* The declarations of a read into `records` (and of the typed filter). */
static void read_decls(char *dst, size_t size, const char *type_prefix, int with_filter) {
    char typed[GEN_NAME_MAX + 32] = "";
    if (with_filter) snprintf(typed, sizeof typed, "    %s_filter_t typed;\n", type_prefix);
    snprintf(dst, size, "    %s_records_t records;\n%s    tq_status_t status;\n", type_prefix,
             typed);
}

/* `    <lead><fn>(<args>);` wrapped. */
static void emit_forward(gen_buf_t *out, const char *lead, const char *fn, const char *args) {
    char head[GEN_NAME_MAX * 2];
    snprintf(head, sizeof head, "%s%s(", lead, fn);
    emit_call(out, "    ", head, args);
}

/* The body of a read into `records` (declared by read_decls): the generated call `fn`
 * with `args`, then the conversion of its result. */
static void emit_read(gen_buf_t *out, const char *p, const char *fn, const char *args,
                      int with_filter) {
    gen_put(out, "    memset(&records, 0, sizeof records);\n");
    if (with_filter) gen_printf(out, "    if (filter != NULL) %s_filter(filter, &typed);\n", p);
    emit_forward(out, "status = ", fn, args);
    gen_printf(out, "    return %s_hits(status, &records, out);\n}\n\n", p);
}

static void emit_collection(gen_buf_t *out, const tq_schema_t *s, const tq_schema_collection_t *c) {
    char p[GEN_NAME_MAX], type_prefix[GEN_NAME_MAX], dim[GEN_NAME_MAX], fn[GEN_NAME_MAX];
    char scopes[GEN_NAME_MAX * 2], args[GEN_NAME_MAX * 8], decls[GEN_NAME_MAX * 4];
    int has_filter = tq_schema_filterable_count(c) > 0;
    const char *filter_arg = has_filter ? "filter != NULL ? &typed : NULL" : "";
    size_t i;

    snprintf(p, sizeof p, "%s_%s_probe", s->name, c->name);
    snprintf(type_prefix, sizeof type_prefix, "%s_%s", s->name, c->name);
    gen_dim_macro(dim, sizeof dim, s, c);
    scope_args(scopes, sizeof scopes, c);

    gen_printf(out, "/* ---- collection %s ---- */\n\n", c->name);
    gen_printf(out, "static const char *const %s_scopes[] = {", p);
    for (i = 0; i < c->scope_count; i++)
        gen_printf(out, "%s\"%s\"", i ? ", " : "", c->scopes[i].name);
    if (c->scope_count == 0) gen_put(out, "NULL");
    gen_put(out, "};\n\n");

    if (has_filter) {
        gen_printf(out, "/* The driver's conditions on every filterable field. */\n");
        gen_printf(out, "static void %s_filter(const tq_probe_filter_t *in, %s_filter_t *out) {\n",
                   p, type_prefix);
        gen_put(out, "    memset(out, 0, sizeof *out);\n");
        for (i = 0; i < c->field_count; i++)
            if (tq_schema_field_filterable(&c->fields[i])) emit_filter_field(out, &c->fields[i]);
        gen_put(out, "}\n\n");
    }

    if (gen_returns_records(c) || gen_has_retrieval_op(c)) {
        gen_printf(out, "/* Copies the keys and scores of a successful read into `out`; frees the\n"
                        " * records either way. */\n");
        gen_printf(out, "static tq_status_t %s_hits(tq_status_t status, %s_records_t *records,\n",
                   p, type_prefix);
        gen_printf(out, "%*stq_probe_hits_t *out) {\n",
                   (int)(strlen("static tq_status_t ") + strlen(p) + 6), "");
        gen_put(out,
                "    size_t i;\n\n"
                "    if (status == TQ_OK) {\n"
                "        status = tq_probe_hits_init(out, records->count, records->next_cursor);\n"
                "        for (i = 0; status == TQ_OK && i < records->count; i++)\n"
                "            status = tq_probe_hits_add(out, records->items[i].key,\n"
                "                                       records->items[i].score);\n"
                "        if (status != TQ_OK) tq_probe_hits_free(out);\n"
                "    }\n");
        gen_printf(out, "    %s_records_free(records);\n    return status;\n}\n\n", type_prefix);
    }

    if (tq_schema_has_op(c, TQ_SCHEMA_OP_UPSERT)) {
        snprintf(decls, sizeof decls,
                 "    %s_point_t *typed = calloc(count ? count : 1, sizeof *typed);\n"
                 "    tq_status_t status;\n    size_t i;\n",
                 type_prefix);
        emit_fn_head(out, p, "upsert",
                     "const tq_probe_point_t *points, size_t count, tq_detail_t *detail", c, decls,
                     0);
        gen_put(out, "    if (typed == NULL) return TQ_ENOMEM;\n"
                     "    for (i = 0; i < count; i++) {\n"
                     "        typed[i].key = points[i].key;\n"
                     "        typed[i].vector = points[i].vector;\n");
        gen_printf(out, "        typed[i].vector_len = %s;\n", dim);
        emit_point_fields(out, c);
        gen_put(out, "    }\n");
        gen_op_name(fn, sizeof fn, s, c, TQ_SCHEMA_OP_UPSERT);
        snprintf(args, sizeof args, "%s, typed, count, detail", scopes);
        emit_forward(out, "status = ", fn, args);
        gen_put(out, "    free(typed);\n    return status;\n}\n\n");
    }
    if (tq_schema_has_op(c, TQ_SCHEMA_OP_GET)) {
        read_decls(decls, sizeof decls, type_prefix, 0);
        emit_fn_head(
            out, p, "get",
            "const char *const *keys, size_t count, tq_probe_hits_t *out, tq_detail_t *detail", c,
            decls, 0);
        gen_op_name(fn, sizeof fn, s, c, TQ_SCHEMA_OP_GET);
        snprintf(args, sizeof args, "%s, keys, count, 0, &records, detail", scopes);
        emit_read(out, p, fn, args, 0);
    }
    if (tq_schema_has_op(c, TQ_SCHEMA_OP_DELETE)) {
        emit_fn_head(out, p, "del", "const char *const *keys, size_t count, tq_detail_t *detail", c,
                     "", 0);
        gen_op_name(fn, sizeof fn, s, c, TQ_SCHEMA_OP_DELETE);
        snprintf(args, sizeof args, "%s, keys, count, detail", scopes);
        emit_forward(out, "return ", fn, args);
        gen_put(out, "}\n\n");
    }
    if (tq_schema_has_op(c, TQ_SCHEMA_OP_SEARCH)) {
        read_decls(decls, sizeof decls, type_prefix, has_filter);
        emit_fn_head(
            out, p, "search",
            "const float *vector, const tq_probe_filter_t *filter, uint32_t limit, "
            "tq_probe_hits_t *out, tq_detail_t *detail",
            c, decls, !has_filter);
        gen_op_name(fn, sizeof fn, s, c, TQ_SCHEMA_OP_SEARCH);
        snprintf(args, sizeof args, "%s, vector, %s, %s%slimit, NULL, &records, detail", scopes,
                 dim, filter_arg, has_filter ? ", " : "");
        emit_read(out, p, fn, args, has_filter);
    }
    if (tq_schema_has_op(c, TQ_SCHEMA_OP_COUNT)) {
        decls[0] = '\0';
        if (has_filter) snprintf(decls, sizeof decls, "    %s_filter_t typed;\n", type_prefix);
        emit_fn_head(out, p, "count",
                     "const tq_probe_filter_t *filter, uint64_t *out, tq_detail_t *detail", c,
                     decls, !has_filter);
        if (has_filter) gen_printf(out, "    if (filter != NULL) %s_filter(filter, &typed);\n", p);
        gen_op_name(fn, sizeof fn, s, c, TQ_SCHEMA_OP_COUNT);
        snprintf(args, sizeof args, "%s, %s%sout, detail", scopes, filter_arg,
                 has_filter ? ", " : "");
        emit_forward(out, "return ", fn, args);
        gen_put(out, "}\n\n");
    }
    if (tq_schema_has_op(c, TQ_SCHEMA_OP_SCROLL)) {
        read_decls(decls, sizeof decls, type_prefix, has_filter);
        emit_fn_head(
            out, p, "scroll",
            "const tq_probe_filter_t *filter, uint32_t limit, const char *cursor, "
            "tq_probe_hits_t *out, tq_detail_t *detail",
            c, decls, !has_filter);
        gen_op_name(fn, sizeof fn, s, c, TQ_SCHEMA_OP_SCROLL);
        snprintf(args, sizeof args, "%s, %s%slimit, cursor, &records, detail", scopes, filter_arg,
                 has_filter ? ", " : "");
        emit_read(out, p, fn, args, has_filter);
    }
    if (tq_schema_has_op(c, TQ_SCHEMA_OP_TEXT_SEARCH)) {
        read_decls(decls, sizeof decls, type_prefix, 0);
        emit_fn_head(out, p, "text_search",
                     "const char *text, uint32_t limit, tq_probe_hits_t *out, tq_detail_t *detail",
                     c, decls, 0);
        gen_op_name(fn, sizeof fn, s, c, TQ_SCHEMA_OP_TEXT_SEARCH);
        snprintf(args, sizeof args, "%s, text, %slimit, NULL, &records, detail", scopes,
                 has_filter ? "NULL, " : "");
        emit_read(out, p, fn, args, 0);
    }
    if (tq_schema_has_op(c, TQ_SCHEMA_OP_HYBRID)) {
        read_decls(decls, sizeof decls, type_prefix, 0);
        emit_fn_head(
            out, p, "hybrid",
            "const float *vector, const char *text, uint32_t limit, "
            "tq_probe_hits_t *out, tq_detail_t *detail",
            c, decls, 0);
        gen_op_name(fn, sizeof fn, s, c, TQ_SCHEMA_OP_HYBRID);
        snprintf(args, sizeof args, "%s, vector, %s, text, %slimit, NULL, &records, detail", scopes,
                 dim, has_filter ? "NULL, " : "");
        emit_read(out, p, fn, args, 0);
    }
    if (tq_schema_has_op(c, TQ_SCHEMA_OP_SEARCH_GROUPS) && c->has_sparse) {
        char len[GEN_NAME_MAX + 32];
        read_decls(decls, sizeof decls, type_prefix, 0);
        emit_fn_head(
            out, p, "groups",
            "const float *vector, const char *text, uint32_t limit, "
            "tq_probe_hits_t *out, tq_detail_t *detail",
            c, decls, 0);
        gen_op_name(fn, sizeof fn, s, c, TQ_SCHEMA_OP_SEARCH_GROUPS);
        snprintf(len, sizeof len, "vector != NULL ? %s : 0", dim);
        snprintf(args, sizeof args, "%s, vector, %s, text, %slimit, NULL, &records, detail", scopes,
                 len, has_filter ? "NULL, " : "");
        emit_read(out, p, fn, args, 0);
    }

    gen_printf(out, "static const tq_probe_collection_t %s = {\n", p);
    gen_printf(out, "    .schema = \"%s\",\n    .collection = \"%s\",\n    .dim = %s,\n", s->name,
               c->name, dim);
    gen_printf(out, "    .distance = \"%s\",\n", tq_schema_distance_name(c->distance));
    gen_printf(out, "    .scope_count = %zu,\n    .scope_names = %s_scopes,\n", c->scope_count, p);
    emit_filter_bits(out, filter_bits(c));
    if (c->group_field != NULL) gen_printf(out, "    .group_field = \"%s\",\n", c->group_field);
    gen_printf(out, "    .has_sparse = %d,\n", c->has_sparse ? 1 : 0);
    gen_printf(out, "    .onboard = %s_onboard_tenant,\n    .offboard = %s_offboard_tenant,\n",
               s->name, s->name);
    {
        static const struct {
            tq_schema_op_t op;
            const char *what;
        } members[] = {
            {TQ_SCHEMA_OP_UPSERT, "upsert"},
            {TQ_SCHEMA_OP_GET, "get"},
            {TQ_SCHEMA_OP_DELETE, "del"},
            {TQ_SCHEMA_OP_SEARCH, "search"},
            {TQ_SCHEMA_OP_COUNT, "count"},
            {TQ_SCHEMA_OP_SCROLL, "scroll"},
            {TQ_SCHEMA_OP_TEXT_SEARCH, "text_search"},
            {TQ_SCHEMA_OP_HYBRID, "hybrid"},
            {TQ_SCHEMA_OP_SEARCH_GROUPS, "groups"},
        };
        for (i = 0; i < sizeof members / sizeof members[0]; i++) {
            int present = tq_schema_has_op(c, members[i].op) &&
                          (members[i].op != TQ_SCHEMA_OP_SEARCH_GROUPS || c->has_sparse);
            if (present)
                gen_printf(out, "    .%s = %s_%s,\n", members[i].what, p, members[i].what);
            else
                gen_printf(out, "    /* .%s: not in the schema's ops */\n", members[i].what);
        }
    }
    gen_put(out, "};\n\n");
}

void emit_probe(gen_buf_t *out, const gen_input_t *in) {
    const tq_schema_t *s = in->schema;
    size_t i;

    emit_banner(out, in);
    gen_printf(out,
               "/* %s.tq.probe.c: the leak probe of schema %s (tenantq-gen --probe).\n"
               " *\n"
               " * One table per collection: each function converts the probe driver's\n"
               " * synthetic points, filters and results to and from one call of %s.tq.h;\n"
               " * main() hands the tables to tq_probe_main (libtenantq-probe). Build it with\n"
               " * %s.tq.c into its own executable (tenantq_generate(... PROBE) does). Nothing\n"
               " * here builds a request, a tenant or scope condition, a collection name or a\n"
               " * point id. */\n",
               s->name, s->name, s->name, s->name);
    gen_printf(out, "#include \"%s.tq.h\"\n\n", s->name);
    gen_put(out, "#include <tenantq/probe.h>\n\n#include <stdlib.h>\n#include <string.h>\n\n");
    for (i = 0; i < s->collection_count; i++) emit_collection(out, s, &s->collections[i]);
    gen_printf(out, "static const tq_probe_collection_t *const %s_probe_collections[] = {\n",
               s->name);
    for (i = 0; i < s->collection_count; i++)
        gen_printf(out, "    &%s_%s_probe%s\n", s->name, s->collections[i].name,
                   i + 1 < s->collection_count ? "," : "");
    gen_put(out, "};\n\n");
    gen_printf(
        out,
        "static const tq_probe_schema_t %s_probe_schema = {\"%s\", %s_probe_collections, %zu};\n\n",
        s->name, s->name, s->name, s->collection_count);
    gen_printf(
        out,
        "int main(int argc, char **argv) {\n"
        "    return tq_probe_main(argc, argv, &%s_probe_schema);\n}\n",
        s->name);
}
