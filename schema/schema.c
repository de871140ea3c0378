/* schema.c: the schema library's entry point (tq_schema_load), freeing a tree, and
 * the spellings of types, distances, placements and operations.
 *
 * Loading is parse, then checks over whatever the parse recovered (so one run lists
 * syntax and semantic errors together, sorted by position); the C-name collision check
 * runs only on an otherwise clean schema, where it cannot echo another error. Never
 * prints, never exits. */
#include "schema.h"

#include "checks.h"
#include "diag.h"
#include "mem.h"
#include "parser.h"

static const char *const TYPE_NAMES[] = {"keyword", "text", "integer", "float", "bool",
                                         "datetime", "uuid", "keyword[]", "integer[]"};
static const char *const DISTANCE_NAMES[] = {"Cosine", "Dot", "Euclid", "Manhattan"};
static const char *const PLACEMENT_NAMES[] = {"collection", "shared", "dedicated"};
static const char *const OP_NAMES[] = {"upsert", "get", "delete", "delete_where",
                                       "search", "count", "scroll", "text_search",
                                       "hybrid", "search_groups"};
static const char *const FUSION_NAMES[] = {"rrf", "dbsf"};

const char *tq_schema_type_name(tq_schema_type_t type) {
    return (unsigned)type < 9 ? TYPE_NAMES[type] : "?";
}

const char *tq_schema_distance_name(tq_schema_distance_t distance) {
    return (unsigned)distance < 4 ? DISTANCE_NAMES[distance] : "?";
}

const char *tq_schema_placement_name(tq_schema_placement_t placement) {
    return (unsigned)placement < 3 ? PLACEMENT_NAMES[placement] : "?";
}

const char *tq_schema_op_name(tq_schema_op_t op) {
    return (unsigned)op < TQ_SCHEMA_OP_LAST ? OP_NAMES[op] : "?";
}

const char *tq_schema_fusion_name(tq_schema_fusion_t fusion) {
    return (unsigned)fusion < 2 ? FUSION_NAMES[fusion] : "?";
}

int tq_schema_has_op(const tq_schema_collection_t *collection, tq_schema_op_t op) {
    return (collection->ops & (1u << op)) != 0;
}

int tq_schema_field_filterable(const tq_schema_field_t *field) {
    if (field->type == TQ_SCHEMA_TEXT) return field->indexed;
    return field->indexed || field->filterable;
}

size_t tq_schema_filterable_count(const tq_schema_collection_t *collection) {
    size_t i, n = 0;
    for (i = 0; i < collection->field_count; i++)
        if (tq_schema_field_filterable(&collection->fields[i])) n++;
    return n;
}

void tq_schema_free(tq_schema_t *schema) {
    const tq_schema_allocator_t *a;
    size_t i, j;
    if (schema == NULL) return;
    a = &schema->allocator;
    for (i = 0; i < schema->collection_count; i++) {
        tq_schema_collection_t *c = &schema->collections[i];
        for (j = 0; j < c->scope_count; j++) tqs_free(a, c->scopes[j].name);
        for (j = 0; j < c->field_count; j++) {
            tqs_free(a, c->fields[j].name);
            tqs_free(a, c->fields[j].was);
        }
        tqs_free(a, c->scopes);
        tqs_free(a, c->fields);
        tqs_free(a, c->name);
        tqs_free(a, c->vector_name);
        for (j = 0; j < c->sparse_field_count; j++) tqs_free(a, c->sparse_fields[j].name);
        tqs_free(a, c->sparse_fields);
        tqs_free(a, c->sparse_name);
        tqs_free(a, c->group_field);
    }
    tqs_free(a, schema->collections);
    tqs_free(a, schema->name);
    /* The allocator lives inside the block it frees: copy it first. */
    {
        tq_schema_allocator_t copy = schema->allocator;
        tqs_free(&copy, schema);
    }
}

tq_schema_status_t tq_schema_load(const char *text, size_t len,
                                  const tq_schema_allocator_t *allocator, tq_schema_t **out,
                                  tq_schema_diags_t *diags) {
    tq_schema_t *schema = NULL;
    tq_schema_pos_t whole = {0, 0};

    tqs_mem_init(&diags->allocator, allocator);
    if (len > TQ_SCHEMA_MAX_TEXT) {
        if (tqs_diag(diags, TQ_SCHEMA_ERROR, whole, "schema is larger than %d bytes",
                     TQ_SCHEMA_MAX_TEXT) != 0)
            return TQ_SCHEMA_NOMEM;
        return TQ_SCHEMA_INVALID;
    }
    if (tqs_parse(text, len, allocator, &schema, diags) != 0) return TQ_SCHEMA_NOMEM;
    if (!diags->truncated && tqs_check(schema, diags) != 0) {
        tq_schema_free(schema);
        return TQ_SCHEMA_NOMEM;
    }
    tqs_diag_sort(diags);
    if (diags->errors > 0 || diags->truncated) {
        tq_schema_free(schema);
        return TQ_SCHEMA_INVALID;
    }
    *out = schema;
    return TQ_SCHEMA_OK;
}
