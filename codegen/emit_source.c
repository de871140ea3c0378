/* emit_source.c: writes <name>.tq.c, the implementation of the typed client.
 *
 * Each generated function is a flat list of calls into <tenantq/raw.h> that a reviewer
 * can read line by line: typed values in, typed values out, one cleanup label per
 * function that allocates. The generated code never names a collection at run time,
 * never builds a tenant condition and never computes a point id: the request layer
 * derives all three from the context. No macros beyond the header's constants, no
 * timestamps, and the output depends only on the schema and its path. */
#include "emit.h"

#include <stdio.h>
#include <string.h>

/* State of one generated function body: whether a goto to `cleanup` was emitted. */
typedef struct body {
    gen_buf_t *out;
    const char *schema;
    const char *function;
    int jumps;
} body_t;

/* Emits a block that sets `status` through <schema>_set_detail and jumps to cleanup. */
static void emit_fail(body_t *b, const char *indent, const char *status, const char *what) {
    gen_printf(b->out, "%s    status = %s_set_detail(detail, %s, \"%s: %s\");\n", indent,
               b->schema, status, b->function, what);
    gen_printf(b->out, "%s    goto cleanup;\n", indent);
    b->jumps = 1;
}

static const char *field_index_type(tq_schema_type_t type) {
    switch (type) {
    case TQ_SCHEMA_TEXT: return "TQ_FIELD_TEXT";
    case TQ_SCHEMA_INTEGER:
    case TQ_SCHEMA_INTEGER_ARRAY: return "TQ_FIELD_INTEGER";
    case TQ_SCHEMA_FLOAT: return "TQ_FIELD_FLOAT";
    case TQ_SCHEMA_BOOL: return "TQ_FIELD_BOOL";
    case TQ_SCHEMA_DATETIME: return "TQ_FIELD_DATETIME";
    case TQ_SCHEMA_UUID: return "TQ_FIELD_UUID";
    default: return "TQ_FIELD_KEYWORD";
    }
}

static const char *const DISTANCE_CONSTANTS[] = {"TQ_DISTANCE_COSINE", "TQ_DISTANCE_DOT",
                                                 "TQ_DISTANCE_EUCLID", "TQ_DISTANCE_MANHATTAN"};
static const char *const PLACEMENT_CONSTANTS[] = {"TQ_PLACEMENT_COLLECTION", "TQ_PLACEMENT_SHARED",
                                                  "TQ_PLACEMENT_DEDICATED"};

static size_t index_count(const tq_schema_collection_t *c) {
    size_t i, n = 0;
    for (i = 0; i < c->field_count; i++)
        if (c->fields[i].indexed) n++;
    return n;
}

/* The static tq_raw_collection_t of a collection (and its scope and index arrays,
 * omitted when empty): everything the request layer needs to route and index. */
static void emit_descriptor(gen_buf_t *out, const tq_schema_t *s, const tq_schema_collection_t *c) {
    const char *sn = s->name, *cn = c->name;
    char dim_macro[GEN_NAME_MAX];
    size_t i;

    gen_dim_macro(dim_macro, sizeof dim_macro, s, c);
    if (c->scope_count > 0) {
        gen_printf(out, "static const char *const %s_%s_scope_fields[] = {", sn, cn);
        for (i = 0; i < c->scope_count; i++)
            gen_printf(out, "%s\"%s\"", i > 0 ? ", " : "", c->scopes[i].name);
        gen_put(out, "};\n\n");
    }
    if (index_count(c) > 0) {
        gen_printf(out, "static const tq_raw_index_t %s_%s_indexes[] = {\n", sn, cn);
        for (i = 0; i < c->field_count; i++)
            if (c->fields[i].indexed)
                gen_printf(out, "    {\"%s\", %s},\n", c->fields[i].name,
                           field_index_type(c->fields[i].type));
        gen_put(out, "};\n\n");
    }
    emit_evolution_fields(out, s, c);
    emit_retrieval_arrays(out, s, c);
    gen_printf(out, "static const tq_raw_collection_t %s_%s_collection = {\n", sn, cn);
    gen_printf(out, "    .schema = \"%s\",\n", sn);
    gen_printf(out, "    .name = \"%s\",\n", cn);
    gen_printf(out, "    .vector_name = \"%s\",\n", c->vector_name);
    gen_printf(out, "    .dim = %s,\n", dim_macro);
    gen_printf(out, "    .distance = %s,\n", DISTANCE_CONSTANTS[c->distance]);
    gen_printf(out, "    .default_placement = %s,\n", PLACEMENT_CONSTANTS[c->placement]);
    if (c->scope_count > 0)
        gen_printf(out, "    .scope_fields = %s_%s_scope_fields,\n", sn, cn);
    else
        gen_put(out, "    .scope_fields = NULL,\n");
    gen_printf(out, "    .scope_count = %zu,\n", c->scope_count);
    if (index_count(c) > 0)
        gen_printf(out, "    .indexes = %s_%s_indexes,\n", sn, cn);
    else
        gen_put(out, "    .indexes = NULL,\n");
    gen_printf(out, "    .index_count = %zu,\n", index_count(c));
    emit_evolution_members(out, s, c);
    emit_retrieval_members(out, s, c);
    gen_put(out, "};\n\n");
}

