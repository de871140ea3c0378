/* analyze.h: what the rule files see of a translation unit being analysed. */
#ifndef TQC_ANALYZE_H
#define TQC_ANALYZE_H

#include "check.h"

#include <clang-c/Index.h>
#include <stdarg.h>

/* What one translation unit knows about a CXFile. */
typedef struct tqc_file_slot {
    CXFile cx;
    tqc_file_t *file; /* NULL for system headers */
    unsigned is_system : 1;
    unsigned is_raw : 1;      /* its path ends in tenantq/raw.h (system or not) */
    unsigned is_internal : 1; /* inside a tenantq runtime/src/ tree (system or not) */
} tqc_file_slot_t;

typedef struct tqc_tu {
    tqc_session_t *s;
    CXTranslationUnit tu;
    tqc_file_slot_t *slots; /* open addressing on the CXFile pointer */
    size_t slot_cap, slot_count;
    struct tqc_record_memo *records; /* TQ004: which records hold a context pointer */
    size_t record_cap, record_count;
    int has_raw_header;     /* some included file is tenantq/raw.h */
    int has_ctx;            /* some file of the unit can name struct tenant_ctx */
    int failed;             /* out of memory during the walk */
} tqc_tu_t;

/* A checked position: the file is analysed (not a system header, not exempt). */
typedef struct tqc_loc {
    tqc_file_t *file;
    unsigned line, column, end_line, end_column;
} tqc_loc_t;

/* The slot of `f`, made on first use; NULL for a null file or when out of memory. The
 * pointer is valid only until the next call (the table may grow). */
const tqc_file_slot_t *tqc_tu_slot(tqc_tu_t *t, CXFile f);

/* Fills `loc` with the cursor's expansion position and extent. Returns 1 when the
 * position is in a checked file, 0 when it is in a system header, an exempt file or
 * nowhere. */
int tqc_cursor_loc(tqc_tu_t *t, CXCursor c, tqc_loc_t *loc);

/* 1 when the declaration `decl` comes from <tenantq/raw.h> or is named tq_raw_*. */
int tqc_decl_is_raw(tqc_tu_t *t, CXCursor decl, const char *name);

/* Reports `rule` at `loc` (tqc_vreport: with a va_list). */
void tqc_vreport(tqc_tu_t *t, tqc_rule_t rule, const tqc_loc_t *loc, const char *fmt,
                 va_list ap) __attribute__((format(printf, 4, 0)));
void tqc_report(tqc_tu_t *t, tqc_rule_t rule, const tqc_loc_t *loc, const char *fmt,
                ...) __attribute__((format(printf, 4, 5)));

/* clang_util.c ------------------------------------------------------------------------ */
/* The operand under implicit casts and parentheses. */
CXCursor tqc_strip(CXCursor c);
/* The operand under implicit and explicit casts and parentheses. */
CXCursor tqc_strip_casts(CXCursor c);
/* The first expression child (the left operand of a binary operator), or null. */
CXCursor tqc_first_operand(CXCursor c);
/* The last expression child (the operand of a cast), or a null cursor. */
CXCursor tqc_operand(CXCursor c);
/* The decoded value of a string literal cursor (NUL-terminated, malloc'd; embedded
 * NULs end it), or NULL. */
char *tqc_string_literal_value(CXCursor literal);
/* Decodes the quoted parts of a literal spelling ("a" "b" concatenate, escapes
 * resolved); malloc'd, or NULL. */
char *tqc_decode_literal(const char *spelling);
/* 1 when `t` is a pointer to (possibly qualified) struct tenant_ctx; with `levels` 2
 * a pointer to such a pointer also counts. */
int tqc_type_is_ctx_pointer(CXType t, int levels);
/* 1 for explicit cast expressions of C and C++ (C-style, named, functional,
 * __builtin_bit_cast). */
int tqc_is_cast_kind(enum CXCursorKind kind);
/* How many pointer levels lead from `t` to struct tenant_ctx (1 for tenant_ctx_t *,
 * 2 for tenant_ctx_t **), or 0 when it is no such pointer. An array counts as the
 * pointer it decays to: tenant_ctx_t *[3] is 2, like tenant_ctx_t **. */
int tqc_ctx_depth(CXType t);
/* 1 when the expression is a null pointer constant (0, NULL, (void *)0, nullptr). */
int tqc_is_null_constant(CXCursor expr);
/* The spelling of a cursor in a caller buffer (truncated); returns buf. */
const char *tqc_spelling(CXCursor c, char *buf, size_t size);

/* Rules ------------------------------------------------------------------------------- */
/* The name of an attribute libclang leaves unexposed (its first identifier token,
 * "alias", "weakref"); 1 when found. */
int tqc_attribute_name(tqc_tu_t *t, CXCursor attr, char *word, size_t size);
void tqc_tq001_cursor(tqc_tu_t *t, CXCursor c, enum CXCursorKind kind);
void tqc_tq002_string(tqc_tu_t *t, CXCursor c, const char *value);
void tqc_tq003_inclusion(tqc_tu_t *t, CXFile included, const tqc_file_slot_t *slot,
                         CXSourceLocation at);
void tqc_tq004_cursor(tqc_tu_t *t, CXCursor c, enum CXCursorKind kind);
void tqc_tq005_string(tqc_tu_t *t, CXCursor c, const char *value);
void tqc_tq004_call(tqc_tu_t *t, CXCursor call, const char *callee);
void tqc_tq007_call(tqc_tu_t *t, CXCursor call, const char *callee);

/* signatures.c: records the type one unit gives an external function (see
 * tqc_signatures_compare in internal.h). */
void tqc_signature_record(tqc_tu_t *t, CXCursor fn);

/* Analyses one translation unit with `index`. Returns 0, or -1 when it could not be
 * parsed or analysed (the reason is recorded in the session). */
int tqc_analyze(tqc_session_t *s, CXIndex index, const tqc_job_t *job);

#endif /* TQC_ANALYZE_H */
