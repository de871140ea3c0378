/* parser.c: recursive-descent parser for .tqs schema files.
 *
 * Builds the tree of tq_schema_t from tokens, reporting every syntax error it meets
 * (up to the cap) and resynchronising at the next ';' or '}' so one typo does not hide
 * the rest. It checks only the shape of the text: names, ranges and collisions are
 * checks.c's job. It must never crash or leak on any input, including truncated files,
 * NUL bytes and allocation failures at any point. */
#include "parser.h"

#include "diag.h"
#include "lexer.h"
#include "mem.h"

#include <string.h>

typedef struct parser {
    tqs_lexer_t lexer;
    tqs_token_t tok;
    tq_schema_diags_t *diags;
    tq_schema_t *schema;
    const tq_schema_allocator_t *a;
    int nomem;
} parser_t;

static const char *const TYPE_WORDS[] = {"keyword", "text", "integer", "float", "bool",
                                         "datetime", "uuid"};
static const char *const DISTANCE_WORDS[] = {"Cosine", "Dot", "Euclid", "Manhattan"};
static const char *const PLACEMENT_WORDS[] = {"collection", "shared", "dedicated"};
static const char *const OP_WORDS[] = {"upsert", "get", "delete", "delete_where",
                                       "search", "count", "scroll", "text_search",
                                       "hybrid", "search_groups"};
static const char *const FUSION_WORDS[] = {"rrf", "dbsf"};
#define OP_LIST "upsert, get, delete, delete_where, search, count, scroll, text_search, " \
                "hybrid or search_groups"

#define COUNT_OF(array) (sizeof(array) / sizeof((array)[0]))

static int stopped(const parser_t *p) { return p->nomem || tqs_diag_stopped(p->diags); }

/* Advances to the next token, reporting and skipping bytes that start no token. */
static void next(parser_t *p) {
    char what[64];
    for (;;) {
        tqs_lexer_next(&p->lexer, &p->tok);
        if (p->tok.kind != TQS_TOK_BAD) return;
        tqs_report(p->diags, &p->nomem, TQ_SCHEMA_ERROR, p->tok.pos, "unexpected %s",
               tqs_token_describe(&p->tok, what, sizeof what));
    }
}

/* Reports "expected X, found Y" at the current token. */
static void expected(parser_t *p, const char *what) {
    char found[64];
    tqs_token_describe(&p->tok, found, sizeof found);
    tqs_report(p->diags, &p->nomem, TQ_SCHEMA_ERROR, p->tok.pos, "expected %s, found %s", what,
               found);
}

/* Skips to just after the next ';', or to the next '}' or end of file. */
static void skip_statement(parser_t *p) {
    while (p->tok.kind != TQS_TOK_EOF && p->tok.kind != TQS_TOK_SEMI &&
           p->tok.kind != TQS_TOK_RBRACE && !p->nomem)
        next(p);
    if (p->tok.kind == TQS_TOK_SEMI) next(p);
}

static int accept(parser_t *p, tqs_token_kind_t kind) {
    if (p->tok.kind != kind) return 0;
    next(p);
    return 1;
}

static int expect(parser_t *p, tqs_token_kind_t kind, const char *what) {
    if (accept(p, kind)) return 1;
    expected(p, what);
    return 0;
}

/* Copies the current identifier into *out and advances. Returns 0 when the token is
 * not an identifier (reported) or memory ran out. */
static int take_name(parser_t *p, const char *what, char **out, tq_schema_pos_t *pos) {
    if (p->tok.kind != TQS_TOK_IDENT) {
        expected(p, what);
        return 0;
    }
    *out = tqs_strndup(p->a, p->tok.text, p->tok.len);
    if (*out == NULL) {
        p->nomem = 1;
        return 0;
    }
    if (pos != NULL) *pos = p->tok.pos;
    next(p);
    return 1;
}

/* Index of the current identifier in `words`, or -1. */
static int word_index(const parser_t *p, const char *const *words, size_t count) {
    size_t i;
    for (i = 0; i < count; i++)
        if (tqs_token_is(&p->tok, words[i])) return (int)i;
    return -1;
}

