/* rule_tq004_forged_context.c: TQ004, any way of making or altering a tenant context
 * other than tq_ctx_new, in C and C++.
 *
 * A context is reached through "context storage": a tenant_ctx_t * variable, an array
 * of them (tenant_ctx_t **), or a struct with such a member. Reported:
 *  - explicit casts (C-style, static_cast, reinterpret_cast, const_cast, functional,
 *    std::bit_cast and __builtin_bit_cast) and implicit conversions to a context
 *    pointer, or to a pointer to context storage, from anything but the same kind of
 *    pointer or a null constant (0, NULL, nullptr); a fresh allocation converted to
 *    tenant_ctx_t ** (a growable array) is not a forgery;
 *  - casts of a context pointer, or of a pointer to context storage, to another object
 *    pointer ((char *)ctx, *(void **)&ctx = p);
 *  - calls that write bytes into context storage: memcpy-family copies whose source is
 *    not the same kind of storage, memset with a non-zero value, read, fread, recv,
 *    strcpy and friends; context storage passed to a variadic function (sscanf "%p")
 *    or as untyped memory to an indirect call (a pointer that may hold memcpy);
 *  - calls of a template defined in the project that casts or copies inside and turns
 *    other values into a context pointer;
 *  - casting away the const of a tq_ctx_* result (tq_ctx_tenant(ctx)'s tenant id);
 *  - compound literals, objects and definitions of struct tenant_ctx, union members of
 *    context-pointer type, and definitions of tq_ctx_* functions or of functions bound
 *    to a tq_* symbol with an asm label or declared as an alias of one.
 * Exempt files (the runtime) never reach this rule. */
#include "analyze.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_ctx_record(CXType t)
{
    CXType canon = clang_getCanonicalType(t);
    if (canon.kind != CXType_Record) {
        return 0;
    }
    char name[32];
    CXCursor decl = clang_getTypeDeclaration(canon);
    return strcmp(tqc_spelling(decl, name, sizeof name), "tenant_ctx") == 0;
}

static void type_name(CXType t, char *buf, size_t size)
{
    CXString s = clang_getTypeSpelling(t);
    const char *text = clang_getCString(s);
    snprintf(buf, size, "%s", text ? text : "?");
    clang_disposeString(s);
}

typedef struct field_scan {
    int depth;  /* recursion guard */
    int found;
} field_scan_t;

static int record_holds_ctx(CXType record, int depth);

static int type_holds_ctx(CXType t, int depth)
{
    CXType canon = clang_getCanonicalType(t);
    while (canon.kind == CXType_ConstantArray || canon.kind == CXType_IncompleteArray) {
        canon = clang_getCanonicalType(clang_getArrayElementType(canon));
    }
    if (tqc_ctx_depth(canon) > 0) {
        return 1;
    }
    return canon.kind == CXType_Record && record_holds_ctx(canon, depth + 1);
}

static enum CXVisitorResult visit_field(CXCursor field, CXClientData data)
{
    field_scan_t *scan = data;
    if (type_holds_ctx(clang_getCursorType(field), scan->depth)) {
        scan->found = 1;
        return CXVisit_Break;
    }
    return CXVisit_Continue;
}

/* Memo of record_holds_ctx per record declaration in one unit: large programs pass the
 * same big structs to many calls. */
struct tqc_record_memo {
    CXCursor decl;
    int holds;
};

static int memo_find(tqc_tu_t *t, CXCursor decl, int *holds)
{
    if (!t->record_cap) {
        return 0;
    }
    for (size_t i = clang_hashCursor(decl) & (t->record_cap - 1);;
         i = (i + 1) & (t->record_cap - 1)) {
        if (clang_Cursor_isNull(t->records[i].decl)) {
            return 0;
        }
        if (clang_equalCursors(t->records[i].decl, decl)) {
            *holds = t->records[i].holds;
            return 1;
        }
    }
}

