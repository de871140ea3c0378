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
#include <stdio.h>
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

static int is_ident(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$' || c == '.';
}

/* 1 when the line holding text[at] declares the symbol there: a label ("name:") or a
 * symbol directive before it on the line. */
static int defines_symbol(const char *text, size_t at, size_t len)
{
    static const char *const directives[] = {".globl", ".global", ".set", ".equ", ".equiv",
                                             ".weak", ".type", ".symver", NULL};
    const char *after = text + at + len;
    while (*after == ' ' || *after == '\t') {
        after++;
    }
    if (*after == ':' && after[1] != ':') {
        return 1;
    }
    size_t start = at;
    while (start > 0 && text[start - 1] != '\n' && text[start - 1] != ';') {
        start--;
    }
    for (size_t i = 0; directives[i]; i++) {
        size_t n = strlen(directives[i]);
        for (size_t k = start; k + n <= at; k++) {
            if (strncmp(text + k, directives[i], n) == 0 && !is_ident(text[k + n])) {
                return 1;
            }
        }
    }
    return 0;
}

void tqc_asm_scan(const char *text, int (*hit)(void *data, const tqc_asm_hit_t *h),
                  void *data)
{
    /* Macro arguments and pasting make names the text never spells out. */
    int pieces = strstr(text, "##") || strstr(text, ".irp") || strstr(text, ".macro") ||
                 strstr(text, "#define");
    for (const char *p = text; (p = strstr(p, "tq")) != NULL; p += 2) {
        if (p > text && is_ident(p[-1]) && p[-1] != '.') {
            continue;
        }
        size_t len = 2;
        while (is_ident(p[len]) && p[len] != '.' && p[len] != '$') {
            len++;
        }
        tqc_asm_hit_t h = {TQC_TQ001, (size_t)(p - text), len, NULL};
        const char *next = p + len;
        while (*next == ' ' || *next == '\t') {
            next++;
        }
        const char *prev = p;
        while (prev > text && (prev[-1] == ' ' || prev[-1] == '\t')) {
            prev--;
        }
        int pasted = p[len] == '\\' || strncmp(next, "##", 2) == 0 ||
                     (prev - text >= 2 && prev[-1] == '#' && prev[-2] == '#');
        int raw_prefix = len <= 7 && strncmp(p, "tq_raw_", len) == 0;
        if (len > 7 && strncmp(p, "tq_raw_", 7) == 0) {
            h.what = "names raw-layer symbol";
        } else if (pasted || (pieces && raw_prefix)) {
            h.what = "assembles a tenantq symbol name from pieces, starting with";
        } else if (len > 7 && strncmp(p, "tq_ctx_", 7) == 0 &&
                   defines_symbol(text, h.offset, len)) {
            h.rule = TQC_TQ004;
            h.what = "interposes runtime symbol";
        } else {
            continue;
        }
        if (hit(data, &h)) {
            return;
        }
    }
}

typedef struct first_hit {
    int found;
    tqc_asm_hit_t hit;
    char name[128];
    const char *text;
} first_hit_t;

static int keep_first(void *data, const tqc_asm_hit_t *h)
{
    first_hit_t *first = data;
    first->found = 1;
    first->hit = *h;
    snprintf(first->name, sizeof first->name, "%.*s", (int)h->length, first->text + h->offset);
    return 1;
}

/* The decoded text of every string literal token in the cursor's extent, joined (an
 * asm statement's template, an attribute's argument); NULL when there is none. `word`
 * receives the first identifier (the attribute's name). */
static char *literal_text(tqc_tu_t *t, CXCursor c, char *word, size_t word_size)
{
    CXToken *tokens = NULL;
    unsigned count = 0;
    char *joined = NULL;
    size_t len = 0;
    int adjacent = 0;
    if (word_size) {
        word[0] = '\0';
    }
    clang_tokenize(t->tu, clang_getCursorExtent(c), &tokens, &count);
    for (unsigned i = 0; i < count; i++) {
        CXTokenKind kind = clang_getTokenKind(tokens[i]);
        CXString text = clang_getTokenSpelling(t->tu, tokens[i]);
        const char *s = clang_getCString(text);
        if (kind == CXToken_Identifier && word_size && !word[0] && s) {
            snprintf(word, word_size, "%s", s);
        }
        if (kind == CXToken_Literal && s && strchr(s, '"')) {
            /* Adjacent literals concatenate; others (asm operands) stay apart. */
            const char *gap = joined && !adjacent ? "\"\\n\" " : "";
            size_t n = strlen(s), g = strlen(gap);
            char *grown = realloc(joined, len + g + n + 2);
            if (!grown) {
                t->failed = 1;
                clang_disposeString(text);
                break;
            }
            joined = grown;
            memcpy(joined + len, gap, g);
            len += g;
            memcpy(joined + len, s, n);
            len += n;
            joined[len++] = ' ';
            joined[len] = '\0';
        }
        adjacent = kind == CXToken_Literal || kind == CXToken_Comment;
        clang_disposeString(text);
    }
    clang_disposeTokens(t->tu, tokens, count);
    if (!joined) {
        return NULL;
    }
    char *decoded = tqc_decode_literal(joined);
    free(joined);
    if (!decoded) {
        t->failed = 1;
    }
    return decoded;
}

