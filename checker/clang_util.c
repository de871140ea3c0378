/* clang_util.c: small libclang helpers the rules share: unwrapping implicit casts,
 * decoding string literals, recognising tenant context types and null constants.
 * None of them reports anything. */
#include "analyze.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct child_pick {
    CXCursor found;
    int last;  /* 0: first expression child, 1: last one */
} child_pick_t;

static enum CXChildVisitResult pick_child(CXCursor c, CXCursor parent, CXClientData data)
{
    child_pick_t *pick = data;
    if (!clang_isExpression(clang_getCursorKind(c))) {
        return CXChildVisit_Continue;
    }
    pick->found = c;
    return pick->last ? CXChildVisit_Continue : CXChildVisit_Break;
}

static CXCursor expression_child(CXCursor c, int last)
{
    child_pick_t pick = {clang_getNullCursor(), last};
    clang_visitChildren(c, pick_child, &pick);
    return pick.found;
}

CXCursor tqc_first_operand(CXCursor c)
{
    return expression_child(c, 0);
}

CXCursor tqc_operand(CXCursor c)
{
    return expression_child(c, 1);
}

CXCursor tqc_strip(CXCursor c)
{
    for (int guard = 0; guard < 64; guard++) {
        enum CXCursorKind kind = clang_getCursorKind(c);
        if (kind != CXCursor_UnexposedExpr && kind != CXCursor_ParenExpr) {
            break;
        }
        CXCursor inner = expression_child(c, 0);
        if (clang_Cursor_isNull(inner)) {
            break;
        }
        c = inner;
    }
    return c;
}

const char *tqc_spelling(CXCursor c, char *buf, size_t size)
{
    CXString s = clang_getCursorSpelling(c);
    const char *text = clang_getCString(s);
    snprintf(buf, size, "%s", text ? text : "");
    clang_disposeString(s);
    return buf;
}

static int hex_value(char ch)
{
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
        return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
        return ch - 'A' + 10;
    }
    return -1;
}

/* Decodes the quoted parts of a literal's spelling ("a" "b" concatenates, escapes are
 * resolved, an embedded NUL ends the value). */
char *tqc_decode_literal(const char *spelling)
{
    size_t len = strlen(spelling);
    char *out = malloc(len + 1);
    if (!out) {
        return NULL;
    }
    size_t n = 0;
    int in_string = 0;
    for (const char *p = spelling; *p; p++) {
        if (!in_string) {
            in_string = *p == '"';
            continue;
        }
        if (*p == '"') {
            in_string = 0;
            continue;
        }
        if (*p != '\\' || !p[1]) {
            out[n++] = *p;
            continue;
        }
        p++;
        int value;
        switch (*p) {
        case 'n': value = '\n'; break;
        case 't': value = '\t'; break;
        case 'r': value = '\r'; break;
        case 'a': value = '\a'; break;
        case 'b': value = '\b'; break;
        case 'f': value = '\f'; break;
        case 'v': value = '\v'; break;
        case 'x':
            value = 0;
            while (hex_value(p[1]) >= 0) {
                value = (value * 16 + hex_value(*++p)) & 0xff;
            }
            break;
        default:
            if (*p >= '0' && *p <= '7') {
                value = *p - '0';
                for (int k = 0; k < 2 && p[1] >= '0' && p[1] <= '7'; k++) {
                    value = value * 8 + (*++p - '0');
                }
                value &= 0xff;
            } else {
                value = (unsigned char)*p;
            }
            break;
        }
        if (value == 0) {
            break;
        }
        out[n++] = (char)value;
    }
    out[n] = '\0';
    return out;
}

char *tqc_string_literal_value(CXCursor literal)
{
    CXString s = clang_getCursorSpelling(literal);
    const char *text = clang_getCString(s);
    char *value = text ? tqc_decode_literal(text) : NULL;
    clang_disposeString(s);
    return value;
}

int tqc_ctx_depth(CXType t)
{
    CXType canon = clang_getCanonicalType(t);
    int depth = 0;
    for (; depth < 8; depth++) {
        if (canon.kind == CXType_Pointer) {
            canon = clang_getCanonicalType(clang_getPointeeType(canon));
        } else if (canon.kind == CXType_ConstantArray || canon.kind == CXType_IncompleteArray ||
                   canon.kind == CXType_VariableArray ||
                   canon.kind == CXType_DependentSizedArray) {
            canon = clang_getCanonicalType(clang_getArrayElementType(canon));
        } else {
            break;
        }
    }
    if (depth == 0 || canon.kind != CXType_Record) {
        return 0;
    }
    CXCursor decl = clang_getTypeDeclaration(canon);
    char name[32];
    return clang_getCursorKind(decl) == CXCursor_StructDecl &&
                   strcmp(tqc_spelling(decl, name, sizeof name), "tenant_ctx") == 0
               ? depth
               : 0;
}

int tqc_type_is_ctx_pointer(CXType t, int levels)
{
    CXType canon = clang_getCanonicalType(t);
    if (canon.kind != CXType_Pointer) {
        return 0;
    }
    CXType pointee = clang_getCanonicalType(clang_getPointeeType(canon));
    if (pointee.kind == CXType_Pointer) {
        return levels > 1 && tqc_type_is_ctx_pointer(pointee, levels - 1);
    }
    if (pointee.kind != CXType_Record) {
        return 0;
    }
    CXCursor decl = clang_getTypeDeclaration(pointee);
    char name[32];
    return clang_getCursorKind(decl) == CXCursor_StructDecl &&
           strcmp(tqc_spelling(decl, name, sizeof name), "tenant_ctx") == 0;
}

int tqc_is_cast_kind(enum CXCursorKind kind)
{
    switch (kind) {
    case CXCursor_CStyleCastExpr:
    case CXCursor_CXXStaticCastExpr:
    case CXCursor_CXXDynamicCastExpr:
    case CXCursor_CXXReinterpretCastExpr:
    case CXCursor_CXXConstCastExpr:
    case CXCursor_CXXFunctionalCastExpr:
    case CXCursor_CXXAddrspaceCastExpr:
    case CXCursor_BuiltinBitCastExpr:
        return 1;
    default:
        return 0;
    }
}

CXCursor tqc_strip_casts(CXCursor c)
{
    for (int guard = 0; guard < 64; guard++) {
        enum CXCursorKind kind = clang_getCursorKind(c);
        if (kind != CXCursor_UnexposedExpr && kind != CXCursor_ParenExpr &&
            !tqc_is_cast_kind(kind)) {
            break;
        }
        CXCursor inner = tqc_operand(c);
        if (clang_Cursor_isNull(inner)) {
            break;
        }
        c = inner;
    }
    return c;
}

int tqc_is_null_constant(CXCursor expr)
{
    expr = tqc_strip_casts(expr);
    enum CXCursorKind kind = clang_getCursorKind(expr);
    if (kind == CXCursor_CXXNullPtrLiteralExpr || kind == CXCursor_GNUNullExpr) {
        return 1; /* nullptr, and NULL as C++ headers define it (__null) */
    }
    if (kind != CXCursor_IntegerLiteral) {
        return 0;
    }
    CXEvalResult r = clang_Cursor_Evaluate(expr);
    int zero = r && clang_EvalResult_getKind(r) == CXEval_Int &&
               clang_EvalResult_getAsLongLong(r) == 0;
    if (r) {
        clang_EvalResult_dispose(r);
    }
    return zero;
}