static void memo_add(tqc_tu_t *t, CXCursor decl, int holds)
{
    if ((t->record_count + 1) * 2 > t->record_cap) {
        size_t cap = t->record_cap ? t->record_cap * 2 : 64;
        struct tqc_record_memo *grown = malloc(cap * sizeof *grown);
        if (!grown) {
            return; /* only a cache */
        }
        for (size_t i = 0; i < cap; i++) {
            grown[i].decl = clang_getNullCursor();
        }
        for (size_t i = 0; i < t->record_cap; i++) {
            if (!clang_Cursor_isNull(t->records[i].decl)) {
                size_t j = clang_hashCursor(t->records[i].decl) & (cap - 1);
                while (!clang_Cursor_isNull(grown[j].decl)) {
                    j = (j + 1) & (cap - 1);
                }
                grown[j] = t->records[i];
            }
        }
        free(t->records);
        t->records = grown;
        t->record_cap = cap;
    }
    size_t i = clang_hashCursor(decl) & (t->record_cap - 1);
    while (!clang_Cursor_isNull(t->records[i].decl)) {
        i = (i + 1) & (t->record_cap - 1);
    }
    t->records[i].decl = decl;
    t->records[i].holds = holds;
    t->record_count++;
}

/* 1 when a struct or union has a member (at any depth) that is a context pointer. */
static int record_holds_ctx(CXType record, int depth)
{
    if (depth > 8 || is_ctx_record(record)) {
        return 0;
    }
    field_scan_t scan = {depth, 0};
    clang_Type_visitFields(record, visit_field, &scan);
    return scan.found;
}

static int record_holds_ctx_memo(tqc_tu_t *t, CXType record)
{
    CXCursor decl = clang_getTypeDeclaration(record);
    int holds = 0;
    if (memo_find(t, decl, &holds)) {
        return holds;
    }
    holds = record_holds_ctx(record, 0);
    memo_add(t, decl, holds);
    return holds;
}

/* What a pointer type points at: 1 a tenant context itself, 2 context storage (a
 * context pointer, an array of them, a struct holding one), 0 anything else. */
static int storage_kind(tqc_tu_t *t, CXType pointer)
{
    int depth = tqc_ctx_depth(pointer);
    if (depth == 1) {
        return 1;
    }
    if (depth >= 2) {
        return 2;
    }
    CXType canon = clang_getCanonicalType(pointer);
    if (canon.kind != CXType_Pointer) {
        return 0;
    }
    CXType pointee = clang_getCanonicalType(clang_getPointeeType(canon));
    return pointee.kind == CXType_Record && record_holds_ctx_memo(t, pointee) ? 2 : 0;
}

/* The pointer an argument really designates: under casts and pointer arithmetic. */
static CXCursor pointer_origin(CXCursor arg)
{
    for (int guard = 0; guard < 16; guard++) {
        arg = tqc_strip_casts(arg);
        if (clang_getCursorKind(arg) != CXCursor_BinaryOperator) {
            break;
        }
        CXCursor lhs = tqc_strip_casts(tqc_first_operand(arg));
        CXType lt = clang_getCanonicalType(clang_getCursorType(lhs));
        if (lt.kind != CXType_Pointer) {
            break;
        }
        arg = lhs;
    }
    return arg;
}

/* 1 when two pointers designate the same kind of storage (a copy between them moves
 * existing contexts, it makes none). */
static int same_pointee(CXType a, CXType b)
{
    int da = tqc_ctx_depth(a), db = tqc_ctx_depth(b);
    if (da || db) {
        return da == db;
    }
    CXType ca = clang_getCanonicalType(a), cb = clang_getCanonicalType(b);
    if (ca.kind != CXType_Pointer || cb.kind != CXType_Pointer) {
        return 0;
    }
    CXType pa = clang_getCanonicalType(clang_getPointeeType(ca));
    CXType pb = clang_getCanonicalType(clang_getPointeeType(cb));
    return pa.kind == CXType_Record && pb.kind == CXType_Record &&
           clang_equalCursors(clang_getTypeDeclaration(pa), clang_getTypeDeclaration(pb));
}

