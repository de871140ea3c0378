/* rule_tq001_raw_layer.c: TQ001, any reference to the raw request layer outside
 * generated code.
 *
 * A reference is a DeclRefExpr or TypeRef whose declaration comes from a file named
 * tenantq/raw.h or is named tq_raw_* (so a hand-written prototype counts too): calls,
 * address-of, function-pointer initialisers and tables, and macro expansions, which
 * are reported where the macro is used. Declaring a tq_raw_* function or variable by
 * hand, binding one through an asm label, or naming one in inline or file-scope
 * assembly, or renaming one with `#pragma redefine_extname` (not part of the AST, so
 * found in the file's text), is reported as well, and so is any tq_raw_* name in an
 * assembly source (.s, .S, .sx, .asm) of the database, which libclang cannot parse. Exempt files never reach this rule. */
#include "analyze.h"
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *decl_noun(enum CXCursorKind kind)
{
    switch (kind) {
    case CXCursor_FunctionDecl: return "function";
    case CXCursor_EnumConstantDecl: return "constant";
    case CXCursor_VarDecl: return "variable";
    case CXCursor_TypedefDecl:
    case CXCursor_StructDecl:
    case CXCursor_EnumDecl:
    case CXCursor_UnionDecl: return "type";
    default: return "declaration";
    }
}

/* Reports assembly (a statement or a file-scope asm) whose string names a tq_raw_*
 * symbol; libclang exposes no children there, so the tokens are read. */
static void check_assembly(tqc_tu_t *t, CXCursor c)
{
    CXToken *tokens = NULL;
    unsigned count = 0;
    tqc_loc_t loc;
    clang_tokenize(t->tu, clang_getCursorExtent(c), &tokens, &count);
    for (unsigned i = 0; i < count; i++) {
        if (clang_getTokenKind(tokens[i]) != CXToken_Literal) {
            continue;
        }
        CXString text = clang_getTokenSpelling(t->tu, tokens[i]);
        const char *s = clang_getCString(text);
        int named = s && strstr(s, "tq_raw_") != NULL;
        clang_disposeString(text);
        if (named) {
            if (tqc_cursor_loc(t, c, &loc)) {
                tqc_report(t, TQC_TQ001, &loc, "assembly names a raw-layer symbol");
            }
            break;
        }
    }
    clang_disposeTokens(t->tu, tokens, count);
}

void tqc_tq001_cursor(tqc_tu_t *t, CXCursor c, enum CXCursorKind kind)
{
    char name[256];
    tqc_loc_t loc;
    switch (kind) {
    case CXCursor_DeclRefExpr:
    case CXCursor_TypeRef: {
        CXCursor ref = clang_getCursorReferenced(c);
        if (clang_Cursor_isNull(ref)) {
            return;
        }
        tqc_spelling(ref, name, sizeof name);
        if (!tqc_decl_is_raw(t, ref, name) || !tqc_cursor_loc(t, c, &loc)) {
            return;
        }
        tqc_report(t, TQC_TQ001, &loc,
                   "use of raw-layer %s '%s' outside generated code; call the generated "
                   "client instead", decl_noun(clang_getCursorKind(ref)), name);
        return;
    }
    case CXCursor_FunctionDecl:
    case CXCursor_VarDecl:
        tqc_spelling(c, name, sizeof name);
        if (strncmp(name, "tq_raw_", 7) != 0 || !tqc_cursor_loc(t, c, &loc)) {
            return;
        }
        tqc_report(t, TQC_TQ001, &loc, "hand-written declaration of raw-layer %s '%s'",
                   decl_noun(kind), name);
        return;
    case CXCursor_AsmLabelAttr:
        tqc_spelling(c, name, sizeof name);
        if (strncmp(name, "tq_raw_", 7) != 0 || !tqc_cursor_loc(t, c, &loc)) {
            return;
        }
        tqc_report(t, TQC_TQ001, &loc, "asm label binds raw-layer symbol '%s'", name);
        return;
    case CXCursor_GCCAsmStmt:
    case CXCursor_UnexposedDecl:
        check_assembly(t, c);
        return;
    default:
        return;
    }
}

void tqc_tq001_file(tqc_session_t *s, const tqc_file_t *file)
{
    static const char pragma[] = "redefine_extname";
    if (!file->data || !strstr(file->data, pragma)) {
        return;
    }
    for (unsigned line = 1; line <= file->line_count; line++) {
        size_t len = 0;
        const char *text = tqc_file_line(file, line, &len);
        const char *hash = text;
        while (hash < text + len && (*hash == ' ' || *hash == '\t')) {
            hash++;
        }
        if (hash == text + len || *hash != '#') {
            continue;
        }
        char *copy = tqc_format("%.*s", (int)len, text);
        if (!copy) {
            return;
        }
        if (strstr(copy, pragma) && strstr(copy, "tq_raw_")) {
            tqc_finding_add(s, TQC_TQ001, file, line, (unsigned)(hash - text) + 1, line,
                            (unsigned)len + 1,
                            "#pragma redefine_extname binds a raw-layer symbol");
        }
        free(copy);
    }
}

void tqc_tq001_assembly(tqc_session_t *s, const tqc_file_t *file)
{
    if (file->exempt || !file->data) {
        return;
    }
    for (const char *p = file->data; (p = strstr(p, "tq_raw_")) != NULL; p += 7) {
        if (p > file->data && (isalnum((unsigned char)p[-1]) || p[-1] == '_')) {
            continue;
        }
        size_t offset = (size_t)(p - file->data);
        unsigned line = 1;
        while (line < file->line_count && file->line_starts[line] <= offset) {
            line++;
        }
        size_t len = 7;
        while (isalnum((unsigned char)p[len]) || p[len] == '_') {
            len++;
        }
        unsigned column = (unsigned)(offset - file->line_starts[line - 1]) + 1;
        tqc_finding_add(s, TQC_TQ001, file, line, column, line, column + (unsigned)len,
                        "assembly source names raw-layer symbol '%.*s'", (int)len, p);
    }
}