/* One `if (TEST) { CALL; n++; }` block; `call` is "function(" followed by the
 * ", "-separated arguments. */
static void emit_condition(gen_buf_t *out, const char *test, const char *call) {
    char head[GEN_NAME_MAX];
    const char *args = strchr(call, '(') + 1;
    snprintf(head, sizeof head, "%.*s", (int)(args - call), call);
    gen_printf(out, "    if (%s) {\n", test);
    emit_call(out, "        ", head, args);
    gen_put(out, "        n++;\n    }\n");
}

/* The conditions of one filterable field, by type (see docs/schema.md). */
static void emit_filter_field(gen_buf_t *out, const tq_schema_field_t *f) {
    char test[GEN_NAME_MAX * 2], call[GEN_NAME_MAX * 4];
    const char *n = f->name;
    switch (f->type) {
    case TQ_SCHEMA_KEYWORD:
    case TQ_SCHEMA_UUID:
    case TQ_SCHEMA_KEYWORD_ARRAY:
        snprintf(test, sizeof test, "filter->%s != NULL", n);
        snprintf(call, sizeof call, "tq_raw_filter_match_keyword(raw, \"%s\", filter->%s", n, n);
        emit_condition(out, test, call);
        if (f->type != TQ_SCHEMA_KEYWORD) break;
        snprintf(test, sizeof test, "filter->%s_any != NULL", n);
        snprintf(call, sizeof call,
                 "tq_raw_filter_any_keyword(raw, \"%s\", filter->%s_any, filter->%s_any_count", n,
                 n, n);
        emit_condition(out, test, call);
        break;
    case TQ_SCHEMA_INTEGER:
    case TQ_SCHEMA_INTEGER_ARRAY:
        snprintf(test, sizeof test, "filter->%s != NULL", n);
        snprintf(call, sizeof call, "tq_raw_filter_match_int(raw, \"%s\", *filter->%s", n, n);
        emit_condition(out, test, call);
        if (f->type != TQ_SCHEMA_INTEGER) break;
        snprintf(test, sizeof test, "filter->%s_any != NULL", n);
        snprintf(call, sizeof call,
                 "tq_raw_filter_any_int(raw, \"%s\", filter->%s_any, filter->%s_any_count", n, n, n);
        emit_condition(out, test, call);
        /* Integer bounds travel as doubles: exact up to 2^53. */
        gen_printf(out, "    if (filter->%s_gte != NULL || filter->%s_lte != NULL) {\n", n, n);
        gen_printf(out, "        double gte = filter->%s_gte != NULL ? (double)*filter->%s_gte : 0.0;\n", n, n);
        gen_printf(out, "        double lte = filter->%s_lte != NULL ? (double)*filter->%s_lte : 0.0;\n", n, n);
        gen_printf(out, "        tq_raw_filter_range(raw, \"%s\", filter->%s_gte != NULL ? &gte : NULL,\n", n, n);
        gen_printf(out, "                            filter->%s_lte != NULL ? &lte : NULL);\n", n);
        gen_put(out, "        n++;\n    }\n");
        break;
    case TQ_SCHEMA_FLOAT:
        snprintf(test, sizeof test, "filter->%s_gte != NULL || filter->%s_lte != NULL", n, n);
        snprintf(call, sizeof call, "tq_raw_filter_range(raw, \"%s\", filter->%s_gte, filter->%s_lte",
                 n, n, n);
        emit_condition(out, test, call);
        break;
    case TQ_SCHEMA_DATETIME:
        snprintf(test, sizeof test, "filter->%s_gte != NULL || filter->%s_lte != NULL", n, n);
        snprintf(call, sizeof call,
                 "tq_raw_filter_datetime_range(raw, \"%s\", filter->%s_gte, filter->%s_lte", n, n, n);
        emit_condition(out, test, call);
        break;
    case TQ_SCHEMA_BOOL:
        snprintf(test, sizeof test, "filter->%s != NULL", n);
        snprintf(call, sizeof call, "tq_raw_filter_match_bool(raw, \"%s\", *filter->%s", n, n);
        emit_condition(out, test, call);
        break;
    case TQ_SCHEMA_TEXT:
        snprintf(test, sizeof test, "filter->%s != NULL", n);
        snprintf(call, sizeof call, "tq_raw_filter_match_text(raw, \"%s\", filter->%s", n, n);
        emit_condition(out, test, call);
        break;
    default:
        break;
    }
}