static void report_at(tqc_tu_t *t, CXCursor c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void report_at(tqc_tu_t *t, CXCursor c, const char *fmt, ...)
{
    tqc_loc_t loc;
    if (!tqc_cursor_loc(t, c, &loc)) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    tqc_vreport(t, TQC_TQ004, &loc, fmt, ap);
    va_end(ap);
}

/* 1 when `expr` (under casts) is a call of a tq_ctx_* function. */
static int is_ctx_call(CXCursor expr)
{
    expr = tqc_strip_casts(expr);
    if (clang_getCursorKind(expr) != CXCursor_CallExpr) {
        return 0;
    }
    char name[64];
    return strncmp(tqc_spelling(expr, name, sizeof name), "tq_ctx_", 7) == 0;
}

/* 1 when converting from -> to drops a const on the pointee. */
static int drops_const(CXType from, CXType to)
{
    CXType cf = clang_getCanonicalType(from), ct = clang_getCanonicalType(to);
    if (cf.kind != CXType_Pointer || ct.kind != CXType_Pointer) {
        return 0;
    }
    return clang_isConstQualifiedType(clang_getPointeeType(cf)) &&
           !clang_isConstQualifiedType(clang_getPointeeType(ct));
}

/* Judges the conversion of `operand` to type `to` at cursor `at`. */
static void check_conversion(tqc_tu_t *t, CXCursor at, CXCursor operand, CXType to,
                             int implicit)
{
    CXType from = clang_getCursorType(operand);
    int to_depth = tqc_ctx_depth(to);
    int from_depth = tqc_ctx_depth(from);
    char from_name[128], to_name[128];
    const char *how = implicit ? "implicit conversion" : "cast";
    if (to_depth && to_depth != from_depth && !tqc_is_null_constant(operand)) {
        type_name(from, from_name, sizeof from_name);
        if (to_depth == 1) {
            report_at(t, at, "%s from '%s' forges a tenant context; only tq_ctx_new makes one",
                      how, from_name);
        } else {
            type_name(to, to_name, sizeof to_name);
            char what[300];
            snprintf(what, sizeof what, "%s to '%s'", from_name, to_name);
            report_at(t, at,
                      "%s from %s makes context pointers out of other memory; only "
                      "tq_ctx_new makes a context", how, what);
        }
        return;
    }
    CXType to_canon = clang_getCanonicalType(to);
    int from_storage = from_depth ? (from_depth == 1 ? 1 : 2) : 0;
    if (!implicit && from_storage && !to_depth && to_canon.kind == CXType_Pointer &&
        clang_getCanonicalType(clang_getPointeeType(to_canon)).kind != CXType_Void) {
        type_name(to, to_name, sizeof to_name);
        report_at(t, at,
                  from_storage == 1 ? "cast reinterprets a tenant context as '%s'; contexts "
                                      "are opaque"
                                    : "cast reinterprets context storage as '%s'; writing "
                                      "through it forges a context",
                  to_name);
        return;
    }
    if (drops_const(from, to) && is_ctx_call(operand)) {
        char callee[64];
        tqc_spelling(tqc_strip_casts(operand), callee, sizeof callee);
        report_at(t, at, "%s discards the const of %s()'s result; the tenant context "
                         "must not be changed in place", how, callee);
    }
}

static void check_cast(tqc_tu_t *t, CXCursor c)
{
    CXCursor operand = tqc_operand(c);
    if (!clang_Cursor_isNull(operand)) {
        check_conversion(t, c, operand, clang_getCursorType(c), 0);
    }
}

static int is_allocation(CXCursor expr)
{
    static const char *const allocators[] = {"malloc", "calloc", "realloc", "reallocarray",
                                             "aligned_alloc", NULL};
    expr = tqc_strip_casts(expr);
    if (clang_getCursorKind(expr) != CXCursor_CallExpr) {
        return 0;
    }
    char name[32];
    tqc_spelling(expr, name, sizeof name);
    for (size_t i = 0; allocators[i]; i++) {
        if (strcmp(name, allocators[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

/* 1 when `operand` is a parameter of a qsort/bsearch comparator, int f(const void *,
 * const void *), and `to` only reads context pointers (const tenant_ctx_t *const *):
 * the comparator idiom for an array of contexts. */
static int comparator_read(CXCursor operand, CXType to)
{
    CXType slot = clang_getPointeeType(clang_getCanonicalType(to));
    if (!clang_isConstQualifiedType(slot) ||
        clang_getCursorKind(operand) != CXCursor_DeclRefExpr) {
        return 0;
    }
    CXCursor parm = clang_getCursorReferenced(operand);
    if (clang_getCursorKind(parm) != CXCursor_ParmDecl) {
        return 0;
    }
    CXType fn = clang_getCanonicalType(clang_getCursorType(clang_getCursorSemanticParent(parm)));
    if (clang_getNumArgTypes(fn) != 2 || clang_getResultType(fn).kind != CXType_Int) {
        return 0;
    }
    for (unsigned i = 0; i < 2; i++) {
        CXType arg = clang_getCanonicalType(clang_getArgType(fn, i));
        CXType pointee = clang_getPointeeType(arg);
        if (arg.kind != CXType_Pointer ||
            clang_getCanonicalType(pointee).kind != CXType_Void ||
            !clang_isConstQualifiedType(pointee)) {
            return 0;
        }
    }
    return 1;
}

static void check_implicit(tqc_tu_t *t, CXCursor c)
{
    CXType to = clang_getCursorType(c);
    CXCursor operand = tqc_strip(tqc_operand(c));
    if (clang_Cursor_isNull(operand) || tqc_is_cast_kind(clang_getCursorKind(operand))) {
        return; /* nothing converted, or an explicit cast below us was already judged */
    }
    int to_depth = tqc_ctx_depth(to);
    if (to_depth >= 2 && (is_allocation(operand) || comparator_read(operand, to))) {
        return; /* a fresh array holds no context yet; a comparator only reads */
    }
    if (to_depth || drops_const(clang_getCursorType(operand), to)) {
        check_conversion(t, c, operand, to, 1);
    }
}

/* Writers: functions that store bytes through one argument. */
typedef enum { COPY, SET, BYTES } write_kind_t;
typedef struct writer {
    const char *name;
    unsigned dest, source; /* argument indexes; source for COPY, value for SET */
    write_kind_t kind;
} writer_t;

static const writer_t writers[] = {
    {"memcpy", 0, 1, COPY}, {"memmove", 0, 1, COPY}, {"mempcpy", 0, 1, COPY},
    {"memccpy", 0, 1, COPY}, {"bcopy", 1, 0, COPY}, {"wmemcpy", 0, 1, COPY},
    {"wmemmove", 0, 1, COPY}, {"__builtin_memcpy", 0, 1, COPY},
    {"__builtin_memmove", 0, 1, COPY}, {"__builtin_mempcpy", 0, 1, COPY},
    {"__builtin___memcpy_chk", 0, 1, COPY}, {"__builtin___memmove_chk", 0, 1, COPY},
    {"__builtin___mempcpy_chk", 0, 1, COPY},
    {"memset", 0, 1, SET}, {"__builtin_memset", 0, 1, SET},
    {"__builtin___memset_chk", 0, 1, SET}, {"wmemset", 0, 1, SET}, {"bzero", 0, 9, SET},
    {"explicit_bzero", 0, 9, SET},
    {"read", 1, 0, BYTES}, {"pread", 1, 0, BYTES}, {"pread64", 1, 0, BYTES},
    {"fread", 0, 0, BYTES}, {"fread_unlocked", 0, 0, BYTES}, {"recv", 1, 0, BYTES},
    {"recvfrom", 1, 0, BYTES}, {"strcpy", 0, 0, BYTES}, {"strncpy", 0, 0, BYTES},
    {"stpcpy", 0, 0, BYTES}, {"stpncpy", 0, 0, BYTES}, {"strcat", 0, 0, BYTES},
    {"strncat", 0, 0, BYTES}, {"sprintf", 0, 0, BYTES}, {"snprintf", 0, 0, BYTES},
    {"vsprintf", 0, 0, BYTES}, {"vsnprintf", 0, 0, BYTES}, {"getrandom", 0, 0, BYTES},
};

static const writer_t *find_writer(const char *callee)
{
    /* std::memcpy and friends spell the same. */
    for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++) {
        if (strcmp(callee, writers[i].name) == 0) {
            return &writers[i];
        }
    }
    return NULL;
}

static void check_writer(tqc_tu_t *t, CXCursor call, const char *callee, const writer_t *w)
{
    unsigned argc = (unsigned)clang_Cursor_getNumArguments(call);
    if (argc <= w->dest) {
        return;
    }
    CXCursor dest = pointer_origin(clang_Cursor_getArgument(call, w->dest));
    CXType dest_type = clang_getCursorType(dest);
    int kind = storage_kind(t, dest_type);
    if (kind == 0) {
        return;
    }
    if (kind == 2 && w->kind == COPY && w->source < argc) {
        CXCursor source = pointer_origin(clang_Cursor_getArgument(call, w->source));
        if (same_pointee(dest_type, clang_getCursorType(source))) {
            return; /* moves existing context pointers (a growing array, a struct copy) */
        }
    }
    if (kind == 2 && w->kind == SET &&
        (w->source >= argc || tqc_is_null_constant(clang_Cursor_getArgument(call, w->source)))) {
        return; /* zeroing stores null pointers, which are no context */
    }
    report_at(t, call,
              kind == 1 ? "%s writes into a tenant context"
                        : "%s writes bytes into context storage (a tenant context pointer); "
                          "only tq_ctx_new makes a context",
              callee);
}

/* Context storage handed over as a variadic argument or, for an indirect call, as
 * untyped memory. */
static void check_arguments(tqc_tu_t *t, CXCursor call, const char *callee, CXCursor target)
{
    enum CXCursorKind target_kind = clang_getCursorKind(target);
    int direct = target_kind == CXCursor_FunctionDecl || target_kind == CXCursor_CXXMethod ||
                 target_kind == CXCursor_FunctionTemplate || target_kind == CXCursor_Constructor;
    CXType fn = clang_getCanonicalType(clang_getCursorType(target));
    int variadic = direct && clang_isFunctionTypeVariadic(fn) == 1;
    int fixed = variadic ? clang_getNumArgTypes(fn) : 0;
    if (direct && !variadic) {
        return;
    }
    int argc = clang_Cursor_getNumArguments(call);
    for (int i = direct ? (fixed < 0 ? 0 : fixed) : 0; i < argc; i++) {
        CXCursor arg = clang_Cursor_getArgument(call, (unsigned)i);
        CXCursor origin = pointer_origin(arg);
        if (storage_kind(t, clang_getCursorType(origin)) != 2) {
            continue;
        }
        if (!direct && storage_kind(t, clang_getCursorType(arg)) != 0) {
            continue; /* passed as what it is: a typed callback argument */
        }
        report_at(t, call,
                  direct ? "context storage passed to variadic '%s', which may write a "
                           "pointer into it (\"%%p\"); only tq_ctx_new makes a context"
                         : "context storage passed as untyped memory through the function "
                           "pointer '%s', which may copy bytes into it",
                  callee);
        return;
    }
}

typedef struct cast_scan {
    int found;
} cast_scan_t;

static enum CXChildVisitResult find_cast(CXCursor c, CXCursor parent, CXClientData data)
{
    cast_scan_t *scan = data;
    enum CXCursorKind kind = clang_getCursorKind(c);
    if (tqc_is_cast_kind(kind)) {
        scan->found = 1;
        return CXChildVisit_Break;
    }
    if (kind == CXCursor_CallExpr) {
        char name[64];
        if (find_writer(tqc_spelling(c, name, sizeof name))) {
            scan->found = 1;
            return CXChildVisit_Break;
        }
    }
    return CXChildVisit_Recurse;
}

/* A call that returns a context pointer made inside a template or std::bit_cast. */
static void check_template_call(tqc_tu_t *t, CXCursor call, const char *callee, CXCursor target)
{
    int depth = tqc_ctx_depth(clang_getCursorType(call));
    if (!depth) {
        return;
    }
    int argc = clang_Cursor_getNumArguments(call);
    int all_ctx = argc > 0;
    char from_name[128] = "its object alone";
    for (int i = 0; i < argc; i++) {
        CXCursor arg = clang_Cursor_getArgument(call, (unsigned)i);
        if (tqc_ctx_depth(clang_getCursorType(arg)) != depth && !tqc_is_null_constant(arg)) {
            all_ctx = 0;
            type_name(clang_getCursorType(arg), from_name, sizeof from_name);
            break;
        }
    }
    if (all_ctx) {
        return;
    }
    if (strcmp(callee, "bit_cast") == 0) {
        report_at(t, call, "std::bit_cast from '%s' forges a tenant context", from_name);
        return;
    }
    CXCursor pattern = clang_getSpecializedCursorTemplate(target);
    if (clang_Cursor_isNull(pattern)) {
        return;
    }
    CXFile f = NULL;
    clang_getExpansionLocation(clang_getCursorLocation(pattern), &f, NULL, NULL, NULL);
    const tqc_file_slot_t *slot = tqc_tu_slot(t, f);
    if (!slot || !slot->file || slot->file->exempt) {
        return; /* templates of system headers and of the runtime */
    }
    cast_scan_t scan = {0};
    clang_visitChildren(pattern, find_cast, &scan);
    if (scan.found) {
        report_at(t, call,
                  "template '%s' casts inside and returns a tenant context made from '%s'; "
                  "only tq_ctx_new makes one", callee, from_name);
    }
}

void tqc_tq004_call(tqc_tu_t *t, CXCursor call, const char *callee)
{
    const writer_t *w = find_writer(callee);
    if (w) {
        check_writer(t, call, callee, w);
        return;
    }
    CXCursor target = clang_getCursorReferenced(call);
    check_arguments(t, call, callee, target);
    check_template_call(t, call, callee, target);
}

typedef struct attr_scan {
    tqc_tu_t *t;
    int want_alias; /* only a tq_ctx_* declaration needs its attributes read */
    char label[256];
    int alias;
} attr_scan_t;

static enum CXChildVisitResult find_attrs(CXCursor c, CXCursor parent, CXClientData data)
{
    attr_scan_t *scan = data;
    enum CXCursorKind kind = clang_getCursorKind(c);
    if (kind == CXCursor_AsmLabelAttr) {
        tqc_spelling(c, scan->label, sizeof scan->label);
    } else if (kind == CXCursor_UnexposedAttr && scan->want_alias) {
        char name[32];
        scan->alias |= tqc_attribute_name(scan->t, c, name, sizeof name) &&
                       strcmp(name, "alias") == 0;
    }
    return CXChildVisit_Continue;
}

/* Definitions that take the place of a runtime symbol: tq_ctx_* by name, any tq_*
 * through an asm label, or a tq_ctx_* declaration that aliases another function. */
static void check_function(tqc_tu_t *t, CXCursor c)
{
    char name[256];
    tqc_spelling(c, name, sizeof name);
    int definition = clang_isCursorDefinition(c);
    int runtime_name = strncmp(name, "tq_ctx_", 7) == 0;
    attr_scan_t scan = {t, runtime_name, "", 0};
    if (clang_Cursor_hasAttrs(c)) {
        clang_visitChildren(c, find_attrs, &scan);
    }
    if (runtime_name && (definition || scan.alias)) {
        report_at(t, c, "defines runtime function '%s' outside the runtime%s", name,
                  scan.alias ? " (as an alias of another function)" : "");
        return;
    }
    if (definition && strncmp(scan.label, "tq_", 3) == 0 &&
        strncmp(scan.label, "tq_raw_", 7) != 0) {
        report_at(t, c, "defines '%s' under the runtime's symbol name '%s' (asm label), "
                        "interposing it", name, scan.label);
    }
}

void tqc_tq004_cursor(tqc_tu_t *t, CXCursor c, enum CXCursorKind kind)
{
    char name[256];
    tqc_loc_t loc;
    if (kind == CXCursor_FunctionDecl) {
        check_function(t, c); /* interposition needs no context type in the unit */
        return;
    }
    if (!t->has_ctx) {
        return;
    }
    if (tqc_is_cast_kind(kind)) {
        check_cast(t, c);
        return;
    }
    switch (kind) {
    case CXCursor_UnexposedExpr:
        check_implicit(t, c);
        return;
    case CXCursor_CompoundLiteralExpr:
        if (is_ctx_record(clang_getCursorType(c)) && tqc_cursor_loc(t, c, &loc)) {
            tqc_report(t, TQC_TQ004, &loc, "compound literal forges a struct tenant_ctx");
        }
        return;
    case CXCursor_StructDecl:
        if (clang_isCursorDefinition(c) &&
            strcmp(tqc_spelling(c, name, sizeof name), "tenant_ctx") == 0 &&
            tqc_cursor_loc(t, c, &loc)) {
            tqc_report(t, TQC_TQ004, &loc,
                       "defines struct tenant_ctx outside the runtime; the context is opaque");
        }
        return;
    case CXCursor_FieldDecl:
        if (clang_getCursorKind(clang_getCursorSemanticParent(c)) == CXCursor_UnionDecl &&
            tqc_type_is_ctx_pointer(clang_getCursorType(c), 2) && tqc_cursor_loc(t, c, &loc)) {
            tqc_report(t, TQC_TQ004, &loc,
                       "union member '%s' overlays a tenant context pointer with other data",
                       tqc_spelling(c, name, sizeof name));
            return;
        }
        /* fall through */
    case CXCursor_VarDecl:
        if (is_ctx_record(clang_getCursorType(c)) && tqc_cursor_loc(t, c, &loc)) {
            tqc_report(t, TQC_TQ004, &loc, "declares a struct tenant_ctx object '%s'",
                       tqc_spelling(c, name, sizeof name));
        }
        return;
    default:
        return;
    }
}
