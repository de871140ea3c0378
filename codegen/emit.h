/* emit.h: the emitters of tenantq-gen (header, source, manifest) and what they share. */
#ifndef TQ_GEN_EMIT_H
#define TQ_GEN_EMIT_H

#include "buf.h"
#include "schema.h"

/* What the three emitters are given. */
typedef struct gen_input {
    const tq_schema_t *schema;
    const char *schema_path;   /* relative, as printed in banners and the manifest */
    const char *schema_sha256; /* 64 lowercase hex digits */
} gen_input_t;

/* The two banner lines every generated C file starts with. */
void emit_banner(gen_buf_t *out, const gen_input_t *in);

/* <name>.tq.h, <name>.tq.c */
void emit_header(gen_buf_t *out, const gen_input_t *in);
void emit_source(gen_buf_t *out, const gen_input_t *in);

/* A generated output file for the manifest. */
typedef struct gen_file {
    const char *path; /* relative to the manifest's directory */
    const char *sha256;
} gen_file_t;

/* <name>.tq.probe.c (--probe): the probe tables of every collection and a main(). */
void emit_probe(gen_buf_t *out, const gen_input_t *in);

/* <name>.tq.json; `files` sorted by path. */
void emit_manifest(gen_buf_t *out, const gen_input_t *in, const gen_file_t *files,
                   size_t file_count);

/* ---- shared by the emitters (emit_common.c) ---- */

#define GEN_NAME_MAX (4 * TQ_SCHEMA_NAME_MAX + 32)
#define GEN_MAX_PARAMS (TQ_SCHEMA_MAX_SCOPES + 12)

/* The TQ_ABI_VERSION generated headers require. */
#define GEN_ABI_VERSION 3

typedef struct gen_params {
    size_t count;
    char text[GEN_MAX_PARAMS][GEN_NAME_MAX];
    unsigned char nonnull[GEN_MAX_PARAMS]; /* 1: a pointer the caller must not pass NULL */
    size_t vector;                         /* 1-based index of `vector`, 0 when absent */
} gen_params_t;

/* "kb_chunks_search" */
void gen_op_name(char *dst, size_t size, const tq_schema_t *s, const tq_schema_collection_t *c,
                 tq_schema_op_t op);

/* "KB_CHUNKS" style upper-case copy. */
void gen_upper(char *dst, size_t size, const char *src);

/* "KB_CHUNKS_DIM" */
void gen_dim_macro(char *dst, size_t size, const tq_schema_t *s, const tq_schema_collection_t *c);

/* The parameters of operation `op`: ctx, the scopes, the operation's own, detail. */
void gen_op_params(const tq_schema_t *s, const tq_schema_collection_t *c, tq_schema_op_t op,
                   gen_params_t *params);

/* Prints ` TQ_NONNULL(...)` for the parameters marked nonnull and, when there is a
 * vector parameter, ` TQ_READS_FLOATS(vector, i, vector_len, i + 1)`. */
void emit_param_attributes(gen_buf_t *out, const gen_params_t *params);

/* Prints `lead name(` and the parameters one per line, aligned, then `end`. */
void emit_signature(gen_buf_t *out, const char *lead, const char *name,
                    const gen_params_t *params, const char *end);

/* Prints `indent` `head` (ending in "(") and the ", "-separated `args`, wrapping
 * before 96 columns with continuation lines aligned after the parenthesis, then ");\n".
 * Arguments must not contain ", " themselves. */
void emit_call(gen_buf_t *out, const char *indent, const char *head, const char *args);
/* As emit_call, closing with `tail` (e.g. ") {\n") instead of ");\n". */
void emit_call_tail(gen_buf_t *out, const char *indent, const char *head, const char *args,
                    const char *tail);

/* Appends one parameter (ignored beyond GEN_MAX_PARAMS); `nonnull` marks a pointer
 * the caller must not pass NULL. */
void gen_add_param(gen_params_t *params, const char *text, int nonnull);

/* ---- hybrid retrieval: text_search, hybrid, search_groups (emit_retrieval.c) ---- */

int gen_is_retrieval_op(tq_schema_op_t op);
int gen_has_retrieval_op(const tq_schema_collection_t *c);

/* The parameters of a retrieval op between the scopes and `detail`. */
void gen_retrieval_params(const tq_schema_t *s, const tq_schema_collection_t *c,
                          tq_schema_op_t op, gen_params_t *params);

/* The contract comment of a retrieval op. */
const char *gen_retrieval_comment(tq_schema_op_t op);

/* The ", "-separated arguments of the tq_raw_retrieve call of `op`. */
void gen_retrieval_args(char *dst, size_t size, const tq_schema_t *s,
                        const tq_schema_collection_t *c, tq_schema_op_t op, const char *scopes,
                        const char *filter_arg);

/* The static sparse-field array before a descriptor, and the descriptor's hybrid
 * members; both print nothing for a collection without sparse vector or group. */
void emit_retrieval_arrays(gen_buf_t *out, const tq_schema_t *s, const tq_schema_collection_t *c);
void emit_retrieval_members(gen_buf_t *out, const tq_schema_t *s, const tq_schema_collection_t *c);

/* Whether a collection has a read that returns records (get, search, scroll). */
int gen_returns_records(const tq_schema_collection_t *c);

/* Whether an operation takes a typed filter (given the collection has filterable
 * fields). */
int gen_op_takes_filter(const tq_schema_collection_t *c, tq_schema_op_t op);

/* Calls `fn` with every public function the files define, in sorted order; when out
 * of memory it calls `fn` once with NULL instead. */
void gen_each_function(const tq_schema_t *s, void (*fn)(void *ctx, const char *name),
                       void *ctx);

/* ---- schema evolution (emit_evolution.c) ---- */

/* "#define KB_CHUNKS_REVISION 1" and "#define KB_CHUNKS_FINGERPRINT "sha256:..."". */
void emit_evolution_macros(gen_buf_t *out, const tq_schema_t *s, const tq_schema_collection_t *c);
/* The static tq_raw_field_t array of a collection (nothing when it has no fields). */
void emit_evolution_fields(gen_buf_t *out, const tq_schema_t *s, const tq_schema_collection_t *c);
/* The descriptor members schema_version, revision, fields and field_count. */
void emit_evolution_members(gen_buf_t *out, const tq_schema_t *s, const tq_schema_collection_t *c);
/* After reading field `f` with `head` and `args`: when `f` was renamed, reads the
 * previous key (`args` already naming it) if `present` says the new one was absent. */
void emit_evolution_fallback(gen_buf_t *out, const tq_schema_field_t *f, const char *head,
                             const char *args, const char *present);

#endif