static void emit_filter_build(gen_buf_t *out, const tq_schema_t *s, const tq_schema_collection_t *c) {
    size_t i;
    gen_put(out, "/* Translates `filter` into the request layer's filter. Returns NULL when out of\n"
                 " * memory; *conditions (when not NULL) receives the number of conditions set. */\n");
    gen_printf(out, "static tq_raw_filter_t *%s_%s_filter_build(const %s_%s_filter_t *filter,\n",
               s->name, c->name, s->name, c->name);
    gen_printf(out, "%*ssize_t *conditions) {\n",
               (int)(strlen("static tq_raw_filter_t *") + strlen(s->name) + strlen(c->name) +
                     strlen("__filter_build(")), "");
    gen_put(out, "    tq_raw_filter_t *raw = tq_raw_filter_new();\n");
    gen_put(out, "    size_t n = 0;\n\n");
    gen_put(out, "    if (raw == NULL) {\n        return NULL;\n    }\n");
    for (i = 0; i < c->field_count; i++)
        if (tq_schema_field_filterable(&c->fields[i])) emit_filter_field(out, &c->fields[i]);
    gen_put(out, "    if (conditions != NULL) {\n        *conditions = n;\n    }\n");
    gen_put(out, "    return raw;\n}\n\n");
}

static int is_string_type(tq_schema_type_t type) {
    return type == TQ_SCHEMA_KEYWORD || type == TQ_SCHEMA_TEXT || type == TQ_SCHEMA_DATETIME ||
           type == TQ_SCHEMA_UUID;
}

/* <schema>_<collection>_records_free: frees every owned member of every record. */
static void emit_records_free(gen_buf_t *out, const tq_schema_t *s, const tq_schema_collection_t *c) {
    size_t i;
    gen_printf(out, "void %s_%s_records_free(%s_%s_records_t *records) {\n", s->name, c->name,
               s->name, c->name);
    gen_put(out, "    size_t i;\n\n");
    gen_put(out, "    if (records == NULL) {\n        return;\n    }\n");
    gen_put(out, "    for (i = 0; i < records->count; i++) {\n");
    gen_printf(out, "        %s_%s_record_t *record = &records->items[i];\n\n", s->name, c->name);
    gen_put(out, "        free(record->key);\n");
    gen_put(out, "        free(record->vector);\n");
    for (i = 0; i < c->field_count; i++) {
        const tq_schema_field_t *f = &c->fields[i];
        if (is_string_type(f->type) || f->type == TQ_SCHEMA_INTEGER_ARRAY)
            gen_printf(out, "        free(record->%s);\n", f->name);
        else if (f->type == TQ_SCHEMA_KEYWORD_ARRAY)
            gen_printf(out, "        %s_free_strings(record->%s, record->%s_count);\n", s->name,
                       f->name, f->name);
    }
    gen_put(out, "    }\n");
    gen_put(out, "    free(records->items);\n");
    gen_put(out, "    memset(records, 0, sizeof *records);\n}\n\n");
}

/* Copies one payload field of a returned point into the record; a renamed field falls
 * back to its previous key (docs/migrations.md). */
