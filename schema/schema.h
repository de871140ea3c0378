/* schema.h: the tenantq schema language (.tqs files) as a library.
 *
 * tq_schema_load() lexes, parses and checks one schema text and returns its syntax
 * tree plus every diagnostic (errors up to TQ_SCHEMA_MAX_ERRORS, and warnings). The
 * library never prints and never exits; every allocation goes through a caller-supplied
 * allocator so tests can make the Nth allocation fail. The language is described in
 * docs/schema.md. */
#ifndef TQ_SCHEMA_H
#define TQ_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Errors kept per run; the parse stops at the next one. */
#define TQ_SCHEMA_MAX_ERRORS 20
/* Warnings kept per run; later ones are dropped. */
#define TQ_SCHEMA_MAX_WARNINGS 100
/* Largest schema text accepted, in bytes. */
#define TQ_SCHEMA_MAX_TEXT (1024 * 1024)
/* Longest schema, collection, field, scope or vector name. */
#define TQ_SCHEMA_NAME_MAX 48
#define TQ_SCHEMA_DIM_MAX 65536u
#define TQ_SCHEMA_MAX_COLLECTIONS 64
#define TQ_SCHEMA_MAX_FIELDS 128
#define TQ_SCHEMA_MAX_SCOPES 8
#define TQ_SCHEMA_REVISION_MAX 4294967295u

typedef enum tq_schema_status {
    TQ_SCHEMA_OK = 0,      /* parsed and checked; warnings may be present */
    TQ_SCHEMA_INVALID = 1, /* at least one error diagnostic */
    TQ_SCHEMA_NOMEM = 2    /* an allocation failed; nothing is returned */
} tq_schema_status_t;

/* Allocation hooks. `user` is passed back to every call. NULL in tq_schema_load means
 * the C library's malloc, realloc and free. */
typedef struct tq_schema_allocator {
    void *(*alloc)(void *user, size_t size);
    void *(*realloc)(void *user, void *ptr, size_t size);
    void (*free)(void *user, void *ptr);
    void *user;
} tq_schema_allocator_t;

typedef struct tq_schema_pos {
    unsigned line; /* 1-based */
    unsigned col;  /* 1-based, in bytes */
} tq_schema_pos_t;

typedef enum tq_schema_type {
    TQ_SCHEMA_KEYWORD = 0,
    TQ_SCHEMA_TEXT = 1,
    TQ_SCHEMA_INTEGER = 2,
    TQ_SCHEMA_FLOAT = 3,
    TQ_SCHEMA_BOOL = 4,
    TQ_SCHEMA_DATETIME = 5,
    TQ_SCHEMA_UUID = 6,
    TQ_SCHEMA_KEYWORD_ARRAY = 7,
    TQ_SCHEMA_INTEGER_ARRAY = 8
} tq_schema_type_t;

typedef enum tq_schema_distance {
    TQ_SCHEMA_COSINE = 0,
    TQ_SCHEMA_DOT = 1,
    TQ_SCHEMA_EUCLID = 2,
    TQ_SCHEMA_MANHATTAN = 3
} tq_schema_distance_t;

typedef enum tq_schema_placement {
    TQ_SCHEMA_PLACE_COLLECTION = 0,
    TQ_SCHEMA_PLACE_SHARED = 1,
    TQ_SCHEMA_PLACE_DEDICATED = 2
} tq_schema_placement_t;

/* Operations, in the order generated code lists them. */
typedef enum tq_schema_op {
    TQ_SCHEMA_OP_UPSERT = 0,
    TQ_SCHEMA_OP_GET = 1,
    TQ_SCHEMA_OP_DELETE = 2,
    TQ_SCHEMA_OP_DELETE_WHERE = 3,
    TQ_SCHEMA_OP_SEARCH = 4,
    TQ_SCHEMA_OP_COUNT = 5,
    TQ_SCHEMA_OP_SCROLL = 6,
    TQ_SCHEMA_OP_TEXT_SEARCH = 7,   /* BM25 sparse vector only */
    TQ_SCHEMA_OP_HYBRID = 8,        /* dense and sparse candidates, fused */
    TQ_SCHEMA_OP_SEARCH_GROUPS = 9, /* best hit per value of the group field */
    TQ_SCHEMA_OP_LAST
} tq_schema_op_t;

typedef struct tq_schema_field {
    char *name;
    tq_schema_pos_t pos;
    tq_schema_type_t type;
    int indexed;    /* a payload index is created */
    int filterable; /* declared 'filterable': filter members without an index */
    int required;   /* upsert refuses a point without it */
    char *was;      /* 'was OLD': the payload key points written before a rename carry,
                       or NULL */
    tq_schema_pos_t was_pos;
} tq_schema_field_t;

/* How hybrid retrieval fuses its dense and sparse candidates. */
typedef enum tq_schema_fusion {
    TQ_SCHEMA_FUSION_RRF = 0, /* reciprocal rank fusion, the default */
    TQ_SCHEMA_FUSION_DBSF = 1 /* distribution-based score fusion */
} tq_schema_fusion_t;

/* A name used where it is written (the text fields of a sparse vector). */
typedef struct tq_schema_name_ref {
    char *name;
    tq_schema_pos_t pos;
} tq_schema_name_ref_t;