/* Reports "unknown KIND 'x' (expected LIST)" at the current token. */
static void unknown_word(parser_t *p, const char *kind, const char *list) {
    char found[64];
    tqs_token_describe(&p->tok, found, sizeof found);
    tqs_report(p->diags, &p->nomem, TQ_SCHEMA_ERROR, p->tok.pos, "unknown %s %s (expected %s)",
               kind, found, list);
}

/* `vector NAME dim N distance D;`. On a syntax error the collection still counts as
 * having a vector, so the checks do not add "declares no vector" to the report. */
static void parse_vector(parser_t *p, tq_schema_collection_t *c, tq_schema_pos_t at) {
    int distance;
    if (c->has_vector) tqs_report(p->diags, &p->nomem, TQ_SCHEMA_ERROR, at, "duplicate 'vector' in collection '%s'", c->name);
    next(p);
    tqs_free(p->a, c->vector_name);
    c->vector_name = NULL;
    if (!take_name(p, "a vector name", &c->vector_name, &c->vector_pos)) goto fail;
    if (!tqs_token_is(&p->tok, "dim")) {
        expected(p, "'dim'");
        goto fail;
    }
    next(p);
    if (p->tok.kind != TQS_TOK_INT) {
        expected(p, "the vector dimension");
        goto fail;
    }
    c->dim = p->tok.value;
    c->dim_pos = p->tok.pos;
    next(p);
    if (!tqs_token_is(&p->tok, "distance")) {
        expected(p, "'distance'");
        goto fail;
    }
    next(p);
    distance = word_index(p, DISTANCE_WORDS, COUNT_OF(DISTANCE_WORDS));
    if (distance < 0) {
        unknown_word(p, "distance", "Cosine, Dot, Euclid or Manhattan");
        goto fail;
    }
    c->distance = (tq_schema_distance_t)distance;
    next(p);
    c->has_vector = 1;
    if (!expect(p, TQS_TOK_SEMI, "';'")) goto fail;
    return;
fail:
    c->has_vector = 1;
    skip_statement(p);
}

/* `placement collection|shared|dedicated;` (at most once per collection). */
static void parse_placement(parser_t *p, tq_schema_collection_t *c, int *seen,
                            tq_schema_pos_t at) {
    int placement;
    if (*seen) tqs_report(p->diags, &p->nomem, TQ_SCHEMA_ERROR, at, "duplicate 'placement' in collection '%s'", c->name);
    *seen = 1;
    next(p);
    placement = word_index(p, PLACEMENT_WORDS, COUNT_OF(PLACEMENT_WORDS));
    if (placement < 0) {
        unknown_word(p, "placement", "collection, shared or dedicated");
        skip_statement(p);
        return;
    }
    c->placement = (tq_schema_placement_t)placement;
    next(p);
    if (!expect(p, TQS_TOK_SEMI, "';'")) skip_statement(p);
}

/* `scope NAME;`; a scope whose name is missing is dropped after the report. */
static void parse_scope(parser_t *p, tq_schema_collection_t *c) {
    tq_schema_scope_t *scope;
    next(p);
    scope = tqs_push(p->a, (void **)&c->scopes, &c->scope_count, sizeof *scope);
    if (scope == NULL) {
        p->nomem = 1;
        return;
    }
    if (!take_name(p, "a scope name", &scope->name, &scope->pos) ||
        !expect(p, TQS_TOK_SEMI, "';'")) {
        if (scope->name == NULL) c->scope_count--;
        skip_statement(p);
    }
}

/* Parses TYPE after "field NAME:"; returns 0 after reporting a bad type. */
static int parse_type(parser_t *p, tq_schema_type_t *type) {
    int index = word_index(p, TYPE_WORDS, COUNT_OF(TYPE_WORDS));
    tqs_token_t word = p->tok;
    if (index < 0) {
        unknown_word(p, "type",
                     "keyword, text, integer, float, bool, datetime, uuid, keyword[] or integer[]");
        return 0;
    }
    next(p);
    *type = (tq_schema_type_t)index;
    if (p->tok.kind != TQS_TOK_LBRACKET) return 1;
    next(p);
    if (!expect(p, TQS_TOK_RBRACKET, "']'")) return 0;
    if (*type == TQ_SCHEMA_KEYWORD) {
        *type = TQ_SCHEMA_KEYWORD_ARRAY;
    } else if (*type == TQ_SCHEMA_INTEGER) {
        *type = TQ_SCHEMA_INTEGER_ARRAY;
    } else {
        tqs_report(p->diags, &p->nomem, TQ_SCHEMA_ERROR, word.pos,
               "'%s[]' is not a type; only keyword[] and integer[] arrays exist",
               TYPE_WORDS[index]);
        return 0;
    }
    return 1;
}