static void emit_read_field(gen_buf_t *out, const tq_schema_field_t *f) {
    const char *n = f->name, *head, *present = "present";
    char args[GEN_NAME_MAX * 4], old_args[GEN_NAME_MAX * 4], has[GEN_NAME_MAX];
    const char *keys[2];
    int k;
    keys[0] = n;
    keys[1] = f->was != NULL ? f->was : n;
    for (k = 0; k < 2; k++) {
        char *dst = k == 0 ? args : old_args;
        switch (f->type) {
        case TQ_SCHEMA_INTEGER:
        case TQ_SCHEMA_FLOAT:
        case TQ_SCHEMA_BOOL:
            snprintf(dst, sizeof args, "point, \"%s\", &record->%s, &record->has_%s", keys[k], n, n);
            break;
        case TQ_SCHEMA_KEYWORD_ARRAY:
        case TQ_SCHEMA_INTEGER_ARRAY:
            snprintf(dst, sizeof args, "point, \"%s\", &record->%s, &record->%s_count, &present",
                     keys[k], n, n);
            break;
        default:
            snprintf(dst, sizeof args, "point, \"%s\", &record->%s, &present", keys[k], n);
            break;
        }
    }
    switch (f->type) {
    case TQ_SCHEMA_INTEGER:
    case TQ_SCHEMA_FLOAT:
    case TQ_SCHEMA_BOOL:
        head = f->type == TQ_SCHEMA_INTEGER ? "status = tq_raw_point_int("
               : f->type == TQ_SCHEMA_FLOAT ? "status = tq_raw_point_float("
                                            : "status = tq_raw_point_bool(";
        snprintf(has, sizeof has, "record->has_%s", n);
        present = has;
        break;
    case TQ_SCHEMA_KEYWORD_ARRAY:
    case TQ_SCHEMA_INTEGER_ARRAY:
        head = f->type == TQ_SCHEMA_KEYWORD_ARRAY ? "status = tq_raw_point_keyword_array("
                                                  : "status = tq_raw_point_int_array(";
        break;
    default:
        head = "status = tq_raw_point_keyword(";
        break;
    }
    emit_call(out, "    ", head, args);
    emit_evolution_fallback(out, f, head, old_args, present);
    gen_put(out, "    if (status != TQ_OK) {\n        return status;\n    }\n");
}

/* The static functions turning a request-layer result into owned records; emitted
 * only for collections that have a read returning records. */
static void emit_record_conversion(gen_buf_t *out, const tq_schema_t *s, const tq_schema_collection_t *c) {
    const char *sn = s->name, *cn = c->name;
    size_t i;
    int needs_present = 0;

    for (i = 0; i < c->field_count; i++)
        if (c->fields[i].type != TQ_SCHEMA_INTEGER && c->fields[i].type != TQ_SCHEMA_FLOAT &&
            c->fields[i].type != TQ_SCHEMA_BOOL)
            needs_present = 1;

    gen_put(out, "/* Copies one returned point into `record`, which the caller zeroed. On failure what\n"
                 " * was copied stays in `record`, and the caller frees it with the rest. */\n");
    gen_printf(out, "static tq_status_t %s_%s_record_from_raw(const tq_raw_point_t *point,\n", sn, cn);
    gen_printf(out, "%*s%s_%s_record_t *record) {\n",
               (int)(strlen("static tq_status_t ") + strlen(sn) + strlen(cn) + strlen("__record_from_raw(")),
               "", sn, cn);
    gen_put(out, "    const float *vector;\n    size_t dim = 0;\n");
    if (needs_present) gen_put(out, "    int present = 0;\n");
    if (c->field_count > 0) gen_put(out, "    tq_status_t status;\n");
    gen_put(out, "\n    if (point == NULL || tq_raw_point_key(point) == NULL) {\n        return TQ_EPROTO;\n    }\n");
    gen_printf(out, "    record->key = %s_copy_string(tq_raw_point_key(point));\n", sn);
    gen_put(out, "    if (record->key == NULL) {\n        return TQ_ENOMEM;\n    }\n");
    gen_put(out, "    record->score = tq_raw_point_score(point);\n");
    gen_put(out, "    vector = tq_raw_point_vector(point, &dim);\n");
    gen_put(out, "    if (vector != NULL && dim > 0) {\n");
    gen_put(out, "        record->vector = malloc(dim * sizeof *record->vector);\n");
    gen_put(out, "        if (record->vector == NULL) {\n            return TQ_ENOMEM;\n        }\n");
    gen_put(out, "        memcpy(record->vector, vector, dim * sizeof *record->vector);\n");
    gen_put(out, "        record->vector_dim = dim;\n    }\n");
    for (i = 0; i < c->field_count; i++) emit_read_field(out, &c->fields[i]);
    gen_put(out, "    return TQ_OK;\n}\n\n");

    gen_put(out, "/* Copies a request-layer result into *out (written only on success). */\n");
    gen_printf(out, "static tq_status_t %s_%s_records_from_raw(const tq_raw_result_t *result,\n", sn, cn);
    gen_printf(out, "%*s%s_%s_records_t *out, tq_detail_t *detail) {\n",
               (int)(strlen("static tq_status_t ") + strlen(sn) + strlen(cn) + strlen("__records_from_raw(")),
               "", sn, cn);
    gen_printf(out, "    %s_%s_records_t records;\n", sn, cn);
    gen_put(out, "    tq_status_t status = TQ_OK;\n    size_t i;\n\n");
    gen_put(out, "    memset(&records, 0, sizeof records);\n");
    gen_put(out, "    if (result->count > 0) {\n");
    gen_put(out, "        records.items = calloc(result->count, sizeof *records.items);\n");
    gen_put(out, "        if (records.items == NULL) {\n");
    gen_printf(out, "            status = %s_set_detail(detail, TQ_ENOMEM, \"%s_%s: out of memory copying results\");\n", sn, sn, cn);
    gen_put(out, "            goto cleanup;\n        }\n    }\n");
    gen_put(out, "    for (i = 0; i < result->count; i++) {\n");
    gen_put(out, "        records.count = i + 1;\n");
    gen_printf(out, "        status = %s_%s_record_from_raw(tq_raw_result_point(result, i), &records.items[i]);\n", sn, cn);
    gen_put(out, "        if (status != TQ_OK) {\n");
    gen_printf(out, "            status = %s_set_detail(detail, status, \"%s_%s: a returned point could not be copied\");\n", sn, sn, cn);
    gen_put(out, "            goto cleanup;\n        }\n    }\n");
    gen_put(out, "    memcpy(records.next_cursor, result->next_cursor, sizeof records.next_cursor);\n");
    gen_put(out, "    *out = records;\n");
    gen_put(out, "    memset(&records, 0, sizeof records);\n\n");
    gen_put(out, "cleanup:\n");
    gen_printf(out, "    %s_%s_records_free(&records);\n", sn, cn);
    gen_put(out, "    return status;\n}\n\n");
}

