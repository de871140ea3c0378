/* rule_tq004_forged_context.c: TQ004, any way of making or altering a tenant context
 * other than tq_ctx_new.
 *
 * Reported: an explicit cast to a pointer to struct tenant_ctx from anything but such
 * a pointer or a null constant; the same conversion done implicitly (void * to
 * tenant_ctx_t *); an explicit cast of a context pointer to a non-void object pointer
 * (the first step of pointer arithmetic into one); memcpy, memmove, memset, bzero, bcopy and strcpy-family writes whose
 * destination is a context or a context pointer; compound literals, objects and
 * definitions of struct tenant_ctx; and definitions of tq_ctx_* functions (which would
 * interpose the runtime's). Exempt files (the runtime) never reach this rule. */
#include "analyze.h"

#include <stdio.h>
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

static void check_cast(tqc_tu_t *t, CXCursor c)
{
    CXType to = clang_getCursorType(c);
    CXCursor operand = tqc_operand(c);
    if (clang_Cursor_isNull(operand)) {
        return;
    }
    CXType from = clang_getCursorType(operand);
    int to_ctx = tqc_type_is_ctx_pointer(to, 1);
    int from_ctx = tqc_type_is_ctx_pointer(from, 1);
    char from_name[128], to_name[128];
    tqc_loc_t loc;
    if (to_ctx && !from_ctx && !tqc_is_null_constant(operand)) {
        if (!tqc_cursor_loc(t, c, &loc)) {
            return;
        }
        type_name(from, from_name, sizeof from_name);
        tqc_report(t, TQC_TQ004, &loc,
                   "cast from '%s' forges a tenant context; only tq_ctx_new makes one",
                   from_name);
        return;
    }
    CXType to_canon = clang_getCanonicalType(to);
    if (from_ctx && !to_ctx && to_canon.kind == CXType_Pointer &&
        clang_getCanonicalType(clang_getPointeeType(to_canon)).kind != CXType_Void) {
        if (!tqc_cursor_loc(t, c, &loc)) {
            return;
        }
        type_name(to, to_name, sizeof to_name);
        tqc_report(t, TQC_TQ004, &loc,
                   "cast reinterprets a tenant context as '%s'; contexts are opaque", to_name);
    }
}

static void check_implicit(tqc_tu_t *t, CXCursor c)
{
    if (!tqc_type_is_ctx_pointer(clang_getCursorType(c), 1)) {
        return;
    }
    CXCursor operand = tqc_strip(tqc_operand(c));
    if (clang_Cursor_isNull(operand) || tqc_type_is_ctx_pointer(clang_getCursorType(operand), 1) ||
        tqc_is_null_constant(operand)) {
        return;
    }
    /* An explicit cast to a context pointer below us was already judged. */
    if (clang_getCursorKind(operand) == CXCursor_CStyleCastExpr) {
        return;
    }
    tqc_loc_t loc;
    if (!tqc_cursor_loc(t, c, &loc)) {
        return;
    }
    char from_name[128];
    type_name(clang_getCursorType(operand), from_name, sizeof from_name);
    tqc_report(t, TQC_TQ004, &loc,
               "implicit conversion from '%s' forges a tenant context; only tq_ctx_new "
               "makes one", from_name);
}

void tqc_tq004_call(tqc_tu_t *t, CXCursor call, const char *callee)
{
    static const char *const writers[] = {
        "memcpy", "memmove", "memset", "bzero", "explicit_bzero", "strcpy", "strncpy",
        "__builtin_memcpy", "__builtin_memmove", "__builtin_memset",
        "__builtin___memcpy_chk", "__builtin___memmove_chk", "__builtin___memset_chk",
        "bcopy"};
    size_t i;
    for (i = 0; i < sizeof writers / sizeof writers[0]; i++) {
        if (strcmp(callee, writers[i]) == 0) {
            break;
        }
    }
    if (i == sizeof writers / sizeof writers[0]) {
        return;
    }
    int dest = strcmp(callee, "bcopy") == 0 ? 1 : 0;
    if (clang_Cursor_getNumArguments(call) <= dest) {
        return;
    }
    CXCursor arg = clang_Cursor_getArgument(call, (unsigned)dest);
    arg = tqc_strip_casts(arg);
    tqc_loc_t loc;
    if (!tqc_type_is_ctx_pointer(clang_getCursorType(arg), 2) || !tqc_cursor_loc(t, call, &loc)) {
        return;
    }
    tqc_report(t, TQC_TQ004, &loc, "%s writes into a tenant context or context pointer", callee);
}

void tqc_tq004_cursor(tqc_tu_t *t, CXCursor c, enum CXCursorKind kind)
{
    char name[256];
    tqc_loc_t loc;
    switch (kind) {
    case CXCursor_CStyleCastExpr:
        check_cast(t, c);
        return;
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
    case CXCursor_FunctionDecl:
        if (strncmp(tqc_spelling(c, name, sizeof name), "tq_ctx_", 7) == 0 &&
            clang_isCursorDefinition(c) && tqc_cursor_loc(t, c, &loc)) {
            tqc_report(t, TQC_TQ004, &loc,
                       "defines runtime function '%s' outside the runtime", name);
        }
        return;
    default:
        return;
    }
}