typedef struct tq_schema_scope {
    char *name;
    tq_schema_pos_t pos;
} tq_schema_scope_t;

typedef struct tq_schema_collection {
    char *name;
    tq_schema_pos_t pos;
    uint64_t revision; /* 'revision N'; 1 unless declared, checked against 1..2^32-1 */
    tq_schema_pos_t revision_pos;
    int has_vector;
    char *vector_name;
    tq_schema_pos_t vector_pos;
    uint64_t dim; /* as written; checked against 1..TQ_SCHEMA_DIM_MAX */
    tq_schema_pos_t dim_pos;
    tq_schema_distance_t distance;
    tq_schema_placement_t placement; /* TQ_SCHEMA_PLACE_COLLECTION unless declared */
    tq_schema_scope_t *scopes;
    size_t scope_count;
    tq_schema_field_t *fields;
    size_t field_count;
    int has_ops;
    unsigned ops; /* bit (1u << tq_schema_op_t) per allowed operation */
    /* `sparse NAME from FIELD, ...;`: a BM25 sparse vector over text fields. */
    int has_sparse;
    char *sparse_name;
    tq_schema_pos_t sparse_pos;
    tq_schema_name_ref_t *sparse_fields;
    size_t sparse_field_count;
    /* `fusion rrf|dbsf;` (RRF unless declared). */
    int has_fusion;
    tq_schema_fusion_t fusion;
    tq_schema_pos_t fusion_pos;
    /* `group by FIELD;`: the keyword field search_groups groups by, or NULL. */
    char *group_field;
    tq_schema_pos_t group_pos;
} tq_schema_collection_t;

typedef struct tq_schema {
    char *name;
    tq_schema_pos_t pos;
    uint64_t version;
    tq_schema_collection_t *collections;
    size_t collection_count;
    tq_schema_allocator_t allocator;
} tq_schema_t;

typedef enum tq_schema_severity { TQ_SCHEMA_ERROR = 0, TQ_SCHEMA_WARNING = 1 } tq_schema_severity_t;

typedef struct tq_schema_diag {
    tq_schema_severity_t severity;
    tq_schema_pos_t pos;
    char *message;
} tq_schema_diag_t;

/* Diagnostics of one load, ordered by position. Zero-initialise before use;
 * free with tq_schema_diags_free. */
typedef struct tq_schema_diags {
    tq_schema_diag_t *items;
    size_t count;
    size_t errors;
    size_t warnings;
    int truncated; /* the error cap was reached and the run stopped */
    tq_schema_allocator_t allocator;
} tq_schema_diags_t;

/* Parses and checks `len` bytes of `text` (need not be NUL-terminated). Returns
 * TQ_SCHEMA_OK with the tree in *out, TQ_SCHEMA_INVALID when any error was reported
 * (*out untouched), or TQ_SCHEMA_NOMEM when an allocation failed (*out untouched;
 * `diags` then holds whatever was gathered and must still be freed). Texts longer than
 * TQ_SCHEMA_MAX_TEXT are refused with one error. */
tq_schema_status_t tq_schema_load(const char *text, size_t len,
                                  const tq_schema_allocator_t *allocator, tq_schema_t **out,
                                  tq_schema_diags_t *diags);

/* Frees a tree from tq_schema_load; NULL is fine. */
void tq_schema_free(tq_schema_t *schema);

/* Frees what `diags` holds and zeroes it. */
void tq_schema_diags_free(tq_schema_diags_t *diags);

/* Renders every diagnostic as "path:line:col: severity: message", the source line and
 * a caret under the column, one after another, plus a closing line when the error cap
 * was reached. *out is allocated with the diagnostics' allocator and freed with
 * tq_schema_text_free. Returns TQ_SCHEMA_OK or TQ_SCHEMA_NOMEM. */
tq_schema_status_t tq_schema_diags_render(const tq_schema_diags_t *diags, const char *path,
                                          const char *text, size_t len, char **out);

void tq_schema_text_free(const tq_schema_diags_t *diags, char *text);

/* Spellings used in the language: "keyword[]", "Cosine", "shared", "delete_where". */
const char *tq_schema_type_name(tq_schema_type_t type);
const char *tq_schema_distance_name(tq_schema_distance_t distance);
const char *tq_schema_placement_name(tq_schema_placement_t placement);
const char *tq_schema_op_name(tq_schema_op_t op);
const char *tq_schema_fusion_name(tq_schema_fusion_t fusion);

/* Whether `collection` allows `op`. */
int tq_schema_has_op(const tq_schema_collection_t *collection, tq_schema_op_t op);

/* Whether `field` gets typed filter members: indexed or filterable, and for text
 * fields indexed (the full-text filter needs the full-text index). */
int tq_schema_field_filterable(const tq_schema_field_t *field);

/* Number of fields of `collection` that get typed filter members. */
size_t tq_schema_filterable_count(const tq_schema_collection_t *collection);

/* Calls `fn` with every file-scope C name (function, type, struct tag, static, macro)
 * the generator derives from `schema`, so a tool can detect two schemas of one program
 * that would define the same name. Returns 0, or -1 when out of memory. */
int tq_schema_each_c_name(const tq_schema_t *schema, void (*fn)(void *ctx, const char *name),
                          void *ctx);

#ifdef __cplusplus
}
#endif

#endif