/* The test for "field absent" in a point, for required fields. */
static void emit_required_checks(body_t *b, const tq_schema_collection_t *c) {
    size_t i;
    int any = 0;
    char what[GEN_NAME_MAX * 2];
    for (i = 0; i < c->field_count; i++) any |= c->fields[i].required;
    if (!any) return;
    gen_put(b->out, "    for (i = 0; i < count; i++) {\n");
    for (i = 0; i < c->field_count; i++) {
        const tq_schema_field_t *f = &c->fields[i];
        if (!f->required) continue;
        if (f->type == TQ_SCHEMA_INTEGER || f->type == TQ_SCHEMA_FLOAT || f->type == TQ_SCHEMA_BOOL)
            gen_printf(b->out, "        if (!points[i].has_%s) {\n", f->name);
        else
            gen_printf(b->out, "        if (points[i].%s == NULL) {\n", f->name);
        snprintf(what, sizeof what, "a point lacks the required field %s", f->name);
        emit_fail(b, "        ", "TQ_EINVAL", what);
        gen_put(b->out, "        }\n");
    }
    gen_put(b->out, "    }\n");
}

/* Adds one field of `point` to the batch when it is present. */
static void emit_batch_field(gen_buf_t *out, const tq_schema_field_t *f) {
    const char *n = f->name;
    switch (f->type) {
    case TQ_SCHEMA_INTEGER:
        gen_printf(out, "        if (point->has_%s) {\n            tq_raw_batch_int(batch, \"%s\", point->%s);\n        }\n", n, n, n);
        break;
    case TQ_SCHEMA_FLOAT:
        gen_printf(out, "        if (point->has_%s) {\n            tq_raw_batch_float(batch, \"%s\", point->%s);\n        }\n", n, n, n);
        break;
    case TQ_SCHEMA_BOOL:
        gen_printf(out, "        if (point->has_%s) {\n            tq_raw_batch_bool(batch, \"%s\", point->%s);\n        }\n", n, n, n);
        break;
    case TQ_SCHEMA_KEYWORD_ARRAY:
        gen_printf(out, "        if (point->%s != NULL) {\n            tq_raw_batch_keyword_array(batch, \"%s\", point->%s, point->%s_count);\n        }\n", n, n, n, n);
        break;
    case TQ_SCHEMA_INTEGER_ARRAY:
        gen_printf(out, "        if (point->%s != NULL) {\n            tq_raw_batch_int_array(batch, \"%s\", point->%s, point->%s_count);\n        }\n", n, n, n, n);
        break;
    default:
        gen_printf(out, "        if (point->%s != NULL) {\n            tq_raw_batch_keyword(batch, \"%s\", point->%s);\n        }\n", n, n, n);
        break;
    }
}

/* upsert: refuse NULL points and missing required fields before building anything,
 * then one batch with every point, sent by the request layer in chunks. */