/* 1 when the source text of the cursor's extent, where it is written or where its
 * macro is used, contains "tq": tokenizing is needed only then. */
static int extent_mentions_tq(tqc_tu_t *t, CXCursor c)
{
    CXSourceRange range = clang_getCursorExtent(c);
    for (int spelling = 0; spelling < 2; spelling++) {
        CXFile f = NULL, fe = NULL;
        unsigned start = 0, end = 0;
        if (spelling) {
            clang_getSpellingLocation(clang_getRangeStart(range), &f, NULL, NULL, &start);
            clang_getSpellingLocation(clang_getRangeEnd(range), &fe, NULL, NULL, &end);
        } else {
            clang_getExpansionLocation(clang_getRangeStart(range), &f, NULL, NULL, &start);
            clang_getExpansionLocation(clang_getRangeEnd(range), &fe, NULL, NULL, &end);
        }
        const tqc_file_slot_t *slot = tqc_tu_slot(t, f);
        if (!slot || !slot->file || !slot->file->data || f != fe || end < start) {
            return 1; /* cannot tell: look at the tokens */
        }
        /* The end is the start of the last token: include that token. */
        size_t stop = end;
        while (stop < slot->file->size && slot->file->data[stop] != '\n' &&
               stop - end < 4096) {
            stop++;
        }
        for (size_t i = start; i + 1 < stop; i++) {
            if (slot->file->data[i] == 't' && slot->file->data[i + 1] == 'q') {
                return 1;
            }
        }
    }
    return 0;
}

/* Assembly (a statement or a file-scope asm) naming a tenantq symbol; libclang exposes
 * no children there, so the tokens are read. */
static void check_assembly(tqc_tu_t *t, CXCursor c)
{
    if (!extent_mentions_tq(t, c)) {
        return;
    }
    char *text = literal_text(t, c, NULL, 0);
    first_hit_t first = {0, {TQC_TQ001, 0, 0, NULL}, "", text};
    tqc_loc_t loc;
    if (text) {
        tqc_asm_scan(text, keep_first, &first);
    }
    if (first.found && tqc_cursor_loc(t, c, &loc)) {
        tqc_report(t, first.hit.rule, &loc, "assembly %s '%s'", first.hit.what, first.name);
    }
    free(text);
}

/* __attribute__((weakref("tq_raw_get"))), alias("tq_raw_..."): a symbol named in a
 * string, invisible to C references. */
static void check_attribute(tqc_tu_t *t, CXCursor c)
{
    if (!extent_mentions_tq(t, c)) {
        return;
    }
    char word[32];
    char *text = literal_text(t, c, word, sizeof word);
    tqc_loc_t loc;
    if (text && strstr(text, "tq_raw_") && tqc_cursor_loc(t, c, &loc)) {
        tqc_report(t, TQC_TQ001, &loc, "attribute '%s' binds raw-layer symbol '%s'", word,
                   text);
    }
    free(text);
}

int tqc_attribute_name(tqc_tu_t *t, CXCursor attr, char *word, size_t size)
{
    free(literal_text(t, attr, word, size));
    return word[0] != '\0';
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
    case CXCursor_UnexposedAttr:
        check_attribute(t, c);
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

typedef struct asm_file {
    tqc_session_t *s;
    const tqc_file_t *file;
} asm_file_t;

static int report_asm_hit(void *data, const tqc_asm_hit_t *h)
{
    asm_file_t *af = data;
    const tqc_file_t *file = af->file;
    unsigned line = 1;
    while (line < file->line_count && file->line_starts[line] <= h->offset) {
        line++;
    }
    unsigned column = (unsigned)(h->offset - file->line_starts[line - 1]) + 1;
    tqc_finding_add(af->s, h->rule, file, line, column, line, column + (unsigned)h->length,
                    "assembly source %s '%.*s'", h->what, (int)h->length,
                    file->data + h->offset);
    return 0;
}

void tqc_tq001_assembly(tqc_session_t *s, const tqc_file_t *file)
{
    if (file->exempt || !file->data) {
        return;
    }
    asm_file_t af = {s, file};
    tqc_asm_scan(file->data, report_asm_hit, &af);
}
