/* checks.c: semantic checks of a parsed schema: names, ranges, duplicates, reserved
 * words and prefixes, and operations that need something the collection lacks.
 *
 * Every check reports and goes on, so one run lists every problem up to the cap. The
 * tree is only read. Collisions of generated C names are in names.c. */
#include "checks.h"

#include "diag.h"

#include <string.h>

/* Parameters and locals of generated functions: a scope (a parameter itself) must not
 * take one of these names. */
static const char *const GENERATED_LOCALS[] = {
    "batch", "conditions", "count", "ctx", "cursor", "detail", "filter", "i", "keys",
    "limit", "out", "point", "points", "query", "raw_filter", "result", "score_threshold",
    "scope_values", "status", "text", "vector", "vector_len", "with_vector"};

typedef struct checker {
    const tq_schema_t *schema;
    tq_schema_diags_t *diags;
    int nomem;
} checker_t;

/* Checks the spelling rules every name obeys: [a-z][a-z0-9_]*, no "__", no trailing
 * '_', at most TQ_SCHEMA_NAME_MAX characters. Returns 1 when the name is well formed. */
static int check_spelling(checker_t *k, const char *kind, const char *name,
                          tq_schema_pos_t pos) {
    size_t i, len = strlen(name);
    if (len > TQ_SCHEMA_NAME_MAX) {
        tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, pos, "%s name '%.48s...' is longer than %d characters",
               kind, name, TQ_SCHEMA_NAME_MAX);
        return 0;
    }
    for (i = 0; i < len; i++) {
        char c = name[i];
        int ok = (c >= 'a' && c <= 'z') || (i > 0 && ((c >= '0' && c <= '9') || c == '_'));
        if (!ok) {
            tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, pos,
                   "%s name '%s' must match [a-z][a-z0-9_]* (lowercase letters, digits, '_')",
                   kind, name);
            return 0;
        }
    }
    if (strstr(name, "__") != NULL) {
        tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, pos, "%s name '%s' must not contain '__'", kind, name);
        return 0;
    }
    if (len > 0 && name[len - 1] == '_') {
        tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, pos, "%s name '%s' must not end with '_'", kind, name);
        return 0;
    }
    return 1;
}

/* Names that become C identifiers of their own (fields, scopes) must also not be
 * keywords of C or C++ or macros of the C library. */
static void check_c_name(checker_t *k, const char *kind, const char *name, tq_schema_pos_t pos) {
    if (!check_spelling(k, kind, name, pos)) return;
    if (tqs_is_reserved_word(name))
        tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, pos,
               "%s name '%s' is a C or C++ keyword or a C library macro", kind, name);
}

static void check_payload_name(checker_t *k, const char *kind, const char *name,
                               tq_schema_pos_t pos) {
    if (strncmp(name, "tq_", 3) == 0)
        tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, pos,
               "%s name '%s' starts with 'tq_', which is reserved for tenantq's own fields",
               kind, name);
    else
        check_c_name(k, kind, name, pos);
}

/* Payload names of a collection: scopes and fields share one namespace. */
static void check_payload_duplicates(checker_t *k, const tq_schema_collection_t *c) {
    size_t i, j;
    for (i = 0; i < c->scope_count; i++)
        for (j = 0; j < i; j++)
            if (strcmp(c->scopes[i].name, c->scopes[j].name) == 0) {
                tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, c->scopes[i].pos,
                       "duplicate scope '%s' in collection '%s' (first at line %u)",
                       c->scopes[i].name, c->name, c->scopes[j].pos.line);
                break;
            }
    for (i = 0; i < c->field_count; i++) {
        const tq_schema_field_t *f = &c->fields[i];
        for (j = 0; j < i; j++)
            if (strcmp(f->name, c->fields[j].name) == 0) {
                tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, f->pos,
                       "duplicate field '%s' in collection '%s' (first at line %u)", f->name,
                       c->name, c->fields[j].pos.line);
                break;
            }
        for (j = 0; j < c->scope_count; j++)
            if (strcmp(f->name, c->scopes[j].name) == 0) {
                tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, f->pos, "field '%s' has the name of scope '%s' (line %u)",
                       f->name, c->scopes[j].name, c->scopes[j].pos.line);
                break;
            }
    }
}

/* Scope names, their count, and names reserved by the generated functions. */
static void check_scopes(checker_t *k, const tq_schema_collection_t *c) {
    size_t i, j;
    if (c->scope_count > TQ_SCHEMA_MAX_SCOPES)
        tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, c->scopes[TQ_SCHEMA_MAX_SCOPES].pos,
               "collection '%s' declares more than %d scopes", c->name, TQ_SCHEMA_MAX_SCOPES);
    for (i = 0; i < c->scope_count; i++) {
        const tq_schema_scope_t *s = &c->scopes[i];
        check_payload_name(k, "scope", s->name, s->pos);
        for (j = 0; j < sizeof GENERATED_LOCALS / sizeof GENERATED_LOCALS[0]; j++)
            if (strcmp(s->name, GENERATED_LOCALS[j]) == 0)
                tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, s->pos,
                       "scope name '%s' collides with a parameter of the generated functions",
                       s->name);
    }
}