static void emit_upsert_body(body_t *b, const tq_schema_t *s, const tq_schema_collection_t *c,
                             const char *scopes) {
    size_t i;
    gen_put(b->out, "    if (points == NULL && count > 0) {\n");
    emit_fail(b, "    ", "TQ_EINVAL", "points is NULL");
    gen_put(b->out, "    }\n");
    emit_required_checks(b, c);
    gen_printf(b->out, "    batch = tq_raw_batch_new(ctx, &%s_%s_collection, %s);\n", s->name, c->name, scopes);
    gen_put(b->out, "    if (batch == NULL) {\n");
    emit_fail(b, "    ", "TQ_ENOMEM", "out of memory");
    gen_put(b->out, "    }\n");
    gen_put(b->out, "    for (i = 0; i < count; i++) {\n");
    gen_printf(b->out, "        const %s_%s_point_t *point = &points[i];\n\n", s->name, c->name);
    gen_put(b->out, "        tq_raw_batch_point(batch, point->key, point->vector, point->vector_len);\n");
    for (i = 0; i < c->field_count; i++) emit_batch_field(b->out, &c->fields[i]);
    gen_put(b->out, "    }\n");
    gen_put(b->out, "    status = tq_raw_batch_upsert(batch, detail);\n");
}

/* `raw_filter = build(filter)` for the optional filter of search, count and scroll. */
static void emit_optional_filter(body_t *b, const tq_schema_t *s, const tq_schema_collection_t *c) {
    gen_put(b->out, "    if (filter != NULL) {\n");
    gen_printf(b->out, "        raw_filter = %s_%s_filter_build(filter, NULL);\n", s->name, c->name);
    gen_put(b->out, "        if (raw_filter == NULL) {\n");
    emit_fail(b, "        ", "TQ_ENOMEM", "out of memory");
    gen_put(b->out, "        }\n    }\n");
}

/* The operation-specific middle of a generated function, after the scope and `out`
 * checks and before the cleanup label. */
static void emit_op_body(body_t *b, const tq_schema_t *s, const tq_schema_collection_t *c,
                         tq_schema_op_t op, const char *scopes) {
    char args[GEN_NAME_MAX * 4], desc[GEN_NAME_MAX];
    const char *filter_arg = gen_op_takes_filter(c, op) ? "raw_filter" : "NULL";
    snprintf(desc, sizeof desc, "&%s_%s_collection", s->name, c->name);
    switch (op) {
    case TQ_SCHEMA_OP_UPSERT:
        emit_upsert_body(b, s, c, scopes);
        return;
    case TQ_SCHEMA_OP_GET:
        snprintf(args, sizeof args, "ctx, %s, %s, keys, count, with_vector, &result, detail", desc,
                 scopes);
        emit_call(b->out, "    ", "status = tq_raw_get(", args);
        break;
    case TQ_SCHEMA_OP_DELETE:
        snprintf(args, sizeof args, "ctx, %s, %s, keys, count, detail", desc, scopes);
        emit_call(b->out, "    ", "status = tq_raw_delete_keys(", args);
        return;
    case TQ_SCHEMA_OP_DELETE_WHERE:
        gen_put(b->out, "    if (filter == NULL) {\n");
        emit_fail(b, "    ", "TQ_EINVAL", "filter is NULL");
        gen_put(b->out, "    }\n");
        gen_printf(b->out, "    raw_filter = %s_%s_filter_build(filter, &conditions);\n", s->name, c->name);
        gen_put(b->out, "    if (raw_filter == NULL) {\n");
        emit_fail(b, "    ", "TQ_ENOMEM", "out of memory");
        gen_put(b->out, "    }\n    if (conditions == 0) {\n");
        emit_fail(b, "    ", "TQ_EINVAL", "the filter sets no condition");
        gen_put(b->out, "    }\n");
        snprintf(args, sizeof args, "ctx, %s, %s, raw_filter, detail", desc, scopes);
        emit_call(b->out, "    ", "status = tq_raw_delete_filter(", args);
        return;
    case TQ_SCHEMA_OP_SEARCH:
        if (gen_op_takes_filter(c, op)) emit_optional_filter(b, s, c);
        snprintf(args, sizeof args,
                 "ctx, %s, %s, vector, vector_len, %s, limit, score_threshold, 0, &result, detail",
                 desc, scopes, filter_arg);
        emit_call(b->out, "    ", "status = tq_raw_search(", args);
        break;
    case TQ_SCHEMA_OP_COUNT:
        if (gen_op_takes_filter(c, op)) emit_optional_filter(b, s, c);
        snprintf(args, sizeof args, "ctx, %s, %s, %s, out, detail", desc, scopes, filter_arg);
        emit_call(b->out, "    ", "status = tq_raw_count(", args);
        return;
    case TQ_SCHEMA_OP_SCROLL:
        if (gen_op_takes_filter(c, op)) emit_optional_filter(b, s, c);
        snprintf(args, sizeof args, "ctx, %s, %s, %s, limit, cursor, 0, &result, detail", desc,
                 scopes, filter_arg);
        emit_call(b->out, "    ", "status = tq_raw_scroll(", args);
        break;
    default:
        if (!gen_is_retrieval_op(op)) return;
        if (gen_op_takes_filter(c, op)) emit_optional_filter(b, s, c);
        gen_retrieval_args(args, sizeof args, s, c, op, scopes, filter_arg);
        emit_call(b->out, "    ", "status = tq_raw_retrieve(", args);
        break;
    }
    gen_put(b->out, "    if (status != TQ_OK) {\n        goto cleanup;\n    }\n");
    b->jumps = 1;
    gen_printf(b->out, "    status = %s_%s_records_from_raw(&result, out, detail);\n", s->name, c->name);
}