/* `was OLD` after a field's type: the field was called OLD before. Given twice is an
 * error (a field has one previous payload key). Returns 0 when the name is missing. */
static int parse_was(parser_t *p, tq_schema_field_t *field) {
    tq_schema_pos_t at = p->tok.pos;
    next(p);
    if (field->was != NULL) {
        tqs_report(p->diags, &p->nomem, TQ_SCHEMA_ERROR, at,
                   "field '%s' declares 'was' twice (a field has one previous name)",
                   field->name);
        tqs_free(p->a, field->was);
        field->was = NULL;
    }
    return take_name(p, "the field's previous name after 'was'", &field->was, &field->was_pos);
}

/* Zero or more of `indexed`, `filterable`, `required` and `was OLD`; a repeated flag is
 * a warning. Returns 0 when `was` lacks its name (reported). */
static int parse_modifiers(parser_t *p, tq_schema_field_t *field) {
    while (p->tok.kind == TQS_TOK_IDENT && !stopped(p)) {
        int *flag = NULL;
        if (tqs_token_is(&p->tok, "was")) {
            if (!parse_was(p, field)) return 0;
            continue;
        }
        if (tqs_token_is(&p->tok, "indexed")) flag = &field->indexed;
        if (tqs_token_is(&p->tok, "filterable")) flag = &field->filterable;
        if (tqs_token_is(&p->tok, "required")) flag = &field->required;
        if (flag == NULL) {
            unknown_word(p, "field option", "indexed, filterable, required or 'was NAME'");
        } else if (*flag) {
            char word[64];
            tqs_report(p->diags, &p->nomem, TQ_SCHEMA_WARNING, p->tok.pos, "field option %s given twice",
                   tqs_token_describe(&p->tok, word, sizeof word));
        }
        if (flag != NULL) *flag = 1;
        next(p);
    }
    return 1;
}

/* `field NAME: TYPE OPTIONS;`; the field is added only when the whole statement
 * parsed, so later checks never see half a field. */
static void parse_field(parser_t *p, tq_schema_collection_t *c) {
    tq_schema_field_t field;
    tq_schema_field_t *slot;
    memset(&field, 0, sizeof field);
    next(p);
    if (!take_name(p, "a field name", &field.name, &field.pos)) goto fail;
    if (!expect(p, TQS_TOK_COLON, "':' after the field name")) goto fail;
    if (!parse_type(p, &field.type)) goto fail;
    if (!parse_modifiers(p, &field)) goto fail;
    if (!expect(p, TQS_TOK_SEMI, "';'")) goto fail;
    slot = tqs_push(p->a, (void **)&c->fields, &c->field_count, sizeof *slot);
    if (slot == NULL) {
        p->nomem = 1;
        goto fail;
    }
    *slot = field;
    return;
fail:
    tqs_free(p->a, field.name);
    tqs_free(p->a, field.was);
    skip_statement(p);
}

/* `ops OP, OP...;`; a repeated operation is a warning. */
static void parse_ops(parser_t *p, tq_schema_collection_t *c, tq_schema_pos_t at) {
    if (c->has_ops) tqs_report(p->diags, &p->nomem, TQ_SCHEMA_ERROR, at, "duplicate 'ops' in collection '%s'", c->name);
    c->has_ops = 1;
    next(p);
    for (;;) {
        int op = word_index(p, OP_WORDS, COUNT_OF(OP_WORDS));
        if (op < 0) {
            if (p->tok.kind == TQS_TOK_IDENT)
                unknown_word(p, "operation", OP_LIST);
            else
                expected(p, "an operation");
            skip_statement(p);
            return;
        }
        if (c->ops & (1u << op))
            tqs_report(p->diags, &p->nomem, TQ_SCHEMA_WARNING, p->tok.pos, "operation '%s' listed twice", OP_WORDS[op]);
        c->ops |= 1u << op;
        next(p);
        if (accept(p, TQS_TOK_SEMI)) return;
        if (!expect(p, TQS_TOK_COMMA, "',' or ';'")) {
            skip_statement(p);
            return;
        }
    }
}