/* Field names, their count, and options that make no sense for the type. */
static void check_fields(checker_t *k, const tq_schema_collection_t *c) {
    size_t i;
    if (c->field_count > TQ_SCHEMA_MAX_FIELDS)
        tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, c->fields[TQ_SCHEMA_MAX_FIELDS].pos,
               "collection '%s' declares more than %d fields", c->name, TQ_SCHEMA_MAX_FIELDS);
    for (i = 0; i < c->field_count; i++) {
        const tq_schema_field_t *f = &c->fields[i];
        check_payload_name(k, "field", f->name, f->pos);
        if (f->type == TQ_SCHEMA_TEXT && f->filterable)
            tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, f->pos,
                   "text field '%s' cannot be filterable: its full-text filter needs the "
                   "full-text index (declare it indexed)",
                   f->name);
        else if (f->filterable && !f->indexed)
            tqs_report(k->diags, &k->nomem, TQ_SCHEMA_WARNING, f->pos,
                   "field '%s' is filterable but not indexed: filters on it scan every point "
                   "(add 'indexed')",
                   f->name);
    }
}

/* The field of `c` called `name`, or NULL. */
static const tq_schema_field_t *find_field(const tq_schema_collection_t *c, const char *name) {
    size_t i;
    for (i = 0; i < c->field_count; i++)
        if (strcmp(c->fields[i].name, name) == 0) return &c->fields[i];
    return NULL;
}

/* The sparse vector, its text fields, the group field, and the operations that need
 * them. */
static void check_retrieval(checker_t *k, const tq_schema_collection_t *c) {
    static const tq_schema_op_t SPARSE_OPS[] = {TQ_SCHEMA_OP_TEXT_SEARCH, TQ_SCHEMA_OP_HYBRID};
    size_t i, j;
    if (c->has_sparse && c->sparse_name != NULL &&
        check_spelling(k, "sparse vector", c->sparse_name, c->sparse_pos) &&
        c->vector_name != NULL && strcmp(c->sparse_name, c->vector_name) == 0)
        tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, c->sparse_pos,
                   "sparse vector '%s' has the name of the dense vector", c->sparse_name);
    for (i = 0; i < c->sparse_field_count; i++) {
        const tq_schema_name_ref_t *r = &c->sparse_fields[i];
        const tq_schema_field_t *f = find_field(c, r->name);
        for (j = 0; j < i; j++)
            if (strcmp(c->sparse_fields[j].name, r->name) == 0) break;
        if (j < i)
            tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, r->pos,
                       "sparse vector '%s' names field '%s' twice", c->sparse_name, r->name);
        else if (f == NULL)
            tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, r->pos,
                       "sparse vector '%s' reads field '%s', which is not declared",
                       c->sparse_name, r->name);
        else if (f->type != TQ_SCHEMA_TEXT)
            tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, r->pos,
                       "sparse vector '%s' reads field '%s', which is %s, not text",
                       c->sparse_name, r->name, tq_schema_type_name(f->type));
    }
    for (i = 0; i < sizeof SPARSE_OPS / sizeof SPARSE_OPS[0]; i++)
        if (tq_schema_has_op(c, SPARSE_OPS[i]) && !c->has_sparse)
            tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, c->pos,
                       "collection '%s' allows %s but declares no sparse vector "
                       "('sparse NAME from FIELD;')",
                       c->name, tq_schema_op_name(SPARSE_OPS[i]));
    if (tq_schema_has_op(c, TQ_SCHEMA_OP_SEARCH_GROUPS) && c->group_field == NULL)
        tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, c->pos,
                   "collection '%s' allows search_groups but declares no 'group by FIELD;'",
                   c->name);
    if (c->group_field != NULL) {
        const tq_schema_field_t *f = find_field(c, c->group_field);
        if (f == NULL || f->type != TQ_SCHEMA_KEYWORD || !f->indexed)
            tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, c->group_pos,
                       "group field '%s' must be a declared keyword field with 'indexed'",
                       c->group_field);
    }
}

/* `was OLD` clauses: OLD is spelled like a field, differs from the field's own name,
 * is no current field or scope of the collection (reads would then take one stored key
 * for two fields), and no two fields claim the same OLD. */