/* One generated operation: declarations, argument checks, the request, and a single
 * cleanup label when anything can jump to it. */
static void emit_operation(gen_buf_t *out, const tq_schema_t *s, const tq_schema_collection_t *c,
                           tq_schema_op_t op) {
    char name[GEN_NAME_MAX], what[GEN_NAME_MAX * 2];
    gen_params_t params;
    body_t b;
    int records = op == TQ_SCHEMA_OP_GET || op == TQ_SCHEMA_OP_SEARCH ||
                  op == TQ_SCHEMA_OP_SCROLL || gen_is_retrieval_op(op);
    int filter = gen_op_takes_filter(c, op);
    size_t i;

    gen_op_name(name, sizeof name, s, c, op);
    gen_op_params(s, c, op, &params);
    b.out = out;
    b.schema = s->name;
    b.function = name;
    b.jumps = 0;

    emit_signature(out, "tq_status_t ", name, &params, " {\n");
    if (c->scope_count > 0) {
        gen_put(out, "    const char *const scope_values[] = {");
        for (i = 0; i < c->scope_count; i++) gen_printf(out, "%s%s", i > 0 ? ", " : "", c->scopes[i].name);
        gen_put(out, "};\n");
    }
    if (op == TQ_SCHEMA_OP_UPSERT) gen_put(out, "    tq_raw_batch_t *batch = NULL;\n");
    if (filter) gen_put(out, "    tq_raw_filter_t *raw_filter = NULL;\n");
    if (records) gen_put(out, "    tq_raw_result_t result;\n");
    if (op == TQ_SCHEMA_OP_DELETE_WHERE) gen_put(out, "    size_t conditions = 0;\n");
    if (op == TQ_SCHEMA_OP_UPSERT) gen_put(out, "    size_t i;\n");
    gen_put(out, "    tq_status_t status;\n\n");
    if (records) gen_put(out, "    memset(&result, 0, sizeof result);\n");
    for (i = 0; i < c->scope_count; i++) {
        gen_printf(out, "    if (%s == NULL) {\n", c->scopes[i].name);
        snprintf(what, sizeof what, "scope %s is NULL", c->scopes[i].name);
        emit_fail(&b, "    ", "TQ_ESCOPE", what);
        gen_put(out, "    }\n");
    }
    if (records) {
        gen_put(out, "    if (out == NULL) {\n");
        emit_fail(&b, "    ", "TQ_EINVAL", "out is NULL");
        gen_put(out, "    }\n");
    }
    emit_op_body(&b, s, c, op, c->scope_count > 0 ? "scope_values" : "NULL");
    if (b.jumps) {
        gen_put(out, "\ncleanup:\n");
        if (op == TQ_SCHEMA_OP_UPSERT) gen_put(out, "    tq_raw_batch_free(batch);\n");
        if (filter) gen_put(out, "    tq_raw_filter_free(raw_filter);\n");
        if (records) gen_put(out, "    tq_raw_result_free(&result);\n");
    }
    gen_put(out, "    return status;\n}\n\n");
}

/* The file's static helpers, each emitted only when some function uses it (unused
 * static functions would break -Werror builds of the generated code). */