/* `sparse NAME from FIELD {, FIELD};` (at most once per collection). */
static void parse_sparse(parser_t *p, tq_schema_collection_t *c, tq_schema_pos_t at) {
    if (c->has_sparse)
        tqs_report(p->diags, &p->nomem, TQ_SCHEMA_ERROR, at,
                   "duplicate 'sparse' in collection '%s'", c->name);
    c->has_sparse = 1;
    next(p);
    tqs_free(p->a, c->sparse_name);
    c->sparse_name = NULL;
    if (!take_name(p, "a sparse vector name", &c->sparse_name, &c->sparse_pos)) goto fail;
    if (!tqs_token_is(&p->tok, "from")) {
        expected(p, "'from'");
        goto fail;
    }
    next(p);
    for (;;) {
        tq_schema_name_ref_t ref;
        tq_schema_name_ref_t *slot;
        memset(&ref, 0, sizeof ref);
        if (!take_name(p, "a text field name", &ref.name, &ref.pos)) goto fail;
        slot = tqs_push(p->a, (void **)&c->sparse_fields, &c->sparse_field_count, sizeof *slot);
        if (slot == NULL) {
            tqs_free(p->a, ref.name);
            p->nomem = 1;
            return;
        }
        *slot = ref;
        if (accept(p, TQS_TOK_SEMI)) return;
        if (!expect(p, TQS_TOK_COMMA, "',' or ';'")) goto fail;
    }
fail:
    skip_statement(p);
}

/* `fusion rrf|dbsf;` (at most once per collection). */
static void parse_fusion(parser_t *p, tq_schema_collection_t *c, tq_schema_pos_t at) {
    int fusion;
    if (c->has_fusion)
        tqs_report(p->diags, &p->nomem, TQ_SCHEMA_ERROR, at,
                   "duplicate 'fusion' in collection '%s'", c->name);
    c->has_fusion = 1;
    c->fusion_pos = at;
    next(p);
    fusion = word_index(p, FUSION_WORDS, COUNT_OF(FUSION_WORDS));
    if (fusion < 0) {
        unknown_word(p, "fusion", "rrf or dbsf");
        skip_statement(p);
        return;
    }
    c->fusion = (tq_schema_fusion_t)fusion;
    next(p);
    if (!expect(p, TQS_TOK_SEMI, "';'")) skip_statement(p);
}

/* `group by FIELD;` (at most once per collection). */
static void parse_group(parser_t *p, tq_schema_collection_t *c, tq_schema_pos_t at) {
    if (c->group_field != NULL)
        tqs_report(p->diags, &p->nomem, TQ_SCHEMA_ERROR, at,
                   "duplicate 'group' in collection '%s'", c->name);
    next(p);
    if (!tqs_token_is(&p->tok, "by")) {
        expected(p, "'by'");
        skip_statement(p);
        return;
    }
    next(p);
    tqs_free(p->a, c->group_field);
    c->group_field = NULL;
    if (!take_name(p, "a keyword field name", &c->group_field, &c->group_pos) ||
        !expect(p, TQS_TOK_SEMI, "';'"))
        skip_statement(p);
}

/* One declaration inside a collection; unknown words are reported and skipped. */
static void parse_member(parser_t *p, tq_schema_collection_t *c, int *placement_seen) {
    tq_schema_pos_t at = p->tok.pos;
    if (tqs_token_is(&p->tok, "vector")) {
        parse_vector(p, c, at);
    } else if (tqs_token_is(&p->tok, "placement")) {
        parse_placement(p, c, placement_seen, at);
    } else if (tqs_token_is(&p->tok, "scope")) {
        parse_scope(p, c);
    } else if (tqs_token_is(&p->tok, "field")) {
        parse_field(p, c);
    } else if (tqs_token_is(&p->tok, "ops")) {
        parse_ops(p, c, at);
    } else if (tqs_token_is(&p->tok, "sparse")) {
        parse_sparse(p, c, at);
    } else if (tqs_token_is(&p->tok, "fusion")) {
        parse_fusion(p, c, at);
    } else if (tqs_token_is(&p->tok, "group")) {
        parse_group(p, c, at);
    } else {
        if (p->tok.kind == TQS_TOK_IDENT)
            unknown_word(p, "declaration",
                         "vector, placement, scope, field, sparse, fusion, group or ops");
        else
            expected(p, "a declaration");
        next(p);
        skip_statement(p);
    }
}