static void check_renames(checker_t *k, const tq_schema_collection_t *c) {
    size_t i, j;
    for (i = 0; i < c->field_count; i++) {
        const tq_schema_field_t *f = &c->fields[i];
        if (f->was == NULL) continue;
        if (!check_spelling(k, "field", f->was, f->was_pos)) continue;
        if (strcmp(f->was, f->name) == 0) {
            tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, f->was_pos,
                       "field '%s' cannot be renamed from itself", f->name);
            continue;
        }
        for (j = 0; j < c->field_count; j++)
            if (strcmp(f->was, c->fields[j].name) == 0)
                tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, f->was_pos,
                           "field '%s' was '%s', but '%s' is still a field (line %u)", f->name,
                           f->was, f->was, c->fields[j].pos.line);
        for (j = 0; j < c->scope_count; j++)
            if (strcmp(f->was, c->scopes[j].name) == 0)
                tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, f->was_pos,
                           "field '%s' was '%s', which is a scope (line %u)", f->name, f->was,
                           c->scopes[j].pos.line);
        for (j = 0; j < i; j++)
            if (c->fields[j].was != NULL && strcmp(f->was, c->fields[j].was) == 0) {
                tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, f->was_pos,
                           "fields '%s' and '%s' both claim to have been '%s'",
                           c->fields[j].name, f->name, f->was);
                break;
            }
    }
}

/* Everything about one collection except duplicates against other collections. */
static void check_collection(checker_t *k, const tq_schema_collection_t *c) {
    if (c->name[0] == '\0') return; /* the parser reported the missing name */
    if (check_spelling(k, "collection", c->name, c->pos) && strncmp(c->name, "tq_", 3) == 0)
        tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, c->pos,
               "collection name '%s' starts with the reserved prefix 'tq_'", c->name);
    if (!c->has_vector) {
        tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, c->pos,
               "collection '%s' declares no vector ('vector NAME dim N distance D;')", c->name);
    } else {
        if (c->vector_name != NULL) check_spelling(k, "vector", c->vector_name, c->vector_pos);
        if (c->dim_pos.line == 0)
            ; /* the parser reported the missing dimension */
        else if (c->dim == UINT64_MAX)
            tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, c->dim_pos, "vector dimension is out of range 1..%u",
                   TQ_SCHEMA_DIM_MAX);
        else if (c->dim < 1 || c->dim > TQ_SCHEMA_DIM_MAX)
            tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, c->dim_pos,
                   "vector dimension %llu is out of range 1..%u", (unsigned long long)c->dim,
                   TQ_SCHEMA_DIM_MAX);
    }
    if (c->revision < 1 || c->revision > TQ_SCHEMA_REVISION_MAX)
        tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, c->revision_pos,
                   "collection '%s': revision must be 1..%lu", c->name,
                   (unsigned long)TQ_SCHEMA_REVISION_MAX);
    if (!c->has_ops)
        tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, c->pos,
               "collection '%s' allows no operations ('ops upsert, get, ...;')", c->name);
    if (tq_schema_has_op(c, TQ_SCHEMA_OP_DELETE_WHERE) && tq_schema_filterable_count(c) == 0)
        tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, c->pos,
               "collection '%s' allows delete_where but has no indexed or filterable field "
               "to filter on",
               c->name);
    check_scopes(k, c);
    check_fields(k, c);
    check_retrieval(k, c);
    check_payload_duplicates(k, c);
    check_renames(k, c);
}

/* The schema's name, version and number of collections. */
static void check_header(checker_t *k) {
    const tq_schema_t *s = k->schema;
    if (s->name == NULL) return;
    if (check_spelling(k, "schema", s->name, s->pos) &&
        (strcmp(s->name, "tq") == 0 || strncmp(s->name, "tq_", 3) == 0))
        tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, s->pos,
               "schema name '%s' uses the prefix 'tq', which is reserved for the runtime",
               s->name);
    if (s->version < 1 || s->version > UINT32_MAX)
        tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, s->pos, "schema version must be 1..%lu",
               (unsigned long)UINT32_MAX);
    if (s->collection_count == 0)
        tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, s->pos, "schema '%s' declares no collections", s->name);
    if (s->collection_count > TQ_SCHEMA_MAX_COLLECTIONS)
        tqs_report(k->diags, &k->nomem, TQ_SCHEMA_ERROR, s->collections[TQ_SCHEMA_MAX_COLLECTIONS].pos,
               "schema '%s' declares more than %d collections", s->name,
               TQ_SCHEMA_MAX_COLLECTIONS);
}

int tqs_check(const tq_schema_t *schema, tq_schema_diags_t *diags) {
    checker_t k;
    size_t i, j;
    k.schema = schema;
    k.diags = diags;
    k.nomem = 0;
    check_header(&k);
    for (i = 0; i < schema->collection_count && !k.nomem; i++) {
        const tq_schema_collection_t *c = &schema->collections[i];
        for (j = 0; j < i && c->name[0] != '\0'; j++)
            if (strcmp(c->name, schema->collections[j].name) == 0) {
                tqs_report(k.diags, &k.nomem, TQ_SCHEMA_ERROR, c->pos,
                       "duplicate collection '%s' (first at line %u)", c->name,
                       schema->collections[j].pos.line);
                break;
            }
        check_collection(&k, c);
    }
    if (k.nomem) return -1;
    if (diags->errors > 0 || schema->name == NULL) return 0;
    return tqs_check_mangled_names(schema, diags);
}