static void emit_helpers(gen_buf_t *out, const tq_schema_t *s) {
    const char *sn = s->name;
    size_t i, j;
    int copy = 0, strings = 0;
    for (i = 0; i < s->collection_count; i++) {
        copy |= gen_returns_records(&s->collections[i]);
        for (j = 0; j < s->collections[i].field_count; j++)
            strings |= s->collections[i].fields[j].type == TQ_SCHEMA_KEYWORD_ARRAY;
    }
    gen_put(out, "/* Fills `detail` (when given) for an error found before any request was made, and\n"
                 " * returns `status`. */\n");
    gen_printf(out, "static tq_status_t %s_set_detail(tq_detail_t *detail, tq_status_t status, const char *message) {\n", sn);
    gen_put(out, "    if (detail != NULL) {\n");
    gen_put(out, "        detail->status = status;\n");
    gen_put(out, "        detail->http_status = 0;\n");
    gen_put(out, "        detail->items_done = 0;\n");
    gen_put(out, "        snprintf(detail->message, sizeof detail->message, \"%s\", message);\n");
    gen_put(out, "    }\n    return status;\n}\n\n");
    if (copy) {
        gen_put(out, "/* A malloc'd copy of `text`, or NULL when out of memory. */\n");
        gen_printf(out, "static char *%s_copy_string(const char *text) {\n", sn);
        gen_put(out, "    size_t size = strlen(text) + 1;\n");
        gen_put(out, "    char *copy = malloc(size);\n\n");
        gen_put(out, "    if (copy != NULL) {\n        memcpy(copy, text, size);\n    }\n");
        gen_put(out, "    return copy;\n}\n\n");
    }
    if (strings) {
        gen_put(out, "/* Frees `count` malloc'd strings and the array holding them. */\n");
        gen_printf(out, "static void %s_free_strings(char **strings, size_t count) {\n", sn);
        gen_put(out, "    size_t i;\n\n");
        gen_put(out, "    if (strings == NULL) {\n        return;\n    }\n");
        gen_put(out, "    for (i = 0; i < count; i++) {\n        free(strings[i]);\n    }\n");
        gen_put(out, "    free(strings);\n}\n\n");
    }
}

/* <schema>_onboard_tenant / <schema>_offboard_tenant over every collection in order;
 * the first failure stops the walk and is returned. */
static void emit_tenant_function(gen_buf_t *out, const tq_schema_t *s, const char *verb) {
    size_t i;
    gen_printf(out, "tq_status_t %s_%s_tenant(const tenant_ctx_t *ctx, tq_detail_t *detail) {\n", s->name, verb);
    gen_put(out, "    tq_status_t status;\n\n");
    gen_put(out, "    if (ctx == NULL) {\n");
    gen_printf(out, "        return %s_set_detail(detail, TQ_EINVAL, \"%s_%s_tenant: ctx is NULL\");\n",
               s->name, s->name, verb);
    gen_put(out, "    }\n");
    for (i = 0; i < s->collection_count; i++) {
        gen_printf(out, "    status = tq_raw_%s(ctx, &%s_%s_collection, detail);\n", verb, s->name,
                   s->collections[i].name);
        gen_put(out, "    if (status != TQ_OK) {\n        return status;\n    }\n");
    }
    gen_put(out, "    return TQ_OK;\n}\n\n");
}

void emit_source(gen_buf_t *out, const gen_input_t *in) {
    const tq_schema_t *s = in->schema;
    size_t i, op;

    emit_banner(out, in);
    gen_printf(out, "/* %s.tq.c: the implementation of %s.tq.h over the tenantq request layer.\n", s->name, s->name);
    gen_put(out, " *\n"
                 " * Each function hands typed values to <tenantq/raw.h>, which derives the collection\n"
                 " * name, the tenant and scope conditions and every point id from the context, and\n"
                 " * checks every returned point against the caller's tenant and scope. */\n");
    gen_put(out, "/* The definitions keep their run-time NULL checks: the header's nonnull\n"
                 " * attributes are a diagnostic for callers, not a promise to the optimiser. */\n");
    gen_put(out, "#define TQ_NO_NONNULL 1\n\n");
    gen_printf(out, "#include \"%s.tq.h\"\n\n", s->name);
    gen_put(out, "#include <tenantq/raw.h>\n\n");
    gen_put(out, "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n\n");
    emit_helpers(out, s);
    for (i = 0; i < s->collection_count; i++) {
        const tq_schema_collection_t *c = &s->collections[i];
        gen_printf(out, "/* ---- collection %s ---- */\n\n", c->name);
        emit_descriptor(out, s, c);
        emit_records_free(out, s, c);
        if (tq_schema_filterable_count(c) > 0) {
            int used = 0;
            for (op = 0; op < TQ_SCHEMA_OP_LAST; op++)
                used |= tq_schema_has_op(c, (tq_schema_op_t)op) && gen_op_takes_filter(c, (tq_schema_op_t)op);
            if (used) emit_filter_build(out, s, c);
        }
        if (gen_returns_records(c)) emit_record_conversion(out, s, c);
        for (op = 0; op < TQ_SCHEMA_OP_LAST; op++)
            if (tq_schema_has_op(c, (tq_schema_op_t)op)) emit_operation(out, s, c, (tq_schema_op_t)op);
    }
    gen_put(out, "/* ---- tenants ---- */\n\n");
    emit_tenant_function(out, s, "onboard");
    emit_tenant_function(out, s, "offboard");
}