/* `collection NAME { ... }`. A missing name is recorded as "" (reported here, skipped
 * by the checks); without '{' the parser skips to the next '{' or collection. */
static void parse_collection(parser_t *p) {
    tq_schema_collection_t *c;
    int placement_seen = 0;
    next(p);
    c = tqs_push(p->a, (void **)&p->schema->collections, &p->schema->collection_count, sizeof *c);
    if (c == NULL) {
        p->nomem = 1;
        return;
    }
    c->pos = p->tok.pos;
    c->revision = 1;
    if (!take_name(p, "a collection name", &c->name, &c->pos)) {
        c->name = tqs_strndup(p->a, "", 0);
        if (c->name == NULL) p->nomem = 1;
    }
    if (tqs_token_is(&p->tok, "revision")) {
        next(p);
        if (p->tok.kind == TQS_TOK_INT) {
            c->revision = p->tok.value;
            c->revision_pos = p->tok.pos;
            next(p);
        } else {
            expected(p, "the revision number after 'revision'");
        }
    }
    if (!expect(p, TQS_TOK_LBRACE, "'{'")) {
        while (p->tok.kind != TQS_TOK_EOF && p->tok.kind != TQS_TOK_LBRACE &&
               !tqs_token_is(&p->tok, "collection") && !p->nomem)
            next(p);
        if (!accept(p, TQS_TOK_LBRACE)) return;
    }
    while (p->tok.kind != TQS_TOK_RBRACE && p->tok.kind != TQS_TOK_EOF && !stopped(p))
        parse_member(p, c, &placement_seen);
    if (!stopped(p) && expect(p, TQS_TOK_RBRACE, "'}' closing the collection")) return;
}

/* `schema NAME version N;`, which must open the file. */
static void parse_header(parser_t *p) {
    if (!tqs_token_is(&p->tok, "schema")) {
        expected(p, "'schema NAME version N;'");
        return;
    }
    next(p);
    if (!take_name(p, "the schema name", &p->schema->name, &p->schema->pos)) goto fail;
    if (!tqs_token_is(&p->tok, "version")) {
        expected(p, "'version'");
        goto fail;
    }
    next(p);
    if (p->tok.kind != TQS_TOK_INT) {
        expected(p, "the schema version number");
        goto fail;
    }
    p->schema->version = p->tok.value;
    next(p);
    if (expect(p, TQS_TOK_SEMI, "';'")) return;
fail:
    skip_statement(p);
}

/* The header, then collections until end of file or the error cap; stray tokens at
 * the top level are reported once and skipped up to the next `collection`. */
static void parse_file(parser_t *p) {
    next(p);
    parse_header(p);
    while (p->tok.kind != TQS_TOK_EOF && !stopped(p)) {
        if (tqs_token_is(&p->tok, "collection")) {
            parse_collection(p);
            continue;
        }
        if (tqs_token_is(&p->tok, "schema"))
            tqs_report(p->diags, &p->nomem, TQ_SCHEMA_ERROR, p->tok.pos, "%s", "a file declares one schema");
        else
            expected(p, "'collection'");
        next(p);
        while (p->tok.kind != TQS_TOK_EOF && !tqs_token_is(&p->tok, "collection") && !stopped(p))
            next(p);
    }
}

int tqs_parse(const char *text, size_t len, const tq_schema_allocator_t *allocator,
              tq_schema_t **out, tq_schema_diags_t *diags) {
    parser_t p;
    tq_schema_allocator_t a;

    *out = NULL;
    tqs_mem_init(&a, allocator);
    memset(&p, 0, sizeof p);
    p.schema = tqs_alloc(&a, sizeof *p.schema);
    if (p.schema == NULL) return -1;
    memset(p.schema, 0, sizeof *p.schema);
    p.schema->allocator = a;
    p.schema->version = 1; /* a header that fails to parse is reported once, there */
    p.a = &p.schema->allocator;
    p.diags = diags;
    tqs_lexer_init(&p.lexer, text, len);
    parse_file(&p);
    if (p.nomem) {
        tq_schema_free(p.schema);
        return -1;
    }
    *out = p.schema;
    return 0;
}
